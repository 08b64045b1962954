import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { WatchHub } from '../../../src/kube/hub';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { sendJson, until } from './local-cluster';
import { configMap, startScriptedApi, streamLines } from './scripted-api';

async function setup(t: { after(fn: () => Promise<void> | void): void }, lingerMs: number) {
  const api = await startScriptedApi();
  api.objects = [configMap('a', '1'), configMap('b', '2')];
  api.watchSteps = [streamLines([], false)];
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: api.cluster.kubeconfigPath }), 'local');
  const contexts: string[] = [];
  const hub = new WatchHub(
    (context) => {
      contexts.push(context);
      return client;
    },
    undefined,
    { lingerMs, informer: { minWatchMs: 0, watchTimeoutSeconds: () => 5 } },
  );
  t.after(async () => {
    hub.dispose();
    client.dispose();
    await api.close();
  });
  return { api, hub, contexts };
}

const key = { context: 'local', kind: 'ConfigMap', namespace: 'samples' };

test('observers of one key share one informer; a late observer gets synced at once', async (t) => {
  const { api, hub, contexts } = await setup(t, 0);
  const first: InformerEvent<KubeObject>[] = [];
  const a = hub.observe(key, (e) => first.push(e));
  await until(() => a.informer.synced, 3000, 'sync');
  const late: InformerEvent<KubeObject>[] = [];
  const b = hub.observe(key, (e) => late.push(e));
  assert.equal(b.informer, a.informer);
  await until(() => late.length > 0, 1000, 'late synced');
  assert.equal(late[0].type, 'synced');
  assert.equal(late[0].type === 'synced' && late[0].objects.size, 2);
  assert.equal(api.lists.length, 1, 'one list');
  assert.deepEqual(contexts, ['local']);
  assert.equal(hub.size, 1);
  a.dispose();
  assert.equal(hub.size, 1, 'still observed');
  b.dispose();
  assert.equal(hub.size, 0, 'last observer stops it');
  assert.equal(a.informer.state.phase, 'stopped');
  await until(() => api.openWatches.size === 0, 3000, 'watch closed');
  const other = hub.observe({ ...key, namespace: '' }, () => {});
  assert.notEqual(other.informer, a.informer);
  other.dispose();
});

test('linger keeps the informer for a returning observer, then stops it', async (t) => {
  const { api, hub } = await setup(t, 100);
  const a = hub.observe(key, () => {});
  await until(() => a.informer.synced, 3000, 'sync');
  a.dispose();
  const b = hub.observe(key, () => {});
  assert.equal(b.informer, a.informer, 'reused within the linger');
  b.dispose();
  assert.equal(hub.size, 1);
  await until(() => hub.size === 0, 1000, 'stopped after linger');
  assert.equal(api.lists.length, 1);
  assert.throws(() => hub.observe({ ...key, kind: 'Gizmo' }, () => {}), /not a kind Tether knows/);
});

test('a disposed subscription gets no more events; hub dispose stops everything', async (t) => {
  const { api, hub } = await setup(t, 10_000);
  const seen: string[] = [];
  const sub = hub.observe(key, (e) => seen.push(e.type));
  await until(() => sub.informer.synced, 3000, 'sync');
  sub.dispose();
  const count = seen.length;
  hub.dispose();
  assert.equal(seen.length, count);
  assert.equal(sub.informer.state.phase, 'stopped');
  await until(() => api.openWatches.size === 0, 3000, 'watch closed');
});

test('a late observer of a retrying informer learns about the backoff at once', async (t) => {
  const { api, hub } = await setup(t, 0);
  api.cluster.setHandler((_req, res) => sendJson(res, 503, { kind: 'Status', code: 503, message: 'down' }));
  const first = hub.observe(key, () => {});
  await until(() => first.informer.state.phase === 'backoff', 3000, 'backoff');
  const late: InformerEvent<KubeObject>[] = [];
  const second = hub.observe(key, (e) => late.push(e));
  await until(() => late.length > 0, 1000, 'catch-up event');
  assert.equal(late[0].type, 'state');
  assert.equal(late[0].type === 'state' && late[0].state.phase, 'backoff');
  first.dispose();
  second.dispose();
});
