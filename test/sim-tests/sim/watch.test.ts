import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, recordingText, watch, until } from './sim-client';

let sim: Simulator;
const base = '/api/v1/namespaces/samples';

before(async () => {
  sim = await startSimulator({ controllers: false, bookmarkIntervalMs: 100, historySize: 20 });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'samples' } } });
});
after(() => sim.stop());

test('watch from a resourceVersion streams ADDED, MODIFIED, DELETED and BOOKMARKs like the recording', async () => {
  const rv = (await call(sim, 'GET', `${base}/configmaps`)).body.metadata.resourceVersion;
  const w = await watch(sim, `${base}/configmaps?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
  await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'w1' }, data: { a: '1' } } });
  await call(sim, 'PATCH', `${base}/configmaps/w1`, { body: { data: { a: '2' } }, contentType: 'application/merge-patch+json' });
  await call(sim, 'DELETE', `${base}/configmaps/w1`);
  const recorded = recordingText('watch-configmaps-with-bookmark.jsonl').trim().split('\n').map((l) => JSON.parse(l));
  const events = [await w.next(), await w.next(), await w.next()];
  assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
  assert.equal(events[1].object.data.a, '2');
  assert.ok(Number(events[2].object.metadata.resourceVersion) > Number(events[1].object.metadata.resourceVersion));
  let bookmark = await w.next();
  while (bookmark.type !== 'BOOKMARK') bookmark = await w.next();
  const expected = recorded[3];
  expected.object.metadata.resourceVersion = events[2].object.metadata.resourceVersion;
  assert.deepEqual(bookmark, expected);
  assert.deepEqual(Object.keys(events[0].object), Object.keys(recorded[0].object));
  w.close();
});

test('watch without resourceVersion starts with ADDED for existing objects; resume replays only later events', async () => {
  await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'r1' } } });
  const w = await watch(sim, `${base}/configmaps?watch=true`);
  const first = await w.next();
  assert.equal(first.type, 'ADDED');
  assert.equal(first.object.metadata.name, 'r1');
  w.close();
  await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'r2' } } });
  const resumed = await watch(sim, `${base}/configmaps?watch=true&resourceVersion=${first.object.metadata.resourceVersion}`);
  const next = await resumed.next();
  assert.equal(next.type, 'ADDED');
  assert.equal(next.object.metadata.name, 'r2');
  resumed.close();
});

test('a resourceVersion older than history answers one ERROR 410 event, then the stream ends', async () => {
  for (let i = 0; i < 50; i++) await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: `churn-${i}` } } });
  const w = await watch(sim, `${base}/configmaps?watch=1&resourceVersion=1`);
  const event = await w.next();
  const rec = JSON.parse(recordingText('watch-too-old-rv-410.jsonl'));
  assert.deepEqual({ ...event, object: { ...event.object, message: '' } }, { ...rec, object: { ...rec.object, message: '' } });
  assert.equal(event.type, 'ERROR');
  assert.equal(event.object.code, 410);
  assert.equal(event.object.reason, 'Expired');
  assert.match(event.object.message, /^too old resource version: 1 \(\d+\)$/);
  await w.ended;
});

test('selectors apply to watch events: leaving the selection is DELETED, entering it ADDED', async () => {
  await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'sel', labels: { tier: 'x' } } } });
  const rv = String(sim.store.resourceVersion);
  const w = await watch(sim, `${base}/configmaps?watch=1&labelSelector=tier%3Dx&resourceVersion=${rv}`);
  await call(sim, 'PATCH', `${base}/configmaps/sel`, { body: { metadata: { labels: { tier: 'y' } } }, contentType: 'application/merge-patch+json' });
  await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name: 'unrelated' } } });
  await call(sim, 'PATCH', `${base}/configmaps/sel`, { body: { metadata: { labels: { tier: 'x' } } }, contentType: 'application/merge-patch+json' });
  assert.deepEqual([(await w.next()).type, (await w.next()).type], ['DELETED', 'ADDED']);
  w.close();
});

test('timeoutSeconds ends the watch; closing it leaves no watcher behind', async () => {
  const w = await watch(sim, `${base}/configmaps?watch=1&timeoutSeconds=1&resourceVersion=${sim.store.resourceVersion}`);
  const start = Date.now();
  await w.ended;
  assert.ok(Date.now() - start >= 900);
  await until(() => sim.openWatches === 0, 2000, 'no open watches');
});
