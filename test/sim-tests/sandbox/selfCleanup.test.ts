// Every sandbox cleans up after itself: its one agent pod watches the Lease and, once it has lapsed
// past the TTL, deletes the sandbox, itself last. For every fork mix (local only, image only, env
// only, mixed), with and without a shareable host, in a namespace of its own, and in a shared
// namespace (as a developer who may not create namespaces). TTLs are shortened to 2 s here
// (tether.yaml allows one minute at least).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { kinds, type KindName } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { sandboxAgentFor } from '../../../src/sandbox/agentSecrets';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { LeaseHeartbeat } from '../../../src/sandbox/lifecycle/heartbeat';
import { listSandboxes } from '../../../src/sandbox/lifecycle/lifecycle';
import { sandboxSelector } from '../../../src/sandbox/labels';
import type { PreviewHostSettings } from '../../../src/sandbox/preview/previewHost';
import type { ForkSpec, SandboxSpec } from '../../../src/sandbox/spec';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { developerRules } from '../../cluster/testRoles';
import { relayAgentScript } from '../agentBundles';
import { shopCluster, type ShopCluster } from './shopCluster';

const share: PreviewHostSettings = { domain: 'preview.test', scheme: 'http', linkTtlHours: 24 };

const apiLocal: ForkSpec = { workload: { kind: 'Deployment', name: 'api' }, mode: 'local', env: {}, ports: [{ port: 8080, localPort: 3001 }] };
const apiImage: ForkSpec = { workload: { kind: 'Deployment', name: 'api' }, mode: 'image', image: 'ghcr.io/example/api:pr-42', env: {}, ports: [] };
const webEnv: ForkSpec = { workload: { kind: 'Deployment', name: 'web' }, mode: 'env', env: { API_URL: 'http://api' }, ports: [] };
const webImage: ForkSpec = { workload: { kind: 'Deployment', name: 'web' }, mode: 'image', image: 'ghcr.io/example/web:pr-42', env: {}, ports: [] };

const mixes: Record<string, ForkSpec[]> = {
  'local only': [apiLocal],
  'image only': [apiImage],
  'env only': [webEnv],
  mixed: [apiLocal, webImage],
};

/** The sandbox's objects that are still there (not being deleted), as Kind/name. */
async function leftovers(client: KubeClient, sandbox: string, namespace: string, withShare: boolean): Promise<string[]> {
  const names: KindName[] = ['Deployment', 'Service', 'ConfigMap', 'Secret', 'Lease', 'Role', 'RoleBinding', 'ServiceAccount', ...(withShare ? (['Ingress'] as const) : [])];
  const all: string[] = [];
  for (const kind of names) {
    const { items } = await client.listAll<KubeObject>(kinds[kind], namespace, { labelSelector: sandboxSelector(sandbox) }).catch(() => ({ items: [] as KubeObject[] }));
    all.push(...items.filter((o) => !o.metadata.deletionTimestamp).map((o) => `${kind}/${o.metadata.name}`));
  }
  return all.sort();
}

async function agentRunning(client: KubeClient, sandbox: string, namespace: string): Promise<boolean> {
  const pods = await client.listAll<KubeObject & { status?: { phase?: string } }>(kinds.Pod, namespace, { labelSelector: `${sandboxSelector(sandbox)},tether.dev/agent` });
  return pods.items.some((p) => p.status?.phase === 'Running');
}

async function namespaceGone(client: KubeClient, namespace: string): Promise<boolean> {
  const ns = await client.get<KubeObject>(kinds.Namespace, undefined, namespace).catch(() => undefined);
  return ns === undefined || Boolean(ns.metadata.deletionTimestamp);
}

