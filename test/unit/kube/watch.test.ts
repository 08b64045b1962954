import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { systemClock, type Clock } from '../../../src/kube/clock';
import { loadKubeconfig } from '../../../src/kube/config';
import { kinds } from '../../../src/kube/kinds';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { Informer, type InformerOptions } from '../../../src/kube/watch';
import { sendJson, until } from './local-cluster';
import { kubeApiText } from '../../fixtures/kubeApi';
import { configMap, startScriptedApi, streamLines, type ScriptedApi } from './scripted-api';

const recordedWatch = kubeApiText('watch-configmaps-with-bookmark.jsonl').trim().split('\n');
const recorded410 = kubeApiText('watch-too-old-rv-410.jsonl').trim().split('\n');

interface Harness {
  api: ScriptedApi;
  client: KubeClient;
  informer: Informer<KubeObject>;
  events: InformerEvent<KubeObject>[];
}

async function harness(t: { after(fn: () => Promise<void> | void): void }, setup: (api: ScriptedApi) => void, options: InformerOptions<KubeObject> = {}): Promise<Harness> {
  const api = await startScriptedApi();
  setup(api);
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: api.cluster.kubeconfigPath }), 'local');
  const informer = new Informer<KubeObject>(client, kinds.ConfigMap, 'samples', {
    watchTimeoutSeconds: () => 5,
    minWatchMs: 0,
    backoff: { initialMs: 10, maxMs: 80, random: () => 0.5 },
    ...options,
  });
  const events: InformerEvent<KubeObject>[] = [];
  informer.onEvent((e) => events.push(e));
  t.after(async () => {
    informer.dispose();
    client.dispose();
    await api.close();
  });
  informer.start();
  return { api, client, informer, events };
}

const holdOpen = streamLines([], false);

test('recorded watch: events applied, managedFields dropped, bookmark moves the resourceVersion, resume without relist', async (t) => {
  const { api, informer, events } = await harness(t, (api) => {
    api.listResourceVersion = '1762';
    // The recorded bookmarks repeat the last event's resourceVersion; a later one proves bookmarks count.
    const laterBookmark = JSON.stringify({ type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: '1799' } } });
    api.watchSteps = [streamLines([...recordedWatch, laterBookmark], true), holdOpen];
  });
  await until(() => api.watches.length >= 2, 3000, 'second watch');
  assert.equal(api.watches[0].searchParams.get('resourceVersion'), '1762');
  assert.equal(api.watches[0].searchParams.get('allowWatchBookmarks'), 'true');
  assert.equal(api.watches[1].searchParams.get('resourceVersion'), '1799', 'resumes from the bookmark');
  assert.equal(api.lists.length, 1, 'no relist after a normal end');
  const types = events.filter((e) => e.type !== 'state').map((e) => e.type);
  assert.deepEqual(types, ['synced', 'added', 'modified', 'deleted']);
  const added = events.find((e) => e.type === 'added');
  assert.ok(added && added.type === 'added');
  assert.equal(added.object.metadata.name, 'w1');
  assert.equal((added.object.metadata as { managedFields?: unknown }).managedFields, undefined);
  assert.equal(informer.objects.size, 0);
  assert.equal(informer.state.phase, 'synced');
});

test('recorded 410 ERROR event -> relist and a new synced map', async (t) => {
  const { api, informer, events } = await harness(t, (api) => {
    api.objects = [configMap('a', '5')];
    api.watchSteps = [streamLines(recorded410, false), holdOpen];
  });
  await until(() => api.lists.length === 2 && api.watches.length === 2, 3000, 'relist and rewatch');
  assert.equal(events.filter((e) => e.type === 'synced').length, 2);
  assert.equal(informer.objects.get('samples/a')?.metadata.resourceVersion, '5');
});

