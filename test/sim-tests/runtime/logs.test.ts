import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createPodRuntime } from '../../sim/runtime/index';
import { FakeCluster } from './fakeCluster';
import { containerStatus, isReady, nodePod, scriptConfigMap } from './podFixtures';
import { getLog, startRuntimeServer } from './runtimeServer';

const scripts = {
  'env.js': `console.log('pod=' + process.env.POD_NAME + ' greeting=' + process.env.GREETING); require('node:http').createServer().listen(80);`,
  'crash.js': `console.log('starting'); console.error('fatal: config missing'); process.exit(3);`,
  'ticker.js': `let n = 0; const t = setInterval(() => { console.log('tick ' + ++n); if (n === 5) { clearInterval(t); } }, 30);`,
  'idle.js': `console.log('idle'); setInterval(() => {}, 1000);`,
  'slowstop.js': `console.log('old'); process.on('SIGTERM', () => setTimeout(() => process.exit(0), 200)); setInterval(() => {}, 1000);`,
  'beat.js': `let n = 0; setInterval(() => console.log('beat ' + ++n), 40);`,
};

async function setup(t: { after(fn: () => unknown): void }) {
  const cluster = new FakeCluster();
  const runtime = createPodRuntime(cluster, { backoff: { baseMs: 100, maxMs: 200 } });
  const server = await startRuntimeServer(cluster, runtime);
  cluster.add(scriptConfigMap('app', scripts));
  t.after(async () => {
    await server.close();
    runtime.dispose();
    cluster.dispose();
  });
  return { cluster, runtime, server };
}

function status(body: string): { kind: string; code: number; reason: string; message: string } {
  return JSON.parse(body) as { kind: string; code: number; reason: string; message: string };
}

test('serves a process container log: plain, timestamps, tailLines, limitBytes', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  const pod = cluster.add(
    nodePod({
      name: 'env',
      configMap: 'app',
      script: 'env.js',
      ports: [80],
      env: [
        { name: 'GREETING', value: 'hello' },
        { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ],
    }),
  );
  runtime.start(pod);
  await cluster.waitFor('Pod', 'default', 'env', isReady);
  runtime.appendLog('default', 'env', 'app', 'second line');
  const plain = await getLog(server, 'default', 'env');
  assert.equal(plain.status, 200);
  assert.equal(plain.body, 'pod=env greeting=hello\nsecond line\n');
  const stamped = await getLog(server, 'default', 'env', 'timestamps=true');
  assert.match(stamped.body, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z pod=env greeting=hello\n\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z second line\n$/);
  assert.equal((await getLog(server, 'default', 'env', 'tailLines=1')).body, 'second line\n');
  assert.equal((await getLog(server, 'default', 'env', 'tailLines=0')).body, '');
  assert.equal((await getLog(server, 'default', 'env', 'limitBytes=5')).body, 'pod=e');
});

test('previous=true serves the last terminated instance, and answers 400 when there is none', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  runtime.start(cluster.add(nodePod({ name: 'crash', configMap: 'app', script: 'crash.js' })));
  await cluster.waitFor('Pod', 'default', 'crash', (p) => (containerStatus(p)?.restartCount ?? 0) >= 1);
  const previous = await getLog(server, 'default', 'crash', 'previous=true&timestamps=true');
  assert.equal(previous.status, 200);
  const lines = previous.body.trimEnd().split('\n');
  assert.deepEqual(lines.map((l) => l.split(' ').slice(1).join(' ')).sort(), ['fatal: config missing', 'starting']);
  runtime.start(cluster.add(nodePod({ name: 'idle', configMap: 'app', script: 'idle.js' })));
  await cluster.waitFor('Pod', 'default', 'idle', isReady);
  const none = await getLog(server, 'default', 'idle', 'previous=true');
  assert.equal(none.status, 400);
  const body = status(none.body);
  assert.equal(body.kind, 'Status');
  assert.equal(body.reason, 'BadRequest');
  assert.equal(body.message, 'previous terminated container "app" in pod "idle" not found');
});

