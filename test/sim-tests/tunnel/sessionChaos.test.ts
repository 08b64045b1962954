import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { DropReason } from '../../../src/tunnel/reconnectReason';
import type { TunnelState } from '../../../src/tunnel/session';
import { callRelay, deployBackend, httpGet, stateWhere, tunnelCluster, type TunnelCluster } from './sessionCluster';

const connected = (s: TunnelState) => s.phase === 'connected';
const reconnectingFor = (cause: DropReason['cause']) => (s: TunnelState) => s.phase === 'reconnecting' && s.reason.cause === cause;

function proxyOf(cluster: TunnelCluster) {
  if (!cluster.proxy) throw new Error('tunnelCluster(…, { faults: true }) puts a fault proxy in front of the API server');
  return cluster.proxy;
}

async function eventually<T>(fn: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

test('a cut port-forward: the drop has a reason, in-flight streams fail, forwards survive, the tunnel comes back', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-chaos', { faults: true });
  await deployBackend(cluster);
  const session = cluster.session();
  await stateWhere(session, connected);
  const forward = await session.open('backend', 80);
  assert.equal((await eventually(() => httpGet('127.0.0.1', forward.localPort, '/before'))).body, 'backend /before');
  const drops: DropReason[] = [];
  session.onDrop((d) => drops.push(d));
  proxyOf(cluster).cut();
  await stateWhere(session, (s) => s.phase === 'reconnecting');
  assert.equal(drops.length, 1);
  assert.equal(drops[0].cause, 'proxy-closed');
  assert.match(drops[0].message, /closed the port-forward connection/);
  await stateWhere(session, connected);
  const answer = await eventually(() => callRelay(cluster, '/after-cut'));
  assert.equal(answer.body, 'local says hi to /after-cut');
  assert.equal(session.stats.forwards, 1, 'the forward still listens');
  assert.equal((await eventually(() => httpGet('127.0.0.1', forward.localPort, '/after'))).body, 'backend /after', 'the same local port works after the reconnect');
});

test('API server away for 7 s: reconnecting says it is unreachable, then recovers by itself', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-chaos', { faults: true });
  const session = cluster.session({ mux: { pingIntervalMs: 200, deadAfterMs: 1500 } });
  await stateWhere(session, connected);
  const seen: TunnelState[] = [];
  session.onDidChangeState((s) => seen.push(s));
  const outage = proxyOf(cluster).outage(7000);
  const away = await stateWhere(session, reconnectingFor('api-server'), 10_000);
  assert.equal(away.phase === 'reconnecting' && away.reason.needsUser, false);
  await outage;
  await stateWhere(session, connected, 15_000);
  const answer = await eventually(() => callRelay(cluster, '/after-outage'));
  assert.equal(answer.status, 200);
  const delays = seen.flatMap((s) => (s.phase === 'reconnecting' ? [s.retryInMs] : []));
  assert.ok(delays.every((d) => d <= 1000), `backoff stays within its cap: ${delays.join(', ')}`);
});

test('relay pod deleted: the Deployment makes a new one, the session says so and reconnects to it', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-chaos');
  const session = cluster.session();
  await stateWhere(session, connected);
  const first = await cluster.relayPod();
  const drops: DropReason[] = [];
  session.onDrop((d) => drops.push(d));
  // Someone else (or the node) takes the pod away.
  await cluster.cluster.client().delete(kinds.Pod, cluster.namespace, first.metadata.name);
  const back = await stateWhere(session, (s) => s.phase === 'connected' && s.pod !== first.metadata.name, 20_000);
  assert.equal(back.phase, 'connected');
  assert.equal(drops[0]?.cause, 'relay-restarted', JSON.stringify(drops));
  assert.match(drops[0].message, new RegExp(first.metadata.name));
  const answer = await eventually(() => callRelay(cluster, '/new-pod'));
  assert.equal(answer.body, 'local says hi to /new-pod');
});

test('credentials that stop working: a clear reason that needs the user, and recovery once they work again', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-chaos', { faults: true });
  const session = cluster.session();
  await stateWhere(session, connected);
  const revoked = cluster.developer.token;
  // The ServiceAccount goes (its tokens with it) and the connection drops.
  await cluster.developer.revoke();
  proxyOf(cluster).cut();
  const refused = await stateWhere(session, reconnectingFor('credentials'));
  assert.ok(refused.phase === 'reconnecting' && refused.reason.needsUser);
  assert.match(refused.phase === 'reconnecting' ? refused.reason.message : '', /credentials were not accepted/);
  assert.ok(!JSON.stringify(refused).includes(revoked), 'the token never reaches the state');
  // New credentials, as a cloud login would hand out: the exec plugin gives them after the 401.
  await cluster.developer.restore();
  session.retryNow();
  await stateWhere(session, connected);
});

test('the connection goes silent: dead within the deadline, then back', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-chaos', { faults: true });
  const session = cluster.session({ mux: { pingIntervalMs: 100, deadAfterMs: 800 } });
  await stateWhere(session, connected);
  const proxy = proxyOf(cluster);
  // Nothing flows either way, and nothing is closed: the relay's pongs never arrive. The session
  // then asks the API server about the relay pod, which cannot answer either (at most 3 s).
  proxy.pause();
  try {
    const dropped = await stateWhere(session, (s) => s.phase === 'reconnecting', 8000);
    const reason = dropped.phase === 'reconnecting' ? dropped.reason : undefined;
    // Declared dead by the ping deadline (800 ms); on a loaded machine the look-up of the relay pod
    // through the same paused path may fail first, which names the API server instead.
    if (reason?.cause === 'api-server') assert.match(reason.message, /the API server is unreachable/, JSON.stringify(dropped));
    else {
      assert.equal(reason?.cause, 'network', JSON.stringify(dropped));
      assert.match(reason?.message ?? '', /^no answer from the relay for 1 s/, 'declared dead by the ping deadline (800 ms)');
    }
  } finally {
    proxy.resume();
  }
  await stateWhere(session, connected, 15_000);
  const answer = await eventually(() => callRelay(cluster, '/after-silence'));
  assert.equal(answer.body, 'local says hi to /after-silence');
});
