import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { listSandboxes, type SandboxListing } from '../../../src/sandbox/lifecycle/lifecycle';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { developerRules } from '../../cluster/testRoles';
import { shopCluster } from './shopCluster';

/** Only the sandboxes this test made: a real cluster may hold others. */
function only(listing: SandboxListing, sandboxes: string[]): SandboxListing {
  const keep = <T extends { sandbox: string }>(list: T[]) => list.filter((s) => sandboxes.includes(s.sandbox));
  return { ...listing, mine: keep(listing.mine), others: keep(listing.others), orphans: keep(listing.orphans) };
}

test('listing: mine, others read-only, and orphans whose Lease lapsed past the TTL, with countdowns', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-listing');
  const { cluster, client, shop } = shopped;
  const jane = cluster.developer('jane');
  const bob = cluster.developer('bob');
  const ours = [`${jane}-main`, `${bob}-fix`];
  const spec = shopped.spec('image-env.tether.yaml'); // ttl 90m
  const start = Date.now();
  await createSandbox(client, { spec, developer: jane, branch: 'main', holderIdentity: 'jane@laptop', now: () => new Date(start) });
  await createSandbox(client, { spec, developer: bob, branch: 'fix', holderIdentity: 'bob@desk', now: () => new Date(start - 2 * 3600_000) });

  const now = only(await listSandboxes(client, { owner: jane, now: start + 10 * 60_000 }), ours);
  assert.deepEqual(now.mine.map((s) => [s.sandbox, s.state, s.readOnly, s.remainingMs]), [[`${jane}-main`, 'stale', false, 80 * 60_000]]);
  assert.deepEqual(now.others, []);
  assert.deepEqual(now.orphans.map((s) => [s.sandbox, s.owner, s.readOnly, s.developer, s.baselineNamespace, s.placement]), [[`${bob}-fix`, bob, true, bob, shop, 'namespace']]);
  assert.ok(now.orphans[0].remainingMs < 0);

  const fresh = only(await listSandboxes(client, { owner: bob, now: start + 1000 }), ours);
  assert.deepEqual(fresh.others.map((s) => [s.sandbox, s.state, s.readOnly, s.holderIdentity]), [[`${jane}-main`, 'active', true, 'jane@laptop']]);
  assert.deepEqual(fresh.orphans.map((s) => s.sandbox), [`${bob}-fix`]);

  const later = only(await listSandboxes(client, { owner: jane, now: start + 91 * 60_000 }), ours);
  assert.deepEqual(later.orphans.map((s) => s.sandbox), [`${bob}-fix`, `${jane}-main`]);
});

test('when Leases may not be listed cluster-wide, listing searches the named namespaces and says so', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-listing-denied');
  const { cluster, shop } = shopped;
  // A developer with the documented Role in the baseline's namespace: Leases there, none anywhere else.
  const client = (await withServiceAccount(cluster, shop, developerRules)).client();
  const sandbox = `${cluster.developer('jane')}-main`;
  await assert.rejects(listSandboxes(client, { owner: 'jane' }), (err: Error) => /leases/.test(err.message));
  const listing = await listSandboxes(client, { owner: 'jane', namespaces: [shop, sandbox] });
  assert.deepEqual([listing.mine, listing.others, listing.orphans], [[], [], []]);
  assert.match(listing.partial ?? '', new RegExp(`you may not list Leases in all namespaces, so only ${shop}, ${sandbox} were searched`));
});
