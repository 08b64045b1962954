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
  const cluster = await clusterFor(t, 'kube-access', {
    users: [{ name: 'jane', denials: [{ verb: 'list', resource: 'pods' }, { verb: '*', resource: 'pods', subresource: 'portforward' }] }],
  });
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

test('dropped watches resume without relist; forced 410 relists; 503 backs off and recovers', async (t) => {
  if (simulatorOnly(t, 'drops watches, forces 410 Gone and 503 answers by fault injection')) return;
  const { cluster, client, ns } = await clusterWithConfigMaps(t);
  const sim = cluster.sim();
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, ns, { minWatchMs: 0, backoff: { initialMs: 20, maxMs: 200 } });
  t.after(() => informer.dispose());
  const seen = track(informer);
  informer.start();
  await until(() => informer.synced && sim.openWatches === 1, 5000, 'watching');

  sim.faults.dropWatches();
  await cluster.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-drop', namespace: ns } });
  await until(() => informer.objects.has(`${ns}/after-drop`), 5000, 'event after the drop');
  assert.equal(seen.count('synced'), 1, 'no relist after a drop');

  sim.faults.expireNext(1);
  sim.faults.dropWatches();
  await until(() => seen.count('synced') === 2, 5000, 'relist after 410');
  assert.equal(informer.objects.size, configMapCount + 1);

  sim.faults.serverErrors(3);
  sim.faults.dropWatches();
  await until(() => seen.events.some((e) => e.type === 'state' && e.state.phase === 'backoff' && e.state.error.reason === 'ServerError'), 5000, 'backoff');
  // Written in-process: the injected 503s answer HTTP writes too.
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-errors', namespace: ns } });
  await until(() => informer.objects.has(`${ns}/after-errors`), 5000, 'recovered');
  assert.equal(informer.state.phase, 'synced');
});

test('403 names the missing permission; SelfSubjectAccessReview finds the same gaps', async (t) => {
  if (simulatorOnly(t, 'needs a user with denials, which the simulator configures and a real cluster would need RBAC set up for')) return;
  const cluster = await clusterFor(t, 'kube-access-denied', {
    users: [{ name: 'jane', denials: [{ verb: 'list', resource: 'pods' }, { verb: '*', resource: 'pods', subresource: 'portforward' }] }],
  });
  const ns = cluster.namespace;
  const jane = cluster.client('jane');
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

test('the hub shares one watch between observers and closes it when the last one leaves', async (t) => {
  if (simulatorOnly(t, 'counts the watch connections the API server holds open')) return;
  const cluster = await clusterFor(t, 'kube-hub');
  const sim = cluster.sim();
  const client = cluster.client();
  const hub = new WatchHub(() => client, undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());
  const key = { context: cluster.context, kind: 'ConfigMap', namespace: cluster.namespace };
  const a = hub.observe(key, () => {});
  const b = hub.observe(key, () => {});
  await until(() => a.informer.synced && sim.openWatches === 1, 5000, 'one shared watch');
  const other = hub.observe({ ...key, namespace: '' }, () => {});
  await until(() => sim.openWatches === 2, 5000, 'a second key watches separately');
  a.dispose();
  b.dispose();
  other.dispose();
  await until(() => sim.openWatches === 0, 5000, 'no watch left open');
});
