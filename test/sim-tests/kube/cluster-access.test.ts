import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccess, minimalRole } from '../../../src/kube/access';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { Informer } from '../../../src/kube/watch';
import { WatchHub } from '../../../src/kube/hub';
import { clusterFor, simulatorOnly, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { faultProxyFor } from '../../cluster/faultProxy';
import { withServiceAccount } from '../../cluster/serviceAccount';

const configMapCount = 1200;

async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The suite's namespace with enough ConfigMaps for three pages, written through the API. */
async function clusterWithConfigMaps(t: TestHandle): Promise<{ cluster: ClusterUnderTest; client: KubeClient; ns: string }> {
  const cluster = await clusterFor(t, 'kube-access');
  const client = cluster.client();
  const ns = cluster.namespace;
  const names = Array.from({ length: configMapCount }, (_, i) => `cm-${i}`);
  for (let i = 0; i < names.length; i += 50) {
    await Promise.all(names.slice(i, i + 50).map((name, j) => cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data: { i: String(i + j) } })));
  }
  return { cluster, client, ns };
}

function track(informer: Informer<KubeObject>) {
  const events: InformerEvent<KubeObject>[] = [];
  informer.onEvent((e) => events.push(e));
  return {
    events,
    count: (type: InformerEvent<KubeObject>['type']) => events.filter((e) => e.type === type).length,
    phases: () => events.flatMap((e) => (e.type === 'state' ? [e.state.phase] : [])),
  };
}

test('version, paginated list and a live watch', async (t) => {
  const { cluster, client, ns } = await clusterWithConfigMaps(t);
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, ns, { minWatchMs: 0 });
  t.after(() => informer.dispose());
  assert.match((await client.version()).gitVersion, /^v1\./);
  const page = await client.list(kinds.ConfigMap, ns, { limit: 500 });
  assert.equal(page.items.length, 500);
  assert.ok(page.continue);
  const seen = track(informer);
  informer.start();
  const waitMs = cluster.timeouts.settleMs;
  await until(() => informer.synced, waitMs, 'sync');
  // A real namespace may hold a ConfigMap of its own (kube-root-ca.crt).
  const own = (await client.listAll(kinds.ConfigMap, ns)).items.length - configMapCount;
  assert.equal(informer.objects.size, configMapCount + own);
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh', namespace: ns }, data: { a: 'b' } });
  await until(() => informer.objects.has(`${ns}/fresh`), waitMs, 'added event');
  assert.equal((informer.objects.get(`${ns}/fresh`)?.metadata as { managedFields?: unknown }).managedFields, undefined, 'slim');
  await client.delete(kinds.ConfigMap, ns, 'cm-0');
  await until(() => !informer.objects.has(`${ns}/cm-0`), waitMs, 'deleted event');
  assert.equal(seen.count('synced'), 1);
});

const configMapReader = [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }];

test('a cut connection: the watch resumes without a relist; an unreachable API server: backoff, then recovery', async (t) => {
  const { cluster, ns } = await clusterWithConfigMaps(t);
  const proxy = await faultProxyFor(cluster);
  const reader = await withServiceAccount(cluster, ns, configMapReader, { via: proxy });
  const informer = new Informer<KubeObject>(reader.client(), kinds.ConfigMap, ns, { minWatchMs: 0, backoff: { initialMs: 20, maxMs: 200 } });
  t.after(() => informer.dispose());
  const seen = track(informer);
  const waitMs = cluster.timeouts.settleMs;
  informer.start();
  await until(() => informer.synced, waitMs, 'sync');

  proxy.cut();
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-cut', namespace: ns } });
  await until(() => informer.objects.has(`${ns}/after-cut`), waitMs, 'the event after the cut');
  assert.equal(seen.count('synced'), 1, 'no relist after a dropped connection');

  proxy.refuseConnections();
  proxy.cut();
  await until(() => seen.events.some((e) => e.type === 'state' && e.state.phase === 'backoff' && e.state.error.reason === 'Unreachable'), waitMs, 'backoff: unreachable');
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'while-away', namespace: ns } });
  proxy.acceptConnections();
  await until(() => informer.objects.has(`${ns}/while-away`), waitMs, 'recovered');
  assert.equal(informer.state.phase, 'synced');
});

