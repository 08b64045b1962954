/**
 * The shipped relay agent (bundled like dist/relay-agent.js) in the cluster under test: delivered in
 * a ConfigMap, run by a stock node image, reached through pods/portforward on its 127.0.0.1 control
 * port, carrying traffic both ways; deleting the pod mid-transfer fails the streams cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { relayAgentScript } from '../agentBundles';
import { kinds } from '../../../src/kube/kinds';
import { openPortForward } from '../../../src/kube/portforward';
import type { MuxCloseReason } from '../../../src/tunnel/mux';
import { connectExtension, HandshakeError } from '../../../src/tunnel/muxHandshake';
import { joinStreams } from '../../../src/tunnel/muxSocket';
import { clusterFor, type TestHandle } from '../../cluster/clusterUnderTest';
import { readAll, until } from '../../unit/tunnel/muxFixtures';

const token = 'sim-session-token-5b1e0c';
const MiB = 1024 * 1024;


const clusterScripts = {
  // A cluster service the extension dials through the relay: echo, and a bulk sender on 9001.
  'svc.js': `const net = require('node:net');
net.createServer({ allowHalfOpen: true }, (s) => s.pipe(s)).listen(9000);
net.createServer((s) => { const b = Buffer.alloc(65536, 5); const pump = () => { while (s.write(b)); }; s.on('drain', pump); s.on('error', () => {}); pump(); }).listen(9001);`,
};

/** Ready once the port answers: real clusters honour the probe; the simulator's runtime reports Ready once the script listens. */
function listening(port: number) {
  return { readinessProbe: { tcpSocket: { port }, periodSeconds: 1 }, ports: [{ containerPort: port, protocol: 'TCP' }] };
}

async function cluster(t: TestHandle) {
  const under = await clusterFor(t, 'tunnel-agent');
  const namespace = under.namespace;
  const image = under.images.relay;
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
  const client = under.client();
  t.after(async () => {
    local.closeAllConnections();
    await new Promise((resolve) => local.close(resolve));
  });
  await under.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'relay-agent', namespace }, data: { 'relay-agent.js': await relayAgentScript() } });
  await under.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'svc', namespace }, data: clusterScripts });
  await under.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'relay', namespace, labels: { app: 'relay' } },
    spec: {
      containers: [
        {
          name: 'agent',
          image,
          command: ['node', '/opt/tether/relay-agent.js'],
          env: [
            { name: 'TETHER_TOKEN', value: token },
            { name: 'TETHER_CONTROL_PORT', value: '7070' },
            { name: 'TETHER_HEALTH_PORT', value: '7071' },
            { name: 'TETHER_DATA_PORTS', value: '8080' },
          ],
          ...listening(8080),
          volumeMounts: [{ name: 'agent', mountPath: '/opt/tether', readOnly: true }],
        },
      ],
      volumes: [{ name: 'agent', configMap: { name: 'relay-agent' } }],
    },
  });
  await under.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'svc', namespace, labels: { app: 'svc' } },
    spec: {
      containers: [{ name: 'svc', image, command: ['node', '/opt/svc/svc.js'], ...listening(9000), volumeMounts: [{ name: 'svc', mountPath: '/opt/svc', readOnly: true }] }],
      volumes: [{ name: 'svc', configMap: { name: 'svc' } }],
    },
  });
  await under.apply({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'svc', namespace },
    spec: { selector: { app: 'svc' }, ports: [{ name: 'echo', port: 9000, targetPort: 9000 }, { name: 'bulk', port: 9001, targetPort: 9001 }] },
  });
  await under.waitForPodReady('app=relay');
  await under.waitForPodReady('app=svc');
  if (under.kind === 'simulator') {
    const runtime = under.podRuntime();
    await until(() => !!runtime.resolvePodPort(namespace, 'relay', 7070) && !!runtime.resolvePodPort(namespace, 'relay', 8080), 20_000, 'relay agent listening');
    await until(() => !!runtime.resolvePodPort(namespace, 'svc', 9000), 20_000, 'cluster service listening');
  }
  const localPort = (local.address() as AddressInfo).port;
  return { under, namespace, client, localPort };
}

/**
 * An in-cluster caller of the relay's data port: on the simulator a direct connection to the pod's
 * listener; a real cluster's pod network is not reachable from here, so a port-forward stands in.
 */
async function dataPortCaller(under: Awaited<ReturnType<typeof cluster>>['under'], client: Awaited<ReturnType<typeof cluster>>['client'], namespace: string): Promise<Duplex> {
  if (under.kind === 'real') return openPortForward(client, namespace, 'relay', 8080);
  const data = under.podRuntime().resolvePodPort(namespace, 'relay', 8080)!;
  return connect({ host: data.host, port: data.port });
}

test('the bundled agent in a pod: control port only through port-forward, traffic both ways, pod deletion fails streams cleanly', { timeout: 600_000 }, async (t) => {
  const { under, namespace, client, localPort } = await cluster(t);
  if (under.kind === 'simulator') {
    // Where the agent listens is visible in the simulator's network only.
    const runtime = under.podRuntime();
    assert.equal(runtime.resolvePodPort(namespace, 'relay', 7070)?.podLocalOnly, true, 'the control port is reachable only through port-forward');
    assert.equal(runtime.resolvePodPort(namespace, 'relay', 8080)?.podLocalOnly, false, 'data ports listen for in-cluster callers');
  }

  // A wrong token is turned away with the reason.
  const wrong = await openPortForward(client, namespace, 'relay', 7070);
  await assert.rejects(connectExtension(wrong, 'not-the-token'), (e: Error) => e instanceof HandshakeError && /session token does not match/.test(e.message));

  const { mux, welcome } = await connectExtension(await openPortForward(client, namespace, 'relay', 7070), token, { pingIntervalMs: 200, deadAfterMs: 3000 });
  try {
    assert.deepEqual(welcome.ports, [8080]);
    mux.onStream((stream) => void joinStreams(stream, connect({ host: '127.0.0.1', port: localPort, allowHalfOpen: true })));

    // Inbound: an in-cluster caller on the relay's data port reaches the local service.
    const body = Buffer.alloc(3 * MiB, 9);
    const raw = await dataPortCaller(under, client, namespace);
    raw.end(Buffer.concat([Buffer.from(`POST /orders HTTP/1.1\r\nHost: web\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]));
    const response = (await readAll(raw)).toString();
    assert.match(response, new RegExp(`local POST /orders ${body.length} ${createHash('sha256').update(body).digest('hex')}`));

    // Outbound: the extension dials a cluster service by its Service name from inside the pod.
    const echo = await mux.open({ kind: 'dial', host: 'svc', port: 9000 });
    echo.end('hello cluster');
    assert.equal((await readAll(echo)).toString(), 'hello cluster');
    // A dial nobody answers fails without hanging (the simulator's network reports such dials as a
    // reset after connect rather than a refusal; a real pod's network refuses them).
    const nowhere = await mux.open({ kind: 'dial', host: '127.0.0.1', port: 1 }).then(
      (s) => new Promise<string>((resolve) => {
        s.once('error', (e) => resolve(e.message));
        s.once('close', () => resolve('closed'));
        s.resume();
        s.end();
      }),
      (e: Error) => e.message,
    );
    assert.match(nowhere, /relay pod failed|reset|refused|closed/);

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
    await until(() => received > 4 * MiB, under.timeouts.settleMs, 'bulk transfer under way');
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
