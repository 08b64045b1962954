import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { createPodRuntime } from '../../sim/runtime/index';
import { FakeCluster } from './fakeCluster';
import { isReady, nodePod, scriptConfigMap } from './podFixtures';
import { PortForwardClient } from './portForwardClient';
import { startRuntimeServer } from './runtimeServer';

const bigBytes = 50 * 1024 * 1024;
const uploadBytes = 20 * 1024 * 1024;

const scripts = {
  'web.js': `require('node:http').createServer((req, res) => res.end('hello from ' + req.url + '\\n')).listen(8080);
require('node:net').createServer((s) => s.end('private\\n')).listen(7000, '127.0.0.1');`,
  'big.js': `
const chunk = Buffer.alloc(65536, 'x');
require('node:net').createServer((sock) => {
  let sent = 0;
  const pump = () => {
    while (sent < ${bigBytes}) {
      sent += chunk.length;
      if (!sock.write(chunk)) return void sock.once('drain', pump);
    }
    sock.end();
  };
  pump();
}).listen(9000);
require('node:net').createServer((sock) => {
  let n = 0;
  sock.pause();
  setTimeout(() => sock.resume(), 500);
  sock.on('data', (d) => { n += d.length; if (n >= ${uploadBytes}) sock.end('got ' + n); });
}).listen(9001);`,
};

async function setup(t: { after(fn: () => unknown): void }, latency = { ms: 0 }) {
  const cluster = new FakeCluster();
  const runtime = createPodRuntime(cluster, { portForward: { highWaterMark: 1024 * 1024, lowWaterMark: 256 * 1024 } });
  const server = await startRuntimeServer(cluster, runtime, () => latency.ms);
  cluster.add(scriptConfigMap('app', scripts));
  t.after(async () => {
    await server.close();
    runtime.dispose();
    cluster.dispose();
  });
  const base = `http://127.0.0.1:${server.port}`;
  return { cluster, runtime, server, base };
}

async function runningPod(cluster: FakeCluster, runtime: ReturnType<typeof createPodRuntime>, name: string, script: string, ports: number[]) {
  runtime.start(cluster.add(nodePod({ name, configMap: 'app', script, ports })));
  await cluster.waitFor('Pod', 'default', name, isReady);
  for (const port of ports) {
    while (!runtime.resolvePodPort('default', name, port)) await new Promise((r) => setTimeout(r, 10));
  }
}

const refusedPattern = (port: number) =>
  new RegExp(
    `^error forwarding port ${port} to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace "/var/run/netns/cni-[0-9a-f-]{36}": ` +
      `failed to connect to localhost:${port} inside namespace "[0-9a-f]{64}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused ` +
      'IPv6 dial tcp6: address localhost: no suitable address found $',
  );

test('forwards HTTP to a process pod; each channel first announces the port little-endian', async (t) => {
  const { cluster, runtime, base } = await setup(t);
  await runningPod(cluster, runtime, 'web', 'web.js', [8080, 7000]);
  const client = await PortForwardClient.open(base, 'default', 'web', [8080, 7000]);
  client.send(0, 'GET /path HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
  await client.until(() => client.text(0).includes('hello from /path') && client.text(1) === 'private\n');
  assert.deepEqual(client.ports[0].announced, [8080, 8080]);
  assert.deepEqual(client.ports[1].announced, [7000, 7000]);
  assert.match(client.text(0), /^HTTP\/1\.1 200 OK/);
  assert.equal(runtime.resolvePodPort('default', 'web', 7000)?.podLocalOnly, true, 'bound to 127.0.0.1: port-forward only');
  assert.equal(runtime.resolvePodPort('default', 'web', 8080)?.podLocalOnly, false);
  assert.equal(await client.closed, 1000, 'closes once every forwarded connection ended');
});

test('a port nothing listens on, and a pod without processes, get the kubelet error text', async (t) => {
  const { cluster, runtime, base } = await setup(t);
  await runningPod(cluster, runtime, 'web', 'web.js', [8080]);
  const client = await PortForwardClient.open(base, 'default', 'web', [9999]);
  await client.closed;
  assert.match(client.ports[0].error, refusedPattern(9999));
  cluster.add({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'synthetic', namespace: 'default', uid: '', resourceVersion: '' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const other = await PortForwardClient.open(base, 'default', 'synthetic', [80]);
  await other.closed;
  assert.match(other.ports[0].error, refusedPattern(80));
});

test('refuses a request without ports and an unknown subprotocol with 400 Status bodies', async (t) => {
  const { cluster, server, base } = await setup(t);
  cluster.add({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: '', resourceVersion: '' }, spec: { containers: [{ name: 'c' }] } });
  const noPorts = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port: server.port,
      path: '/api/v1/namespaces/default/pods/p/portforward',
      headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==', 'Sec-WebSocket-Protocol': 'v4.channel.k8s.io' },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('upgraded without ports')));
    req.on('error', reject);
    req.end();
  });
  assert.equal(noPorts.status, 400);
  const status = JSON.parse(noPorts.body) as { kind: string; reason: string; code: number };
  assert.deepEqual([status.kind, status.reason, status.code], ['Status', 'BadRequest', 400]);
  await assert.rejects(PortForwardClient.open(base, 'default', 'p', [80], { protocol: 'v5.channel.k8s.io' }), (err: { statusCode?: number; body?: string }) => {
    assert.equal(err.statusCode, 400);
    assert.match(String(err.body), /requested protocol\(s\) are not supported/);
    return true;
  });
});