test('forced 410 relists; 503 backs off and recovers', async (t) => {
  if (simulatorOnly(t, 'a real API server cannot be made to answer 410 Gone or 503 on demand; the simulator injects them')) return;
  const { cluster, client, ns } = await clusterWithConfigMaps(t);
  const sim = cluster.sim();
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, ns, { minWatchMs: 0, backoff: { initialMs: 20, maxMs: 200 } });
  t.after(() => informer.dispose());
  const seen = track(informer);
  informer.start();
  await until(() => informer.synced && sim.openWatches === 1, 5000, 'watching');

  sim.faults.expireNext(1);
  sim.faults.dropWatches();
  await until(() => seen.count('synced') === 2, 5000, 'relist after 410');
  assert.equal(informer.objects.size, configMapCount);

  sim.faults.serverErrors(3);
  sim.faults.dropWatches();
  await until(() => seen.events.some((e) => e.type === 'state' && e.state.phase === 'backoff' && e.state.error.reason === 'ServerError'), 5000, 'backoff');
  // Written in-process: the injected 503s answer HTTP writes too.
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-errors', namespace: ns } });
  await until(() => informer.objects.has(`${ns}/after-errors`), 5000, 'recovered');
  assert.equal(informer.state.phase, 'synced');
});

test('403 names the missing permission; SelfSubjectAccessReview finds the same gaps', async (t) => {
  const cluster = await clusterFor(t, 'kube-access-denied');
  const ns = cluster.namespace;
  // May watch pods; may not list them, nor forward to them.
  const jane = (await withServiceAccount(cluster, ns, [{ apiGroups: [''], resources: ['pods'], verbs: ['watch'] }])).client();
  let error: unknown;
  try {
    await jane.list(kinds.Pod, ns);
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ExplainedError);
  assert.equal(error.reason, 'Forbidden');
  assert.match(error.why, new RegExp(`may not list pods in namespace "${ns}"`));
  assert.match(error.remedy, /verbs: \["list"\]/);

  const checks = [
    { verb: 'list', resource: 'pods', namespace: ns },
    { verb: 'watch', resource: 'pods', namespace: ns },
    { verb: 'create', resource: 'pods', subresource: 'portforward', namespace: ns },
  ];
  const results = await checkAccess(jane, checks);
  assert.deepEqual(results.map((r) => r.allowed), [false, true, false]);
  const role = minimalRole(results.filter((r) => !r.allowed).map((r) => r.check), ns);
  assert.match(role, /pods\/portforward/);
  assert.match(role, /- list/);
});

/** The client, counting the watch responses it holds open (each is one connection to the API server). */
function countingWatches(client: KubeClient): { client: KubeClient; open: () => number } {
  let open = 0;
  const counting = Object.create(client) as KubeClient;
  counting.stream = async (options) => {
    const response = await client.stream(options);
    if (options.query?.watch) {
      open++;
      response.once('close', () => open--);
    }
    return response;
  };
  return { client: counting, open: () => open };
}

test('the hub shares one watch between observers and closes it when the last one leaves', async (t) => {
  const cluster = await clusterFor(t, 'kube-hub');
  const watches = countingWatches(cluster.client());
  // On the simulator the API server's own count must agree.
  const serverSays = (n: number) => cluster.kind !== 'simulator' || cluster.sim().openWatches === n;
  const hub = new WatchHub(() => watches.client, undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());
  const waitMs = cluster.timeouts.settleMs;
  const key = { context: cluster.context, kind: 'ConfigMap', namespace: cluster.namespace };
  const a = hub.observe(key, () => {});
  const b = hub.observe(key, () => {});
  await until(() => a.informer.synced && b.informer.synced && watches.open() === 1 && serverSays(1), waitMs, 'one shared watch');
  const other = hub.observe({ ...key, namespace: '' }, () => {});
  await until(() => other.informer.synced && watches.open() === 2 && serverSays(2), waitMs, 'a second key watches separately');
  a.dispose();
  b.dispose();
  other.dispose();
  await until(() => watches.open() === 0 && serverSays(0), waitMs, 'no watch left open');
});

test('many watches at once never queue a list behind them', async (t) => {
  const cluster = await clusterFor(t, 'kube-access');
  const client = cluster.client();
  const ns = cluster.namespace;
  // More open watch streams than the client keeps connections for short requests (32).
  const watches = new AbortController();
  t.after(() => watches.abort());
  const streams = await Promise.all(
    Array.from({ length: 40 }, () => client.stream({ what: 'Watch ConfigMaps', path: `/api/v1/namespaces/${ns}/configmaps`, query: { watch: 1, timeoutSeconds: 120 }, signal: watches.signal })),
  );
  t.after(() => streams.forEach((s) => s.destroy()));
  // A list queued behind the watches would wait until they end (two minutes); it fails after five seconds instead.
  const list = await client.list(kinds.ConfigMap, ns, { signal: AbortSignal.timeout(5000) });
  assert.ok(Array.isArray(list.items));
});
