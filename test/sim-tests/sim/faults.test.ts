import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:tls';
import type { Duplex } from 'node:stream';
import { startSimulator, type Simulator } from '../../sim/server';
import { MemoryRuntime } from '../../sim/memory-runtime';
import type { SubresourceRequest } from '../../sim/contracts';
import { call, grant, watch } from './sim-client';

let sim: Simulator;
const calls: string[] = [];

class RecordingRuntime extends MemoryRuntime {
  override servePortForward(request: SubresourceRequest, socket: Duplex): void {
    calls.push(`portforward ${request.namespace}/${request.pod.metadata.name} ${request.url.searchParams.get('ports')}`);
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  }

  override cutPortForwards(): void {
    calls.push('cut');
  }
}

before(async () => {
  sim = await startSimulator({
    controllers: false,
    runtime: (cluster) => new RecordingRuntime(cluster),
    users: [{ name: 'viewer' }],
  });
  await grant(sim, 'default', 'viewer', { kind: 'User', name: 'viewer' }, [{ apiGroups: [''], resources: ['pods/portforward'], verbs: ['get'] }]);
  await call(sim, 'POST', '/api/v1/namespaces/default/pods', { body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } } });
  await call(sim, 'PATCH', '/api/v1/namespaces/default/pods/p/status', { body: { status: { phase: 'Running' } }, contentType: 'application/merge-patch+json' });
});
after(() => sim.stop());

test('dropWatches cuts open watches', async () => {
  const w = await watch(sim, '/api/v1/namespaces/default/configmaps?watch=1');
  assert.equal(sim.openWatches, 1);
  sim.faults.dropWatches();
  await w.ended;
  assert.equal(sim.openWatches, 0);
});

test('expireNext forces 410 on the next watches and lists', async () => {
  sim.faults.expireNext(2);
  const w = await watch(sim, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${sim.store.resourceVersion}`);
  const event = await w.next();
  assert.equal(event.type, 'ERROR');
  assert.equal(event.object.code, 410);
  const list = await call(sim, 'GET', '/api/v1/namespaces/default/configmaps');
  assert.equal(list.status, 410);
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);
});

test('serverErrors answers 503 with a Status and Retry-After, for N requests or a path pattern', async () => {
  sim.faults.serverErrors(2);
  for (let i = 0; i < 2; i++) {
    const r = await call(sim, 'GET', '/api/v1/namespaces');
    assert.equal(r.status, 503);
    assert.equal(r.headers['retry-after'], '1');
    assert.equal(r.body.reason, 'ServiceUnavailable');
  }
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces')).status, 200);
  sim.faults.serverErrors(undefined, '/configmaps');
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps')).status, 503);
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces')).status, 200);
  sim.faults.clearServerErrors();
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);
});

test('POST /__sim/faults drives faults from another process; it needs the token', async () => {
  assert.equal((await call(sim, 'POST', '/__sim/faults', { body: { serverErrors: { count: 1 } }, token: null })).status, 401);
  assert.equal((await call(sim, 'POST', '/__sim/faults', { body: { serverErrors: { count: 1 }, latencyMs: 150 } })).status, 200);
  const start = Date.now();
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces')).status, 503);
  assert.ok(Date.now() - start >= 140, 'latency applies');
  await call(sim, 'POST', '/__sim/faults', { body: { latencyMs: 0 } });
});

test('an outage refuses connections, then the server comes back on the same port', async () => {
  const outage = sim.faults.outage(300);
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(call(sim, 'GET', '/version'), /ECONNREFUSED|ECONNRESET|socket hang up/);
  await outage;
  assert.equal((await call(sim, 'GET', '/version')).status, 200);
});

function upgrade(path: string, token: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: sim.port, ca: sim.caPem, servername: 'localhost' }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v4.channel.k8s.io\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

test('pods/portforward upgrades reach the runtime after authorization; cutPortForwards reaches it too', async () => {
  calls.length = 0;
  const denied = await upgrade('/api/v1/namespaces/default/pods/p/portforward?ports=8080', sim.tokenOf('viewer'));
  assert.match(denied, /^HTTP\/1\.1 403/);
  assert.match(denied, /cannot create resource \\"pods\/portforward\\"/);
  const ok = await upgrade('/api/v1/namespaces/default/pods/p/portforward?ports=8080', sim.token);
  assert.match(ok, /^HTTP\/1\.1 101/);
  assert.deepEqual(calls, ['portforward default/p 8080']);
  const missing = await upgrade('/api/v1/namespaces/default/pods/nope/portforward?ports=1', sim.token);
  assert.match(missing, /^HTTP\/1\.1 404/);
  sim.faults.cutPortForwards();
  assert.deepEqual(calls.slice(-1), ['cut']);
});