test('injected latency holds back what the pod sends, in order, on open port-forwards too; sessions are counted', async (t) => {
  const latency = { ms: 0 };
  const { cluster, runtime, base } = await setup(t, latency);
  await runningPod(cluster, runtime, 'web', 'web.js', [8080]);
  const before = runtime.portForwardStats.sessions;
  const client = await PortForwardClient.open(base, 'default', 'web', [8080]);
  await client.until(() => client.ports[0].announced.length === 2);
  latency.ms = 150;
  const started = performance.now();
  client.send(0, 'GET /slow HTTP/1.1\r\nHost: web\r\n\r\n');
  await client.until(() => client.text(0).includes('hello from /slow'));
  assert.ok(performance.now() - started >= 140, 'the answer waited for the latency');
  latency.ms = 0;
  client.send(0, 'GET /fast HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n');
  await client.until(() => client.text(0).includes('hello from /fast'));
  assert.ok(client.text(0).indexOf('/slow') < client.text(0).indexOf('/fast'), 'in order');
  assert.equal(await client.closed, 1000);
  assert.equal(runtime.portForwardStats.sessions, before + 1);
});

test('cutPortForwards drops every open port-forward abruptly', async (t) => {
  const { cluster, runtime, base } = await setup(t);
  await runningPod(cluster, runtime, 'web', 'web.js', [8080]);
  const a = await PortForwardClient.open(base, 'default', 'web', [8080]);
  const b = await PortForwardClient.open(base, 'default', 'web', [8080]);
  assert.equal(runtime.portForwardStats.open, 2);
  runtime.cutPortForwards();
  assert.deepEqual(await Promise.all([a.closed, b.closed]), [1006, 1006]);
  assert.equal(runtime.portForwardStats.open, 0);
});

test('50 MB to a slow reader and 20 MB into a slow pod stay within the buffer bounds', async (t) => {
  const { cluster, runtime, base } = await setup(t);
  await runningPod(cluster, runtime, 'big', 'big.js', [9000, 9001]);
  const hash = createHash('sha256');
  let received = 0;
  const down: PortForwardClient = await PortForwardClient.open(base, 'default', 'big', [9000], {
    onData: (_index, payload) => {
      hash.update(payload);
      const before = received;
      received += payload.length;
      if (Math.floor(before / (4 << 20)) !== Math.floor(received / (4 << 20))) {
        down.ws.pause();
        setTimeout(() => down.ws.resume(), 40);
      }
    },
  });
  await down.closed;
  assert.equal(received, bigBytes);
  const expected = createHash('sha256');
  const chunk = Buffer.alloc(65536, 'x');
  for (let i = 0; i < bigBytes / chunk.length; i++) expected.update(chunk);
  assert.equal(hash.digest('hex'), expected.digest('hex'));
  assert.ok(runtime.portForwardStats.peakBufferedBytes <= 1024 * 1024 + 65536 * 2, `peak backlog ${runtime.portForwardStats.peakBufferedBytes}`);

  const up = await PortForwardClient.open(base, 'default', 'big', [9001]);
  const block = Buffer.alloc(65536, 'y');
  let sent = 0;
  while (sent < uploadBytes) {
    up.send(0, block);
    sent += block.length;
    while (up.ws.bufferedAmount > 4 << 20) await new Promise((r) => setTimeout(r, 5));
  }
  await up.until(() => up.text(0) === `got ${uploadBytes}`);
  assert.ok(runtime.portForwardStats.peakPodBufferedBytes <= 512 * 1024, `peak pod write buffer ${runtime.portForwardStats.peakPodBufferedBytes}`);
});
