/**
 * The shipped relay agent (bundled like dist/relay-agent.js) in a simulated cluster: delivered in a
 * ConfigMap, run by a stock node image, reached through pods/portforward on its 127.0.0.1 control
 * port, carrying traffic both ways; deleting the pod mid-transfer fails the streams cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import path from 'node:path';
import { build } from 'esbuild';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import { openPortForward } from '../../../src/kube/portforward';
import type { MuxCloseReason } from '../../../src/tunnel/mux';
import { connectExtension, HandshakeError } from '../../../src/tunnel/muxHandshake';
import { joinStreams } from '../../../src/tunnel/muxSocket';
import { createPodRuntime, type ProcessPodRuntime } from '../../sim/runtime/index';
import { startSimulator } from '../../sim/server';
import { readAll, until } from '../../unit/tunnel/muxFixtures';

const namespace = 'default';
const token = 'sim-session-token-5b1e0c';
const MiB = 1024 * 1024;

function agentBundle(): Promise<string> {
  return build({
    entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'tunnel', 'agent', 'main.ts')],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    minify: true,
    logLevel: 'silent',
  }).then((out) => out.outputFiles[0].text);
}

const clusterScripts = {
  // A cluster service the extension dials through the relay: echo, and a bulk sender on 9001.
  'svc.js': `const net = require('node:net');
net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(9000);
net.createServer((s) => { const b = Buffer.alloc(65536, 5); const pump = () => { while (s.write(b)); }; s.on('drain', pump); s.on('error', () => {}); pump(); }).listen(9001);`,
};

async function cluster(t: { after(fn: () => unknown): void }) {
  let runtime: ProcessPodRuntime | undefined;
  const sim = await startSimulator({
    runtime: (c) => (runtime = createPodRuntime(c, { backoff: { baseMs: 100, maxMs: 200 } })),
    timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 },
  });
  const local: Server = createServer((req, res) => {
    const hash = createHash('sha256');
    let bytes = 0;
    req.on('data', (c: Buffer) => {
      hash.update(c);
      bytes += c.length;
    });
    req.on('end', () => res.end(`local ${req.method} ${req.url} ${bytes} ${hash.digest('hex')}`));
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.context);
  t.after(async () => {
    client.dispose();
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
    await sim.stop();
  });
  sim.seed([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
      status: { allocatable: { cpu: '4', memory: '8Gi', pods: '20' }, capacity: { cpu: '4', memory: '8Gi', pods: '20' }, conditions: [{ type: 'Ready', status: 'True' }] },
    },
  ]);
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'relay-agent', namespace }, data: { 'relay-agent.js': await agentBundle() } });
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'svc', namespace }, data: clusterScripts });
  sim.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'relay', namespace, labels: { app: 'relay' } },
    spec: {
      containers: [
        {
          name: 'agent',
          image: 'node:22-alpine',
          command: ['node', '/opt/tether/relay-agent.js'],
          env: [
            { name: 'TETHER_TOKEN', value: token },
            { name: 'TETHER_CONTROL_PORT', value: '7070' },
            { name: 'TETHER_DATA_PORTS', value: '8080' },
          ],
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          volumeMounts: [{ name: 'agent', mountPath: '/opt/tether', readOnly: true }],
        },
      ],
      volumes: [{ name: 'agent', configMap: { name: 'relay-agent' } }],
    },
  });
  sim.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'svc', namespace, labels: { app: 'svc' } },
    spec: {
      containers: [{ name: 'svc', image: 'node:22-alpine', command: ['node', '/opt/svc/svc.js'], volumeMounts: [{ name: 'svc', mountPath: '/opt/svc', readOnly: true }] }],
      volumes: [{ name: 'svc', configMap: { name: 'svc' } }],
    },
  });
  sim.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace },
    spec: { selector: { app: 'svc' }, ports: [{ name: 'echo', port: 9000, targetPort: 9000 }, { name: 'bulk', port: 9001, targetPort: 9001 }] },
  });
  await until(() => !!runtime!.resolvePodPort(namespace, 'relay', 7070) && !!runtime!.resolvePodPort(namespace, 'relay', 8080), 20_000, 'relay agent listening');
  await until(() => !!runtime!.resolvePodPort(namespace, 'svc', 9000), 20_000, 'cluster service listening');
  const localPort = (local.address() as AddressInfo).port;
  return { sim, runtime: runtime!, client, localPort };
}

test('the bundled agent in a pod: control port only through port-forward, traffic both ways, pod deletion fails streams cleanly', { timeout: 90_000 }, async (t) => {
  const { runtime, client, localPort } = await cluster(t);
  assert.equal(runtime.resolvePodPort(namespace, 'relay', 7070)?.podLocalOnly, true, 'the control port is reachable only through port-forward');
  assert.equal(runtime.resolvePodPort(namespace, 'relay', 8080)?.podLocalOnly, false, 'data ports listen for in-cluster callers');

  // A wrong token is turned away with the reason.
  const wrong = await openPortForward(client, namespace, 'relay', 7070);
  await assert.rejects(connectExtension(wrong, 'not-the-token'), (e: Error) => e instanceof HandshakeError && /session token does not match/.test(e.message));

  const { mux, welcome } = await connectExtension(await openPortForward(client, namespace, 'relay', 7070), token, { pingIntervalMs: 200, deadAfterMs: 3000 });
  try {
    assert.deepEqual(welcome.ports, [8080]);
    mux.onStream((stream) => void joinStreams(stream, connect({ host: '127.0.0.1', port: localPort, allowHalfOpen: true })));

    // Inbound: an in-cluster caller on the relay's data port reaches the local service.
    const data = runtime.resolvePodPort(namespace, 'relay', 8080)!;
    const body = Buffer.alloc(3 * MiB, 9);
    const raw = connect({ host: data.host, port: data.port });
    raw.end(Buffer.concat([Buffer.from(`POST /orders HTTP/1.1\r\nHost: web\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    const response = (await readAll(raw)).toString();
    assert.match(response, new RegExp(`local POST /orders ${body.length} ${createHash('sha256').update(body).digest('hex')}`));

    // Outbound: the extension dials a cluster service by its Service name from inside the pod.
    const echo = await mux.open({ kind: 'dial', host: 'svc', port: 9000 });
    echo.end('hello cluster');
    assert.equal((await readAll(echo)).toString(), 'hello cluster');
    // A dial nobody answers fails without hanging (the simulator's network reports such dials as a
    // reset after connect rather than a refusal; the loopback agent test covers the refusal text).
    const nowhere = await mux.open({ kind: 'dial', host: '127.0.0.1', port: 1 }).then(
      (s) => new Promise<string>((resolve) => {
        s.once('error', (e) => resolve(e.message));
        s.once('close', () => resolve('closed'));
        s.resume();
        s.end();
      }),
      (e: Error) => e.message,
    );
    assert.match(nowhere, /relay pod failed|reset|closed/);

    // Delete the relay pod mid-transfer: open streams fail with a reason, the mux says why it closed.
    const closed = new Promise<MuxCloseReason>((resolve) => mux.onClose(resolve));
    const bulk = await Promise.all([1, 2].map(() => mux.open({ kind: 'dial', host: 'svc', port: 9001 })));
    let received = 0;
    const failures = bulk.map(
      (s) =>
        new Promise<Error | undefined>((resolve) => {
          s.on('data', (c: Buffer) => (received += c.length));
          s.once('error', resolve);
          s.once('close', () => resolve(undefined));
        }),
    );
    await until(() => received > 4 * MiB, 20_000, 'bulk transfer under way');
    await client.delete(kinds.Pod, namespace, 'relay');
    const reason = await closed;
    assert.ok(['transport', 'goaway', 'dead'].includes(reason.kind), `closed because ${JSON.stringify(reason)}`);
    const errors = await Promise.all(failures);
    // The bulk streams never end by themselves, so each one fails with the tunnel's reason: never a hang.
    for (const e of errors) assert.match(e?.message ?? 'closed without an error', /The tunnel closed: /);
    assert.equal(mux.stats.openStreams, 0);
  } finally {
    mux.dispose();
  }
});