/** Creates the sandbox with the agent the editor builds; nobody renews its Lease afterwards. */
async function createUnrenewed(shopped: ShopCluster, client: KubeClient, spec: SandboxSpec, withShare: boolean) {
  const { cluster } = shopped;
  const agent = sandboxAgentFor(client, { agentScript: await relayAgentScript(), image: cluster.images.relay, cleanupPollMs: 100, onToken: () => undefined, ...(withShare ? { share } : {}) });
  return createSandbox(client, { spec, developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop', agent, leaseDurationSeconds: 1 });
}

for (const [mix, forks] of Object.entries(mixes)) {
  for (const withShare of [false, true]) {
    test(`${mix}, ${withShare ? 'with' : 'without'} a shareable host: one agent pod, and the sandbox is gone after its TTL`, async (t) => {
      const shopped = await shopCluster(t, 'sandbox-self-cleanup');
      const { cluster, client } = shopped;
      const spec: SandboxSpec = { ...shopped.spec('image-env.tether.yaml'), ttlSeconds: 2, forks, preview: { service: forks[0].workload.name, port: 80, path: '/' } };
      const { plan } = await createUnrenewed(shopped, client, spec, withShare);
      const { sandbox, namespace } = plan;
      assert.equal(namespace, sandbox);
      assert.equal(plan.objects.filter((o) => o.kind === 'Deployment' && o.metadata.labels['tether.dev/role'] === 'agent').length, 1, 'one agent');
      assert.equal(Boolean(plan.share), withShare);
      assert.deepEqual(plan.agent?.localForks, forks.filter((f) => f.mode === 'local').map((f) => f.workload.name));
      await cluster.until(() => agentRunning(client, sandbox, namespace), 'the agent pod to run', cluster.timeouts.podReadyMs);
      // Nobody renews the Lease: 2 s later the agent removes the sandbox with its namespace.
      await cluster.until(() => namespaceGone(client, namespace), `namespace ${namespace} to be deleted by the agent`);
      assert.deepEqual((await client.listAll(kinds.Deployment, shopped.shop)).items.map((o) => o.metadata.name).sort(), ['api', 'web'], 'the baseline stays');
    });
  }
}

test('a renewed Lease keeps the sandbox; once renewals stop its agent deletes it with its namespace', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-self-cleanup');
  const { cluster, client } = shopped;
  const spec: SandboxSpec = { ...shopped.spec('local.tether.yaml'), ttlSeconds: 2 };
  const { plan } = await createUnrenewed(shopped, client, spec, false);
  const { sandbox, namespace } = plan;
  const lease = plan.objects.find((o) => o.kind === 'Lease');
  assert.ok(lease);
  const heartbeat = new LeaseHeartbeat(client, lease, { intervalMs: 300 });
  t.after(() => heartbeat.dispose());
  const renewals: Date[] = [];
  heartbeat.onEvent((e) => e.type === 'renewed' && renewals.push(e.at));
  heartbeat.start();
  await cluster.until(() => agentRunning(client, sandbox, namespace), 'the agent pod to run', cluster.timeouts.podReadyMs);
  const renewedBefore = renewals.length;
  await new Promise((r) => setTimeout(r, 3000));
  assert.ok(renewals.length - renewedBefore >= 5, `renewed ${renewals.length - renewedBefore} times in 3 s`);
  const alive = await listSandboxes(client, { owner: cluster.developer('jane') });
  const mine = alive.mine.filter((s) => s.sandbox === sandbox);
  assert.deepEqual(mine.map((s) => [s.sandbox, s.state]), [[sandbox, 'active']]);
  assert.ok(mine[0].remainingMs > 0 && mine[0].remainingMs <= 2000);
  assert.ok((await leftovers(client, sandbox, namespace, false)).length > 0, 'still there while renewed');

  heartbeat.dispose();
  // The editor is gone.
  await cluster.until(() => namespaceGone(client, namespace), 'the namespace to be deleted by the agent');
});

test('shared namespace, image and env forks: after the Lease lapses the agent deletes the sandbox, itself last', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-self-cleanup-shared');
  const { cluster, shop } = shopped;
  // A developer with the documented Role in the baseline's namespace: no namespaces of their own.
  const client = (await withServiceAccount(cluster, shop, developerRules)).client();
  const spec: SandboxSpec = { ...shopped.spec('image-env.tether.yaml'), ttlSeconds: 2 };
  const { plan } = await createUnrenewed(shopped, client, spec, false);
  const { sandbox } = plan;
  assert.equal(plan.namespace, shop);
  const before = await leftovers(client, sandbox, shop, false);
  for (const name of [`RoleBinding/${sandbox}-tether-agent`, `Deployment/${sandbox}-tether-agent`, `Deployment/${sandbox}-api`]) assert.ok(before.includes(name), `${name} in ${before.join(', ')}`);
  await cluster.until(() => agentRunning(client, sandbox, shop), 'the agent pod to run', cluster.timeouts.podReadyMs);
  // The garbage collector takes the agent and its permissions with the Lease.
  await cluster.until(async () => (await leftovers(client, sandbox, shop, false)).length === 0, 'the sandbox to be gone');
  assert.deepEqual((await client.listAll(kinds.Deployment, shop)).items.map((o) => o.metadata.name).sort(), ['api', 'web']);
  assert.deepEqual((await client.listAll(kinds.Service, shop)).items.map((o) => o.metadata.name).sort(), ['api', 'postgres', 'web']);
});
