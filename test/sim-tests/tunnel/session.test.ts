import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import { AGENT_VERSION } from '../../../src/agent/config';
import type { KubeObject } from '../../../src/kube/types';
import { stopTunnel } from '../../../src/tunnel/relayDeploy';
import { forwardEnvironment } from '../../../src/tunnel/sessionEnvironment';
import { startTunnel } from '../../../src/tunnel/sessionStart';
import { agentScript, callRelay, deployBackend, httpGet, relay, stateWhere, tunnelCluster } from './sessionCluster';

const connected = (s: { phase: string }) => s.phase === 'connected';

test('an in-cluster caller reaches the local server through the relay; stats count it', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  const session = cluster.session();
  const state = await stateWhere(session, connected);
  assert.equal(state.phase === 'connected' && state.agentVersion, AGENT_VERSION);
  const answer = await callRelay(cluster, '/orders?id=7');
  assert.equal(answer.status, 200);
  assert.equal(answer.body, 'local says hi to /orders?id=7');
  assert.deepEqual(cluster.hits, ['/orders?id=7']);
  await new Promise((r) => setTimeout(r, 250));
  const stats = session.stats;
  assert.equal(stats.inboundServed, 1);
  assert.ok(stats.bytesIn > 0 && stats.bytesOut > 0);
  assert.equal(typeof stats.rttMs, 'number');
});

test('nothing listening locally: the caller sees a closed connection, the user one message', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  const session = cluster.session({ local: { host: '127.0.0.1', port: 1 } });
  await stateWhere(session, connected);
  const problems: string[] = [];
  session.onLocalProblem((p) => problems.push(p.message));
  await assert.rejects(callRelay(cluster, '/a'));
  await assert.rejects(callRelay(cluster, '/b'));
  assert.deepEqual(problems, ['nothing listens on 127.0.0.1:1 on this computer']);
  assert.equal(session.stats.inboundRefused, 2);
  assert.equal(session.state.phase, 'connected', 'a refused stream never takes the tunnel down');
});

