import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccess, minimalRole } from '../../../src/kube/access';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { Informer } from '../../../src/kube/watch';
import { WatchHub } from '../../../src/kube/hub';
import { startSimulator, type Simulator } from '../../sim/server';

async function until(predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function simulator(t: { after(fn: () => Promise<void> | void): void }): Promise<Simulator> {
  const sim = await startSimulator({
    controllers: false,
    users: [{ name: 'jane', denials: [{ verb: 'list', resource: 'pods', namespace: 'shop' }, { verb: '*', resource: 'pods', subresource: 'portforward' }] }],
  });
  t.after(() => sim.stop());
  sim.seed([
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    ...Array.from({ length: 1200 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'shop' }, data: { i: String(i) } })),
  ]);
  return sim;
}

function clientOf(sim: Simulator, context = sim.context): KubeClient {
  return KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), context);
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

test('version, paginated list and a live watch against the simulator', async (t) => {
  const sim = await simulator(t);
  const client = clientOf(sim);
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, 'shop', { minWatchMs: 0 });
  t.after(() => {
    informer.dispose();
    client.dispose();
  });
  assert.match((await client.version()).gitVersion, /^v1\./);
  const page = await client.list(kinds.ConfigMap, 'shop', { limit: 500 });
  assert.equal(page.items.length, 500);
  assert.ok(page.continue);
  const seen = track(informer);
  informer.start();
  await until(() => informer.synced, 5000, 'sync');
  assert.equal(informer.objects.size, 1200);
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh', namespace: 'shop' }, data: { a: 'b' } });
  await until(() => informer.objects.has('shop/fresh'), 5000, 'added event');
  assert.equal((informer.objects.get('shop/fresh')?.metadata as { managedFields?: unknown }).managedFields, undefined, 'slim');
  await client.delete(kinds.ConfigMap, 'shop', 'cm-0');
  await until(() => !informer.objects.has('shop/cm-0'), 5000, 'deleted event');
  assert.equal(seen.count('synced'), 1);
});

test('dropped watches resume without relist; forced 410 relists; 503 backs off and recovers', async (t) => {
  const sim = await simulator(t);
  const client = clientOf(sim);
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, 'shop', { minWatchMs: 0, backoff: { initialMs: 20, maxMs: 200 } });
  t.after(() => {
    informer.dispose();
    client.dispose();
  });
  const seen = track(informer);
  informer.start();
  await until(() => informer.synced && sim.openWatches === 1, 5000, 'watching');

  sim.faults.dropWatches();
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-drop', namespace: 'shop' } });
  await until(() => informer.objects.has('shop/after-drop'), 5000, 'event after the drop');
  assert.equal(seen.count('synced'), 1, 'no relist after a drop');

  sim.faults.expireNext(1);
  sim.faults.dropWatches();
  await until(() => seen.count('synced') === 2, 5000, 'relist after 410');
  assert.equal(informer.objects.size, 1201);

  sim.faults.serverErrors(3);
  sim.faults.dropWatches();
  await until(() => seen.events.some((e) => e.type === 'state' && e.state.phase === 'backoff' && e.state.error.reason === 'ServerError'), 5000, 'backoff');
  sim.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-errors', namespace: 'shop' } });
  await until(() => informer.objects.has('shop/after-errors'), 5000, 'recovered');
  assert.equal(informer.state.phase, 'synced');
});

test('403 names the missing permission; SelfSubjectAccessReview finds the same gaps', async (t) => {
  const sim = await simulator(t);
  const jane = clientOf(sim, sim.contextOf('jane'));
  t.after(() => jane.dispose());
  let error: unknown;
  try {
    await jane.list(kinds.Pod, 'shop');
  } catch (err) {
    error = err;
  }
  assert.ok(error instanceof ExplainedError);
  assert.equal(error.reason, 'Forbidden');
  assert.match(error.why, /may not list pods in namespace "shop"/);
  assert.match(error.remedy, /verbs: \["list"\]/);

  const checks = [
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { verb: 'watch', resource: 'pods', namespace: 'shop' },
    { verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'shop' },
  ];
  const results = await checkAccess(jane, checks);
  assert.deepEqual(results.map((r) => r.allowed), [false, true, false]);
  const role = minimalRole(results.filter((r) => !r.allowed).map((r) => r.check), 'shop');
  assert.match(role, /pods\/portforward/);
  assert.match(role, /- list/);
});

test('the hub shares one watch between observers and closes it when the last one leaves', async (t) => {
  const sim = await simulator(t);
  const client = clientOf(sim);
  const hub = new WatchHub(() => client, undefined, { lingerMs: 0 });
  t.after(() => {
    hub.dispose();
    client.dispose();
  });
  const key = { context: sim.context, kind: 'ConfigMap', namespace: 'shop' };
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
