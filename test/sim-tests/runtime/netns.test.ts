import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { createPodRuntime } from '../../sim/runtime/index';
import { FakeCluster } from './fakeCluster';
import { isReady, nodePod, scriptConfigMap, statusOf } from './podFixtures';
import { PortForwardClient } from './portForwardClient';
import { getLog, startRuntimeServer } from './runtimeServer';

const scripts = {
  'named.js': `require('node:http').createServer((req, res) => res.end(process.env.POD_NAME + '\\n')).listen(8080, process.env.BIND || undefined);`,
  'client.js': `
const http = require('node:http');
const net = require('node:net');
function get(url) {
  return new Promise((resolve) => {
    http.get(url, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => resolve(b.trim())); })
      .on('error', (e) => resolve('error ' + e.code));
  });
}
const own = http.createServer((req, res) => res.end('own\\n'));
own.listen(7000, '127.0.0.1', async () => {
  const twice = net.createServer().listen(7000);
  await new Promise((r) => twice.once('error', (e) => { console.log('second listen: ' + e.code); r(); }));
  for (const url of process.argv.slice(2)) console.log(url + ' -> ' + (await get(url)));
  own.close();
});`,
  'sidecar.js': `
const net = require('node:net');
let attempts = 0;
function attempt() {
  let answered = false;
  const s = net.connect(7100, 'localhost', () => s.write('ping'));
  s.on('data', (d) => { answered = true; console.log('sidecar got ' + d); s.end(); });
  s.on('error', () => {});
  s.on('close', () => { if (!answered && ++attempts < 100) setTimeout(attempt, 20); });
}
attempt();`,
  'echo.js': `require('node:net').createServer((s) => s.on('data', (d) => s.end('pong:' + d))).listen(7100, '127.0.0.1');`,
};

function service(name: string, selector: Record<string, string>, targetPort: number | string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default', uid: '', resourceVersion: '' },
    spec: { selector, ports: [{ port: 80, targetPort, protocol: 'TCP' }] },
  };
}

const podNameEnv = [{ name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }];

async function setup(t: { after(fn: () => unknown): void }) {
  const cluster = new FakeCluster();
  const runtime = createPodRuntime(cluster);
  const server = await startRuntimeServer(cluster, runtime);
  cluster.add(scriptConfigMap('app', scripts));
  t.after(async () => {
    await server.close();
    runtime.dispose();
    cluster.dispose();
  });
  return { cluster, runtime, server, base: `http://127.0.0.1:${server.port}` };
}

test('two pods listen on the same container port without clashing; port-forward reaches each', async (t) => {
  const { cluster, runtime, base } = await setup(t);
  for (const name of ['web-a', 'web-b']) {
    runtime.start(cluster.add(nodePod({ name, configMap: 'app', script: 'named.js', ports: [8080], env: podNameEnv })));
  }
  await cluster.waitFor('Pod', 'default', 'web-a', isReady);
  await cluster.waitFor('Pod', 'default', 'web-b', isReady);
  const a = runtime.resolvePodPort('default', 'web-a', 8080)!;
  const b = runtime.resolvePodPort('default', 'web-b', 8080)!;
  assert.notEqual(a.port, b.port);
  for (const name of ['web-a', 'web-b']) {
    const client = await PortForwardClient.open(base, 'default', name, [8080]);
    client.send(0, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    await client.closed;
    assert.match(client.text(0), new RegExp(`\\r\\n\\r\\n${name}\\n$`));
  }
});

test('dials to Service names reach ready endpoints round-robin; loopback-only servers stay pod-local', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  for (const name of ['backend-1', 'backend-2']) {
    runtime.start(cluster.add(nodePod({ name, configMap: 'app', script: 'named.js', labels: { app: 'backend' }, ports: [{ containerPort: 8080, name: 'http' }], env: podNameEnv })));
  }
  runtime.start(
    cluster.add(
      nodePod({ name: 'hidden', configMap: 'app', script: 'named.js', labels: { app: 'hidden' }, ports: [8080], env: [...podNameEnv, { name: 'BIND', value: '127.0.0.1' }] }),
    ),
  );
  cluster.add(service('backend', { app: 'backend' }, 'http'));
  cluster.add(service('hidden', { app: 'hidden' }, 8080));
  for (const name of ['backend-1', 'backend-2', 'hidden']) await cluster.waitFor('Pod', 'default', name, isReady);
  const urls = ['http://backend/', 'http://backend.default.svc.cluster.local/', 'http://backend.default.svc/', 'http://hidden/', 'http://missing/', 'http://localhost:7000/'];
  runtime.start(cluster.add(nodePod({ name: 'client', configMap: 'app', script: 'client.js', args: urls, restartPolicy: 'Never' })));
  await cluster.waitFor('Pod', 'default', 'client', (p) => statusOf(p).phase === 'Succeeded');
  const lines = (await getLog(server, 'default', 'client')).body.trimEnd().split('\n');
  assert.equal(lines[0], 'second listen: EADDRINUSE');
  const answers = Object.fromEntries(lines.slice(1).map((l) => l.split(' -> ')));
  const backends = [answers['http://backend/'], answers['http://backend.default.svc.cluster.local/'], answers['http://backend.default.svc/']];
  assert.ok(backends.every((b) => b === 'backend-1' || b === 'backend-2'), JSON.stringify(answers));
  assert.deepEqual(new Set(backends), new Set(['backend-1', 'backend-2']), 'round-robin over both endpoints');
  assert.match(answers['http://hidden/'], /^error /, 'a server bound to 127.0.0.1 is not reachable from another pod');
  assert.match(answers['http://missing/'], /^error /);
  assert.equal(answers['http://localhost:7000/'], 'own');
});

test('containers of one pod share its loopback', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  const pod = nodePod({
    name: 'pair',
    configMap: 'app',
    restartPolicy: 'Never',
    containers: [{ name: 'echo', script: 'echo.js', ports: [7100] }, { name: 'sidecar', script: 'sidecar.js' }],
  });
  runtime.start(cluster.add(pod));
  let log = '';
  for (let i = 0; i < 200 && !log.includes('sidecar got'); i++) {
    log = (await getLog(server, 'default', 'pair', 'container=sidecar')).body;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(log, 'sidecar got pong:ping\n');
});
