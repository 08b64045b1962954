import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../../src/sandbox/create';
import { listSandboxes } from '../../../src/sandbox/lifecycle';
import { clientOf, shopSimulator, specFixture } from './simFixture';

test('listing: mine, others read-only, and orphans whose Lease lapsed past the TTL, with countdowns', async (t) => {
  const sim = await shopSimulator(t, [{ name: 'bob' }]);
  const jane = clientOf(t, sim);
  const bob = clientOf(t, sim, sim.contextOf('bob'));
  const spec = specFixture('image-env.tether.yaml'); // ttl 90m
  const start = Date.now();
  await createSandbox(jane, { spec, developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop', now: () => new Date(start) });
  await createSandbox(bob, { spec, developer: 'bob', branch: 'fix', holderIdentity: 'bob@desk', now: () => new Date(start - 2 * 3600_000) });

  const now = await listSandboxes(jane, { owner: 'jane', now: start + 10 * 60_000 });
  assert.deepEqual(now.mine.map((s) => [s.sandbox, s.state, s.readOnly, s.remainingMs]), [['jane-main', 'stale', false, 80 * 60_000]]);
  assert.deepEqual(now.others, []);
  assert.deepEqual(now.orphans.map((s) => [s.sandbox, s.owner, s.readOnly, s.developer, s.baselineNamespace, s.placement]), [['bob-fix', 'bob', true, 'bob', 'shop', 'namespace']]);
  assert.ok(now.orphans[0].remainingMs < 0);

  const fresh = await listSandboxes(bob, { owner: 'bob', now: start + 1000 });
  assert.deepEqual(fresh.others.map((s) => [s.sandbox, s.state, s.readOnly, s.holderIdentity]), [['jane-main', 'active', true, 'jane@laptop']]);
  assert.deepEqual(fresh.orphans.map((s) => s.sandbox), ['bob-fix']);

  const later = await listSandboxes(jane, { owner: 'jane', now: start + 91 * 60_000 });
  assert.deepEqual(later.orphans.map((s) => s.sandbox), ['bob-fix', 'jane-main']);
});

test('when Leases may not be listed cluster-wide, listing searches the named namespaces and says so', async (t) => {
  // The simulator denies per namespace or everywhere, so here every Lease list is refused.
  const sim = await shopSimulator(t, [{ name: 'jane', denials: [{ verb: 'list', resource: 'leases', group: 'coordination.k8s.io' }] }]);
  const client = clientOf(t, sim, sim.contextOf('jane'));
  await assert.rejects(listSandboxes(client, { owner: 'jane' }), (err: Error) => /leases/.test(err.message));
  const listing = await listSandboxes(client, { owner: 'jane', namespaces: ['shop', 'jane-main'] });
  assert.deepEqual([listing.mine, listing.others, listing.orphans], [[], [], []]);
  assert.match(listing.partial ?? '', /you may not list Leases in all namespaces, so only shop, jane-main were searched/);
});