test('outbound: a local listener reaches a cluster service from inside the relay pod', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  await deployBackend(cluster);
  const session = cluster.session();
  await stateWhere(session, connected);
  const forward = await session.open('backend', 80);
  assert.match(forward.localAddress, /^127\.0\.0\.1:\d+$/);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const answer = await httpGet('127.0.0.1', forward.localPort, '/inventory').catch((e: Error) => ({ status: 0, body: e.message }));
    if (answer.status === 200) {
      assert.equal(answer.body, 'backend /inventory');
      break;
    }
    if (Date.now() > deadline) assert.fail(`the backend never answered through the forward: ${answer.body}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  forward.dispose();
  await assert.rejects(httpGet('127.0.0.1', forward.localPort, '/gone'));

  const env = await forwardEnvironment(session, cluster.client, cluster.namespace, { variables: { BACKEND_URL: 'http://backend/items', MODE: 'dev' }, secretVariables: [], problems: [] });
  assert.deepEqual(env.forwards.map((f) => [f.service, f.port]), [['backend', 80]]);
  const rewritten = /^http:\/\/127\.0\.0\.1:(\d+)\/items$/.exec(env.variables.BACKEND_URL);
  assert.ok(rewritten, env.variables.BACKEND_URL);
  assert.equal(env.variables.MODE, 'dev');
  assert.equal((await httpGet('127.0.0.1', Number(rewritten[1]), '/items')).body, 'backend /items');
});

test('stopTunnel deletes exactly the objects Tether created for the tunnel', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  // A look-alike without Tether's managed-by label must survive.
  await cluster.client.request({
    what: 'create look-alike',
    method: 'POST',
    path: `/api/v1/namespaces/${cluster.namespace}/configmaps`,
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'not-ours', labels: { 'tether.dev/tunnel': relay } }, data: {} },
  });
  const stopped = await stopTunnel(cluster.client, cluster.namespace, relay);
  assert.deepEqual(stopped.deleted.sort(), [`ConfigMap/${relay}`, `Deployment/${relay}`, `Secret/${relay}-token`, `Service/${relay}`].sort());
  const left = await cluster.client.list<KubeObject>(kinds.ConfigMap, cluster.namespace, { labelSelector: `tether.dev/tunnel=${relay}` });
  assert.deepEqual(
    left.items.map((i) => i.metadata.name),
    ['not-ours'],
  );
  assert.deepEqual((await stopTunnel(cluster.client, cluster.namespace, relay)).deleted, [], 'stopping twice is fine');
});

test('dispose closes the connection and every forward it opened', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  const session = cluster.session();
  await stateWhere(session, connected);
  const forward = await session.open('backend', 80);
  session.dispose();
  assert.equal(session.state.phase, 'stopped');
  const free = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(forward.localPort, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
  assert.ok(free, 'the forward port is released');
  if (cluster.cluster.kind === 'simulator') {
    // Only the simulator can count the port-forwards the API server holds open; their close reaches it a moment later.
    await cluster.cluster.until(() => cluster.cluster.podRuntime().portForwardStats.open === 0, 'no port-forward left open');
  }
});

test('startTunnel takes the ports from the workload, redeploys the relay with a fresh token and connects', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  await cluster.client.request({
    what: 'create web',
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${cluster.namespace}/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ name: 'http', containerPort: 8080 }] }] } },
      },
    },
  });
  const before = await cluster.relayPod();
  const progress: string[] = [];
  const started = await startTunnel(
    { client: cluster.client, namespace: cluster.namespace, image: cluster.cluster.images.relay, workload: { kind: 'Deployment', name: 'web' }, localPort: cluster.localPort, agentScript: await agentScript(), owner: 'jane', session: { backoff: { initialMs: 100, maxMs: 500 } } },
    (m) => progress.push(m),
  );
  t.after(() => started.session.dispose());
  assert.equal(started.name, relay);
  assert.deepEqual(started.ports, [{ name: 'http', port: 8080, targetPort: 8080 }]);
  assert.ok(progress.some((m) => m.startsWith('Deploying the relay')));
  const state = started.session.state;
  assert.ok(state.phase === 'connected' && state.pod !== before.metadata.name, 'the new token rolled a new relay pod');
  const answer = await callRelay(cluster, '/started');
  assert.equal(answer.body, 'local says hi to /started');
});

test('a tunnel that never comes up says why and leaves nothing in the cluster', async (t) => {
  const cluster = await tunnelCluster(t, 'tunnel-session');
  await stopTunnel(cluster.client, cluster.namespace, relay);
  await cluster.client.request({
    what: 'create web',
    method: 'POST',
    path: `/apis/apps/v1/namespaces/${cluster.namespace}/deployments`,
    body: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1', ports: [{ containerPort: 8080 }] }] } } },
    },
  });
  const err = await startTunnel({
    client: cluster.client,
    namespace: cluster.namespace,
    image: cluster.cluster.images.relay,
    workload: { kind: 'Deployment', name: 'web' },
    localPort: cluster.localPort,
    agentScript: "console.error('agent: cannot start'); process.exit(3);",
    owner: 'jane',
    connectTimeoutMs: 3000,
    session: { backoff: { initialMs: 100, maxMs: 300 } },
  }).catch((e: unknown) => e);
  assert.ok(err instanceof ExplainedError, String(err));
  // Which of these depends on when the last look at the pod falls: a real kubelet shows the exit
  // ("…"'s agent exited) between the restarts of a crash loop.
  assert.match(err.why, /relay pod "tether-relay-web-[a-z0-9-]+"( is waiting: CrashLoopBackOff|'s agent exited| is not ready yet| is starting)/);
  for (const kind of [kinds.Deployment, kinds.ConfigMap, kinds.Secret, kinds.Service]) {
    const left = await cluster.client.list<KubeObject>(kind, cluster.namespace, { labelSelector: `tether.dev/tunnel=${relay}` });
    assert.deepEqual(left.items.map((i) => i.metadata.name), [], kind.kind);
  }
});
