import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, recording } from './sim-client';

let sim: Simulator;
const base = '/api/v1/namespaces/samples';

before(async () => {
  sim = await startSimulator({ controllers: false });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'samples' } } });
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'other' } } });
  for (const [name, tier] of [['cm1', undefined], ['page2', 'x'], ['page3', 'x'], ['page4', 'y'], ['page5', undefined]] as const) {
    await call(sim, 'POST', `${base}/configmaps`, { body: { metadata: { name, labels: tier ? { tier } : undefined }, data: {} } });
  }
  await call(sim, 'POST', '/api/v1/namespaces/other/configmaps', { body: { metadata: { name: 'elsewhere', labels: { tier: 'x' } } } });
});
after(() => sim.stop());

const names = (list: { items: { metadata: { name: string } }[] }) => list.items.map((i) => i.metadata.name);

test('limit/continue pages through every item once, in key order, with the recorded list shape', async () => {
  const first = (await call(sim, 'GET', `${base}/configmaps?limit=2`)).body;
  const rec = recording('200-list-limit-2.json');
  assert.equal(first.kind, rec.kind);
  assert.deepEqual(Object.keys(first.metadata), Object.keys(rec.metadata));
  assert.equal(first.items[0].kind, undefined, 'list items carry no kind');
  assert.deepEqual(names(first), ['cm1', 'page2']);
  assert.equal(first.metadata.remainingItemCount, 3);
  const token = JSON.parse(Buffer.from(first.metadata.continue, 'base64url').toString());
  assert.deepEqual(token, { v: 'meta.k8s.io/v1', rv: Number(first.metadata.resourceVersion), start: 'page2\u0000' });
  const second = (await call(sim, 'GET', `${base}/configmaps?limit=2&continue=${first.metadata.continue}`)).body;
  assert.deepEqual(names(second), ['page3', 'page4']);
  assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);
  const third = (await call(sim, 'GET', `${base}/configmaps?limit=2&continue=${second.metadata.continue}`)).body;
  assert.deepEqual(names(third), ['page5']);
  assert.equal(third.metadata.continue, undefined);
  const bad = await call(sim, 'GET', `${base}/configmaps?limit=2&continue=garbage`);
  assert.equal(bad.status, 400);
});

test('label selectors: =, ==, !=, in, notin, exists, !exists; across namespaces too', async () => {
  const q = async (sel: string, path = `${base}/configmaps`) => names((await call(sim, 'GET', `${path}?labelSelector=${encodeURIComponent(sel)}`)).body);
  assert.deepEqual(await q('tier=x'), ['page2', 'page3']);
  assert.deepEqual(await q('tier==y'), ['page4']);
  assert.deepEqual(await q('tier!=x'), ['cm1', 'page4', 'page5']);
  assert.deepEqual(await q('tier in (x,y)'), ['page2', 'page3', 'page4']);
  assert.deepEqual(await q('tier notin (x)'), ['cm1', 'page4', 'page5']);
  assert.deepEqual(await q('tier'), ['page2', 'page3', 'page4']);
  assert.deepEqual(await q('!tier'), ['cm1', 'page5']);
  assert.deepEqual(await q('tier=x', '/api/v1/configmaps'), ['elsewhere', 'page2', 'page3']);
  const limited = (await call(sim, 'GET', `${base}/configmaps?labelSelector=tier%3Dx&limit=1`)).body;
  assert.deepEqual(names(limited), ['page2']);
  assert.equal(limited.metadata.remainingItemCount, undefined, 'no remainingItemCount with a selector');
});

test('field selectors on metadata.name and namespace; unsupported fields answer 400', async () => {
  const byName = (await call(sim, 'GET', `/api/v1/configmaps?fieldSelector=metadata.name%3Dpage3`)).body;
  assert.deepEqual(names(byName), ['page3']);
  const notNs = (await call(sim, 'GET', `/api/v1/configmaps?fieldSelector=metadata.namespace!%3Dsamples`)).body;
  assert.deepEqual(names(notNs), ['elsewhere']);
  const bad = await call(sim, 'GET', `${base}/configmaps?fieldSelector=spec.nope%3D1`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.message, 'field label not supported: spec.nope');
});

test('list resourceVersion is the current one; an exact read of compacted history answers 410', async () => {
  const list = (await call(sim, 'GET', `${base}/configmaps`)).body;
  assert.equal(list.metadata.resourceVersion, String(sim.store.resourceVersion));
  sim.store.compact();
  const expired = await call(sim, 'GET', `${base}/configmaps?resourceVersion=1&resourceVersionMatch=Exact`);
  assert.equal(expired.status, 410);
  assert.equal(expired.body.reason, 'Expired');
  const notOlder = await call(sim, 'GET', `${base}/configmaps?resourceVersion=1&resourceVersionMatch=NotOlderThan`);
  assert.equal(notOlder.status, 200, 'NotOlderThan is satisfied by the current state');
});

test('10,000 seeded pods: a paginated list with limit 500 returns each once, in pages of 500', async () => {
  const pods = Array.from({ length: 10_000 }, (_, i) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `p-${String(i).padStart(5, '0')}`, namespace: 'other', labels: { app: `a${i % 10}` } },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase: 'Running' },
  }));
  sim.seed(pods);
  // How fast seeding and listing are is the benchmarks' business (bench/watch.ts lists 10,000 pods).
  let cont = '';
  const pages: number[] = [];
  const names = new Set<string>();
  do {
    const page = (await call(sim, 'GET', `/api/v1/namespaces/other/pods?limit=500${cont ? `&continue=${cont}` : ''}`)).body;
    pages.push(page.items.length);
    for (const item of page.items) names.add(item.metadata.name);
    cont = page.metadata.continue ?? '';
  } while (cont);
  assert.deepEqual(pages, Array(20).fill(500));
  assert.equal(names.size, 10_000);
});