test('several containers: container is required and must exist', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  const pod = cluster.add(
    nodePod({ name: 'multi', configMap: 'app', containers: [{ name: 'a', script: 'idle.js' }, { name: 'b', script: 'idle.js' }] }),
  );
  runtime.start(pod);
  await cluster.waitFor('Pod', 'default', 'multi', isReady);
  const missing = await getLog(server, 'default', 'multi');
  assert.equal(missing.status, 400);
  assert.equal(status(missing.body).message, 'a container name must be specified for pod multi, choose one of: [a b]');
  const wrong = await getLog(server, 'default', 'multi', 'container=c');
  assert.equal(status(wrong.body).message, 'container c is not valid for pod multi');
  let body = '';
  for (let i = 0; i < 100 && body === ''; i++) {
    body = (await getLog(server, 'default', 'multi', 'container=b')).body;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(body, 'idle\n');
});

test('follow=true streams new lines and ends when the container stops', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  runtime.start(cluster.add(nodePod({ name: 'ticker', configMap: 'app', script: 'ticker.js', restartPolicy: 'Never' })));
  await cluster.waitFor('Pod', 'default', 'ticker', (p) => containerStatus(p)?.state.running !== undefined || containerStatus(p)?.state.terminated !== undefined);
  const followed = await getLog(server, 'default', 'ticker', 'follow=true');
  assert.equal(followed.body, 'tick 1\ntick 2\ntick 3\ntick 4\ntick 5\n');
});

test('beginLog and appendLog feed non-process pods; follow ends when the pod goes away; sinceSeconds filters', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  // As the simulated kubelet plays such a pod: a running container whose status names its run.
  cluster.add({
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'synthetic', namespace: 'default', uid: '', resourceVersion: '' },
    spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'nginx' }] },
    status: { containerStatuses: [{ name: 'main', containerID: 'containerd://run-1', restartCount: 0, state: { running: { startedAt: '2026-11-22T01:58:28Z' } }, lastState: {} }] },
  });
  runtime.beginLog('default', 'synthetic', 'main', 'containerd://run-1');
  runtime.appendLog('default', 'synthetic', 'main', 'old line');
  await new Promise((r) => setTimeout(r, 1100));
  runtime.appendLog('default', 'synthetic', 'main', 'new line');
  assert.equal((await getLog(server, 'default', 'synthetic')).body, 'old line\nnew line\n');
  assert.equal((await getLog(server, 'default', 'synthetic', 'sinceSeconds=1')).body, 'new line\n');
  const chunks: string[] = [];
  const ended = new Promise<void>((resolve, reject) => {
    const req = request(`http://127.0.0.1:${server.port}/api/v1/namespaces/default/pods/synthetic/log?follow=true&tailLines=0`, (res) => {
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        chunks.push(chunk);
        if (chunks.join('') === 'live line\n') cluster.delete('Pod', 'default', 'synthetic');
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  await new Promise((r) => setTimeout(r, 100));
  runtime.appendLog('default', 'synthetic', 'main', 'live line');
  await ended;
  assert.equal(chunks.join(''), 'live line\n');
});

test('a pod recreated under the same name keeps its own log while the old one is still stopping', async (t) => {
  const { cluster, runtime, server } = await setup(t);
  runtime.start(cluster.add(nodePod({ name: 'reuse', configMap: 'app', script: 'slowstop.js' })));
  await cluster.waitFor('Pod', 'default', 'reuse', isReady);
  cluster.delete('Pod', 'default', 'reuse');
  runtime.start(cluster.add(nodePod({ name: 'reuse', configMap: 'app', script: 'beat.js' })));
  await runtime.settled();
  const lines = async () => (await getLog(server, 'default', 'reuse')).body;
  const before = (await lines()).split('\n').length;
  // The new pod's own lines keep arriving (however busy the machine) and none of the old pod's,
  // also after the old one has finished stopping.
  let after = '';
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
    after = await lines();
    if (after.split('\n').length > before + 5) break;
  }
  assert.ok(after.split('\n').length > before + 5, `new lines keep arriving: ${JSON.stringify(after)}`);
  assert.ok(!after.includes('old'), after);
  assert.match(after, /^beat 1\n/);
});
