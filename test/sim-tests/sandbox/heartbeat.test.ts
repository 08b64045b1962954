import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { LeaseHeartbeat, type HeartbeatEvent } from '../../../src/sandbox/lifecycle/heartbeat';
import type { TestHandle } from '../../cluster/clusterUnderTest';
import { faultProxyFor } from '../../cluster/faultProxy';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { shopCluster } from './shopCluster';

async function sandboxLease(t: TestHandle, suite: string) {
  const shopped = await shopCluster(t, suite);
  const { client, cluster } = shopped;
  const { plan } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop' });
  return { cluster, client, sandbox: plan.sandbox, namespace: plan.namespace, lease: plan.objects.find((o) => o.kind === 'Lease') as DesiredObject };
}

test('renewals move renewTime forward; failures are reported and the next beat recovers', async (t) => {
  const { cluster, client, sandbox, namespace, lease } = await sandboxLease(t, 'sandbox-heartbeat');
  // The editor renews through a proxy that refuses connections until two renewals have failed.
  const proxy = await faultProxyFor(cluster);
  const editor = await withServiceAccount(cluster, namespace, [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['get', 'update', 'patch'] }], { via: proxy });
  const heartbeat = new LeaseHeartbeat(editor.client(), lease, { intervalMs: 50 });
  t.after(() => heartbeat.dispose());
  const events: HeartbeatEvent['type'][] = [];
  heartbeat.onEvent((e) => events.push(e.type));
  proxy.refuseConnections();
  proxy.cut();
  heartbeat.start();
  await cluster.until(() => events.filter((e) => e === 'failed').length >= 2, 'two failed renewals');
  proxy.acceptConnections();
  await cluster.until(() => events.filter((e) => e === 'renewed').length >= 2, 'two renewals');
  assert.deepEqual(events.slice(0, 2), ['failed', 'failed']);
  const stored = await client.get<KubeObject & { spec: { renewTime: string; holderIdentity: string } }>(kinds.Lease, namespace, 'tether-sandbox');
  assert.ok(Date.parse(stored.spec.renewTime) > Date.parse((lease.spec as { renewTime: string }).renewTime));
  assert.equal(stored.spec.holderIdentity, 'jane@laptop');
  assert.equal(stored.metadata.labels?.['tether.dev/sandbox'], sandbox, 'renewals keep the labels');
  heartbeat.dispose();
  const count = events.length;
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(events.length, count, 'no beat after dispose');
});

test('the heartbeat stops, and says why, when the sandbox was deleted; it never brings the Lease back', async (t) => {
  const { client, namespace, lease } = await sandboxLease(t, 'sandbox-heartbeat-lost');
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 50 });
  t.after(() => heartbeat.dispose());
  const lost = new Promise<string>((resolve) => heartbeat.onEvent((e) => e.type === 'lost' && resolve(e.why)));
  heartbeat.start();
  await client.delete(kinds.Lease, namespace, 'tether-sandbox');
  assert.match(await lost, /was deleted/);
  assert.equal(heartbeat.isRunning, false);
  await new Promise((r) => setTimeout(r, 200));
  await assert.rejects(client.get(kinds.Lease, namespace, 'tether-sandbox'), (err: Error & { reason?: string }) => err.reason === 'NotFound');
});

test('a renewal that meets a newer resourceVersion (the sandbox applied again in between) reads again and renews', async (t) => {
  const { client, namespace, lease } = await sandboxLease(t, 'sandbox-heartbeat-conflict');
  let raced = false;
  // Between the heartbeat's read and its patch, someone else writes the Lease once.
  const racing = new Proxy(client, {
    get(target, key, receiver) {
      if (key !== 'get') return Reflect.get(target, key, receiver) as unknown;
      return async (...args: Parameters<typeof client.get>) => {
        const read = await target.get(...args);
        if (!raced) {
          raced = true;
          await target.request({ what: 'Touch the Lease', method: 'PATCH', path: `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/tether-sandbox`, contentType: 'application/merge-patch+json', body: { metadata: { annotations: { 'test.tether.dev/touched': 'yes' } } } });
        }
        return read;
      };
    },
  });
  const heartbeat = new LeaseHeartbeat(racing, lease, { intervalMs: 60_000 });
  t.after(() => heartbeat.dispose());
  const events: HeartbeatEvent['type'][] = [];
  heartbeat.onEvent((e) => events.push(e.type));
  assert.equal(await heartbeat.renew(), true);
  assert.ok(raced, 'the race happened');
  assert.deepEqual(events, ['renewed']);
  const stored = await client.get<KubeObject & { spec: { renewTime: string } }>(kinds.Lease, namespace, 'tether-sandbox');
  assert.equal(stored.metadata.annotations?.['test.tether.dev/touched'], 'yes');
  assert.ok(Date.parse(stored.spec.renewTime) > Date.parse((lease.spec as { renewTime: string }).renewTime));
});
