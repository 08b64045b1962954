import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/create';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { LeaseHeartbeat, type HeartbeatEvent } from '../../../src/sandbox/heartbeat';
import { clientOf, shopSimulator, specFixture, until } from './simFixture';

async function sandboxLease(t: Parameters<typeof shopSimulator>[0]) {
  const sim = await shopSimulator(t);
  const client = clientOf(t, sim);
  const { plan } = await createSandbox(client, { spec: specFixture('image-env.tether.yaml'), developer: 'jane', branch: 'main', holderIdentity: 'jane@laptop' });
  return { sim, client, lease: plan.objects.find((o) => o.kind === 'Lease') as DesiredObject };
}

test('renewals move renewTime forward; failures are reported and the next beat recovers', async (t) => {
  const { sim, client, lease } = await sandboxLease(t);
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 50 });
  t.after(() => heartbeat.dispose());
  const events: HeartbeatEvent['type'][] = [];
  heartbeat.onEvent((e) => events.push(e.type));
  sim.faults.serverErrors(2, '/leases/tether-sandbox');
  heartbeat.start();
  await until(() => events.filter((e) => e === 'renewed').length >= 2 || undefined, 'two renewals');
  assert.deepEqual(events.slice(0, 2), ['failed', 'failed']);
  const stored = await client.get<KubeObject & { spec: { renewTime: string; holderIdentity: string } }>(kinds.Lease, 'jane-main', 'tether-sandbox');
  assert.ok(Date.parse(stored.spec.renewTime) > Date.parse((lease.spec as { renewTime: string }).renewTime));
  assert.equal(stored.spec.holderIdentity, 'jane@laptop');
  assert.equal(stored.metadata.labels?.['tether.dev/sandbox'], 'jane-main', 'renewals keep the labels');
  heartbeat.dispose();
  const count = events.length;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events.length, count, 'no beat after dispose');
});

test('the heartbeat stops, and says why, when the sandbox was deleted; it never brings the Lease back', async (t) => {
  const { client, lease } = await sandboxLease(t);
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 50 });
  t.after(() => heartbeat.dispose());
  const lost = new Promise<string>((resolve) => heartbeat.onEvent((e) => e.type === 'lost' && resolve(e.why)));
  heartbeat.start();
  await client.delete(kinds.Lease, 'jane-main', 'tether-sandbox');
  assert.match(await lost, /was deleted/);
  assert.equal(heartbeat.isRunning, false);
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(client.get(kinds.Lease, 'jane-main', 'tether-sandbox'), (err: Error & { reason?: string }) => err.reason === 'NotFound');
});