test('HTTP 410 on the watch request -> relist', async (t) => {
  const { api } = await harness(t, (api) => {
    api.watchSteps = [
      (res) => sendJson(res, 410, { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (1100)' }),
      holdOpen,
    ];
  });
  await until(() => api.lists.length === 2 && api.watches.length === 2, 3000, 'relist');
});

test('a dropped watch resumes from the last resourceVersion without relisting', async (t) => {
  const { api, informer } = await harness(t, (api) => {
    api.objects = [configMap('a', '5')];
    api.watchSteps = [
      (res) => {
        streamLines([JSON.stringify({ type: 'MODIFIED', object: configMap('a', '7', { data: { a: '2' } }) })], false)(res, undefined as never, undefined as never);
        setTimeout(() => res.socket?.destroy(), 20);
      },
      holdOpen,
    ];
  });
  await until(() => api.watches.length === 2, 3000, 'rewatch');
  assert.equal(api.watches[1].searchParams.get('resourceVersion'), '7');
  assert.equal(api.lists.length, 1);
  assert.deepEqual(informer.objects.get('samples/a')?.data, { a: '2' });
});

test('5xx -> backoff state with growing, capped delays and no hot loop', async (t) => {
  const { clock, sleeps } = recordingClock();
  const { api, events } = await harness(t, (api) => {
    api.watchSteps = [(res) => sendJson(res, 503, { kind: 'Status', code: 503, reason: 'ServiceUnavailable', message: 'etcd is down' })];
  }, { clock });
  const backoffs = () => events.flatMap((e) => (e.type === 'state' && e.state.phase === 'backoff' ? [e.state] : []));
  await until(() => backoffs().length >= 6, 5000, 'six retries');
  const delays = backoffs();
  assert.deepEqual(delays.slice(0, 6).map((d) => d.retryInMs), [10, 20, 40, 80, 80, 80]);
  assert.equal(delays[0].error.reason, 'ServerError');
  assert.match(delays[0].error.why, /etcd is down/);
  assert.deepEqual(delays.slice(0, 3).map((d) => d.attempt), [1, 2, 3]);
  // No hot loop: every watch request after the first waited out a backoff, on the clock.
  assert.ok(api.watches.length <= delays.length + 1, `${api.watches.length} watches for ${delays.length} backoffs`);
  assert.deepEqual(sleeps().slice(0, 5), [10, 20, 40, 80, 80], 'each retry slept its delay');
});

test('jitter spreads the delays', async (t) => {
  let i = 0;
  const randoms = [0, 1, 0.25];
  const { events } = await harness(
    t,
    (api) => {
      api.watchSteps = [(res) => sendJson(res, 500, { kind: 'Status', code: 500, message: 'boom' })];
    },
    { backoff: { initialMs: 100, maxMs: 1000, random: () => randoms[i++ % 3] } },
  );
  await until(() => events.filter((e) => e.type === 'state' && e.state.phase === 'backoff').length >= 3, 3000, 'three retries');
  const delays = events.flatMap((e) => (e.type === 'state' && e.state.phase === 'backoff' ? [e.state.retryInMs] : []));
  assert.deepEqual(delays.slice(0, 3), [80, 240, 360]);
});

test('watches that end at once still back off (no hot loop)', async (t) => {
  const { clock, sleeps } = recordingClock();
  const { api } = await harness(
    t,
    (api) => {
      api.watchSteps = [streamLines([], true)];
    },
    { minWatchMs: 1000, backoff: { initialMs: 50, maxMs: 400, random: () => 0.5 }, clock },
  );
  await until(() => api.watches.length >= 4, 5000, 'four watches');
  assert.deepEqual(sleeps().slice(0, 3), [50, 100, 200], 'each watch that ended at once was followed by a growing wait');
  assert.ok(api.watches.length <= sleeps().length + 1, `${api.watches.length} watches for ${sleeps().length} waits`);
  assert.equal(api.lists.length, 1);
});

test('410 storms relist with backoff, not in a loop', async (t) => {
  const { clock, sleeps } = recordingClock();
  const { api } = await harness(t, (api) => {
    api.watchSteps = [(res) => sendJson(res, 410, { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' })];
  }, { backoff: { initialMs: 50, maxMs: 400, random: () => 0.5 }, clock });
  await until(() => api.lists.length >= 3, 5000, 'three lists');
  assert.deepEqual(sleeps().slice(0, 2), [50, 100], 'each relist waited out a growing delay');
  assert.ok(api.lists.length <= sleeps().length + 1, `${api.lists.length} lists for ${sleeps().length} waits`);
});

/** The system's clock, recording the waits asked of it; `sleeps()` leaves out the watches' own deadlines (over a minute). */
function recordingClock(): { clock: Clock; sleeps: () => number[] } {
  const waits: number[] = [];
  const clock: Clock = { ...systemClock, setTimeout: (fn, ms) => (waits.push(ms), systemClock.setTimeout(fn, ms)) };
  return { clock, sleeps: () => waits.filter((ms) => ms < 60_000) };
}

test('paginated initial list in pages of 500', async (t) => {
  const { api, informer } = await harness(t, (api) => {
    api.objects = Array.from({ length: 1234 }, (_, n) => configMap(`cm-${n}`, String(n + 1)));
    api.watchSteps = [holdOpen];
  });
  await until(() => informer.synced, 3000, 'sync');
  assert.equal(api.lists.length, 3);
  assert.ok(api.lists.every((u) => u.searchParams.get('limit') === '500'));
  assert.equal(informer.objects.size, 1234);
});

test('dispose aborts the watch in flight and leaves no open sockets', async (t) => {
  const { api, client, informer, events } = await harness(t, (api) => {
    api.watchSteps = [holdOpen];
  });
  await until(() => api.openWatches.size === 1, 3000, 'open watch');
  informer.dispose();
  await until(() => api.openWatches.size === 0, 3000, 'watch closed by the client');
  assert.equal(informer.state.phase, 'stopped');
  assert.equal(events.at(-1)?.type, 'state');
  client.dispose();
  await until(() => api.cluster.openSockets() === 0, 3000, 'no sockets');
  const watches = api.watches.length;
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(api.watches.length, watches, 'nothing after dispose');
});

test('errors during the list back off and relist; 403 is explained', async (t) => {
  const api = await startScriptedApi();
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: api.cluster.kubeconfigPath }), 'local');
  api.cluster.setHandler((_req, res) =>
    sendJson(res, 403, {
      kind: 'Status',
      code: 403,
      reason: 'Forbidden',
      message: 'configmaps is forbidden: User "jane" cannot list resource "configmaps" in API group "" in the namespace "samples"',
    }),
  );
  const informer = new Informer(client, kinds.ConfigMap, 'samples', { backoff: { initialMs: 20, maxMs: 40 } });
  t.after(async () => {
    informer.dispose();
    client.dispose();
    await api.close();
  });
  const states: string[] = [];
  informer.onEvent((e) => {
    if (e.type === 'state') states.push(e.state.phase === 'backoff' ? `backoff:${e.state.error.reason}` : e.state.phase);
  });
  informer.start();
  await until(() => states.filter((s) => s === 'backoff:Forbidden').length >= 2, 3000, 'two backoffs');
  assert.deepEqual(states.slice(0, 4), ['listing', 'backoff:Forbidden', 'listing', 'backoff:Forbidden']);
  assert.equal(informer.synced, false);
});
