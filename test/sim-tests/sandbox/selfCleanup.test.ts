import { test } from 'node:test';
import assert from 'node:assert/strict';
import { janitorScript } from '../agentBundles';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import type { DesiredObject } from '../../../src/sandbox/desired';
import { LeaseHeartbeat } from '../../../src/sandbox/lifecycle/heartbeat';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { listSandboxes } from '../../../src/sandbox/lifecycle/lifecycle';
import { janitorBuilder } from '../../../src/sandbox/lifecycle/janitor';
import type { RelayRequest } from '../../../src/sandbox/relayRequest';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import type { KubeClient } from '../../../src/kube/api';
import { simulatorOnly } from '../../cluster/clusterUnderTest';
import { shopCluster } from './shopCluster';



/** A relay as the tunnel builds one, reduced to what self-cleanup needs: the agent file in a ConfigMap, run by node. */
function relayWith(agent: string, pollMs: number, image: string) {
  return (r: RelayRequest): DesiredObject[] => [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: r.name, namespace: r.namespace, labels: r.labels }, data: { 'agent.js': agent } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: r.name, namespace: r.namespace, labels: r.labels },
      spec: {
        replicas: 1,
        selector: { matchLabels: r.podLabels },
        template: {
          metadata: { labels: r.podLabels },
          spec: {
            serviceAccountName: r.serviceAccountName,
            containers: [
              {
                name: 'relay',
                image,
                command: ['node', '/opt/tether/agent.js'],
                env: [...Object.entries(r.cleanupEnv).map(([name, value]) => ({ name, value })), { name: 'TETHER_CLEANUP_POLL_MS', value: String(pollMs) }],
                volumeMounts: [{ name: 'agent', mountPath: '/opt/tether', readOnly: true }],
              },
            ],
            volumes: [{ name: 'agent', configMap: { name: r.name } }],
          },
        },
      },
    },
  ];
}

/** The local fork of api with a TTL of 2 s: tether.yaml allows 1 minute at least; the clock is shortened here. */

async function sandboxObjects(client: KubeClient, sandbox: string, namespace: string): Promise<string[]> {
  const all: string[] = [];
  for (const kind of [kinds.Deployment, kinds.Service, kinds.ConfigMap, kinds.Lease, kinds.Role, kinds.RoleBinding, kinds.ServiceAccount]) {
    const { items } = await client.listAll<KubeObject>(kind, namespace, { labelSelector: sandboxSelector(sandbox) });
    all.push(...items.map((o) => `${kind.kind}/${o.metadata.name}`));
  }
  return all.sort();
}

async function relayRunning(client: KubeClient, sandbox: string, namespace: string): Promise<boolean> {
  const pods = await client.listAll<KubeObject & { status?: { phase?: string } }>(kinds.Pod, namespace, { labelSelector: sandboxSelector(sandbox) });
  return pods.items.some((p) => p.status?.phase === 'Running');
}

test('shared namespace: after the Lease lapses past the TTL the janitor deletes the sandbox, itself last', async (t) => {
  if (simulatorOnly(t, 'needs a simulator user who may not create namespaces, so the sandbox shares the baseline namespace')) return;
  const shopped = await shopCluster(t, 'sandbox-janitor', { users: [{ name: 'jane', denials: [{ verb: 'create', resource: 'namespaces' }] }] });
  const { cluster, shop } = shopped;
  const client = cluster.client('jane');
  const script = await janitorScript();
  const spec: SandboxSpec = { ...shopped.spec('image-env.tether.yaml'), ttlSeconds: 2 };
  const { plan } = await createSandbox(client, { spec, developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop', janitor: janitorBuilder({ script, pollMs: 100 }), leaseDurationSeconds: 1 });
  const { sandbox } = plan;
  assert.equal(plan.namespace, shop);
  const before = await sandboxObjects(client, sandbox, shop);
  assert.ok(before.includes(`RoleBinding/${sandbox}-tether-relay`) && before.includes(`Deployment/${sandbox}-tether-janitor`) && before.includes(`Deployment/${sandbox}-api`));
  await cluster.until(() => relayRunning(client, sandbox, shop), 'the janitor pod to run', cluster.timeouts.podReadyMs);
  // Nobody renews the Lease: 2 s later the janitor removes everything of the sandbox, and the garbage
  // collector takes the janitor and its permissions with the Lease.
  await cluster.until(async () => (await sandboxObjects(client, sandbox, shop)).length === 0, 'the sandbox to be gone');
  const baseline = (await client.listAll(kinds.Deployment, shop)).items.map((o) => o.metadata.name).sort();
  assert.deepEqual(baseline, ['api', 'web']);
  assert.deepEqual((await client.listAll(kinds.Service, shop)).items.map((o) => o.metadata.name).sort(), ['api', 'postgres', 'web']);
});

test('own namespace: a renewed Lease keeps the sandbox; once renewals stop the relay deletes it with its namespace', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-self-cleanup');
  const { cluster, client } = shopped;
  const agent = await janitorScript();
  // The local fork of api with a TTL of 2 s: tether.yaml allows 1 minute at least; the clock is shortened here.
  const spec: SandboxSpec = { ...shopped.spec('local.tether.yaml'), ttlSeconds: 2 };
  const { plan } = await createSandbox(client, { spec, developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop', relay: relayWith(agent, 100, cluster.images.relay), leaseDurationSeconds: 1 });
  const { sandbox, namespace } = plan;
  const lease = plan.objects.find((o) => o.kind === 'Lease');
  assert.ok(lease);
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 300 });
  t.after(() => heartbeat.dispose());
  const renewals: Date[] = [];
  heartbeat.onEvent((e) => e.type === 'renewed' && renewals.push(e.at));
  heartbeat.start();
  await cluster.until(() => relayRunning(client, sandbox, namespace), 'the relay pod to run', cluster.timeouts.podReadyMs);
  const renewedBefore = renewals.length;
  await new Promise((r) => setTimeout(r, 3000));
  assert.ok(renewals.length - renewedBefore >= 5, `renewed ${renewals.length - renewedBefore} times in 3 s`);
  const alive = await listSandboxes(client, { owner: cluster.developer('jane') });
  const mine = alive.mine.filter((s) => s.sandbox === sandbox);
  assert.deepEqual(mine.map((s) => [s.sandbox, s.state]), [[sandbox, 'active']]);
  assert.ok(mine[0].remainingMs > 0 && mine[0].remainingMs <= 2000);
  assert.ok((await sandboxObjects(client, sandbox, namespace)).length > 0, 'still there while renewed');

  heartbeat.dispose();
  // The editor is gone.
  await cluster.until(async () => {
    const ns = await client.get<KubeObject>(kinds.Namespace, undefined, namespace).catch(() => undefined);
    return ns === undefined || Boolean(ns.metadata.deletionTimestamp);
  }, 'the namespace to be deleted by the relay');
});
