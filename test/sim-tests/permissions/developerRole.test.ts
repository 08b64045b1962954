/**
 * The README's shared-namespace Role, exactly as src/kube/permissions generates it, on the cluster
 * under test. A developer holding it reads what the Cluster view and the GPUs view show of their
 * namespace, brings a sandbox up, runs its checks, lists and deletes it, and no refusal surfaces
 * (the tunnel and preview suites run as the same identity: test/cluster/testRoles.ts); CI holding
 * the generated CI Role brings a sandbox up, checks it and deletes it. And every permission of the
 * shared-namespace Role is asked for by something: taking any one away makes the preflight that
 * needs it refuse before anything is written, naming that permission with a Role that adds it — or,
 * for what only the views read, makes the view's refusal name it with its Role.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkAccess, featureChecks } from '../../../src/kube/access';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { WatchHub } from '../../../src/kube/hub';
import { kinds, resourcePath, type KindName } from '../../../src/kube/kinds';
import { checkKey, plainCheck, requiredOf } from '../../../src/kube/permissions/needs';
import { profileRules } from '../../../src/kube/permissions/profiles';
import { featureFor } from '../../../src/kube/permissions/remedy';
import { checksOfRule, rulesCover } from '../../../src/kube/permissions/rules';
import { describeCheck, type AccessCheck } from '../../../src/kube/role';
import type { InformerEvent, KubeObject } from '../../../src/kube/types';
import { GpuFeed } from '../../../src/gpu/gpuFeed';
import { assertChecksAllowed, runCheck } from '../../../src/sandbox/checks/checkRun';
import { sandboxAgentBuilder } from '../../../src/sandbox/agentObjects';
import { sandboxSelector } from '../../../src/sandbox/labels';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { assertDeleteAllowed, deleteChecks } from '../../../src/sandbox/lifecycle/deleteAccess';
import { deleteSandbox, listSandboxes } from '../../../src/sandbox/lifecycle/lifecycle';
import { cleanupKinds } from '../../../src/sandbox/lifecycle/cleanupKinds';
import { ownerLabelValue } from '../../../src/sandbox/names';
import { assertPlanAllowed, planChecks, planEscalation, readBaseline } from '../../../src/sandbox/placement';
import { planSandbox, type SandboxPlan } from '../../../src/sandbox/plan';
import { previewHostSettings, type RawPreviewHostSettings } from '../../../src/sandbox/preview/previewHost';
import type { SandboxSpec } from '../../../src/sandbox/spec';
import { assertTunnelAllowed, tunnelAccessChecks, type TunnelWorkloadKind } from '../../../src/tunnel/sessionStart';
import type { ClusterUnderTest } from '../../cluster/clusterUnderTest';
import { grantClusterWide, withServiceAccount } from '../../cluster/serviceAccount';
import { gpuNode, plainNode } from '../../cluster/simulatorCluster';
import { developerRules, rulesWithout } from '../../cluster/testRoles';
import { checkCommands } from '../sandbox/checkCommands';
import { shopCluster } from '../sandbox/shopCluster';

/** The kinds the Cluster view watches in a namespace. */
const explorerKinds: readonly KindName[] = ['Pod', 'Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'Event'];

/** Watches `kinds` in `namespace` until each has listed; the refusals met on the way. */
async function watchAll(cluster: ClusterUnderTest, hub: WatchHub, namespace: string, watched: readonly KindName[]): Promise<{ objects: Map<KindName, ReadonlyMap<string, KubeObject>>; refusals: string[] }> {
  const objects = new Map<KindName, ReadonlyMap<string, KubeObject>>();
  const refusals: string[] = [];
  for (const kind of watched) {
    hub.observe({ context: cluster.context, kind, namespace }, (e: InformerEvent<KubeObject>) => {
      if (e.type === 'synced') objects.set(kind, e.objects);
      if (e.type === 'state' && e.state.phase === 'backoff') refusals.push(`${kind}: ${e.state.error.message}`);
    });
  }
  await cluster.until(() => objects.size === watched.length || refusals.length > 0, 'every watch to list');
  return { objects, refusals };
}

test('holding exactly the generated shared-namespace Role: the Cluster view, the GPUs of the namespace, a sandbox, its checks, listing and deleting it, and no refusal', async (t) => {
  const shopped = await shopCluster(t, 'permissions-developer', { nodes: [plainNode('node-1'), gpuNode('gpu-1', 2)] });
  const { cluster, shop } = shopped;
  const developer = await withServiceAccount(cluster, shop, developerRules);
  const client = developer.client();
  const hub = new WatchHub(() => client, undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());

  // The Cluster view: every kind of the namespace, pods under their Deployment through their ReplicaSet.
  const { objects, refusals } = await watchAll(cluster, hub, shop, explorerKinds);
  assert.deepEqual(refusals, []);
  const api = await cluster.until(() => {
    const replicaSets = [...(objects.get('ReplicaSet')?.values() ?? [])].filter((rs) => rs.metadata.ownerReferences?.some((o) => o.kind === 'Deployment' && o.name === 'api'));
    return replicaSets.length > 0 ? replicaSets : undefined;
  }, "the api Deployment's ReplicaSet");
  assert.ok(api.length > 0);

  // The GPUs view: every namespace is refused, so the developer's is watched instead; nodes stay unknown.
  const gpuPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'trainer', namespace: shop }, spec: { restartPolicy: 'Never', tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], containers: [{ name: 'train', image: cluster.images.relay, command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'], resources: { limits: { 'nvidia.com/gpu': '1' } } }] } };
  await cluster.apply(gpuPod);
  const feed = new GpuFeed(hub, { context: cluster.context, fallbackNamespaces: () => [shop], onChange: () => {} });
  t.after(() => feed.dispose());
  await cluster.until(() => {
    const table = feed.table();
    return [...table.holders, ...table.waiting].some((p) => p.key === `${shop}/trainer`);
  }, "the namespace's GPU pod in the GPUs view");
  assert.deepEqual(feed.status.failures, [], 'no refusal surfaces: the cluster-wide ones are limits');
  await cluster.until(() => feed.status.limits.length === 4 && feed.status.listing.length === 0, 'every GPU watch to settle');
  assert.deepEqual(feed.status.limits.map((l) => [l.kind, l.namespaces]).sort(), [['Event', [shop]], ['Node', undefined], ['Pod', [shop]], ['ResourceQuota', [shop]]]);

  // A sandbox in the shared namespace, its checks, the listing and the delete.
  const who = { developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop' };
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who });
  assert.equal(plan.namespace, shop);
  await assertChecksAllowed(client, plan);
  const check = await runCheck(client, plan, checkCommands(cluster.images.relay).smoke, { lease: result.lease, runId: 'r1', pollMs: 50 });
  assert.equal(check.passed, true, check.reason);
  const listing = await listSandboxes(client, { owner: ownerLabelValue(who.developer), namespaces: [shop] });
  assert.deepEqual(listing.mine.map((s) => s.sandbox), [plan.sandbox]);
  assert.match(listing.partial ?? '', /may not list Leases in all namespaces/);
  await deleteSandbox(client, { sandbox: plan.sandbox, namespace: shop });
  await cluster.until(async () => (await client.listAll(kinds.Lease, shop, { labelSelector: sandboxSelector(plan.sandbox) })).items.length === 0, 'the sandbox to be gone');
});

test('holding exactly the generated CI Role: a sandbox comes up, its checks run and it is deleted, with no refusal', async (t) => {
  const shopped = await shopCluster(t, 'permissions-ci');
  const { cluster, shop } = shopped;
  const client = (await withServiceAccount(cluster, shop, profileRules('ci').rules)).client();
  const who = { developer: cluster.developer('ci'), branch: 'pr-7', holderIdentity: 'ci-runner' };
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who });
  assert.equal(plan.namespace, shop);
  await assertChecksAllowed(client, plan);
  const check = await runCheck(client, plan, checkCommands(cluster.images.relay).smoke, { lease: result.lease, runId: 'ci', pollMs: 50 });
  assert.equal(check.passed, true, check.reason);
  await deleteSandbox(client, { sandbox: plan.sandbox, namespace: shop });
  assert.equal((await client.listAll(kinds.Lease, shop, { labelSelector: sandboxSelector(plan.sandbox) })).items.length, 0);
});

test('holding exactly the generated namespace-creating ClusterRole: the sandbox gets a namespace of its own, its checks run, and it goes with its namespace', async (t) => {
  const shopped = await shopCluster(t, 'permissions-namespaces');
  const { cluster, shop } = shopped;
  const account = await withServiceAccount(cluster, shop, []);
  await grantClusterWide(cluster, account, profileRules('developer-namespaces').rules);
  const client = account.client();

  const who = { developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop' };
  const { plan, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who });
  assert.equal(plan.placement, 'namespace');
  const check = await runCheck(client, plan, checkCommands(cluster.images.relay).smoke, { lease: result.lease, runId: 'own', pollMs: 50 });
  assert.equal(check.passed, true, check.reason);
  const listing = await listSandboxes(client, { owner: ownerLabelValue(who.developer) });
  assert.deepEqual(listing.mine.map((s) => s.sandbox), [plan.sandbox], 'listed across namespaces, with nothing left out');
  assert.equal(listing.partial, undefined);
  const deleted = await deleteSandbox(client, { sandbox: plan.sandbox, namespace: plan.namespace });
  assert.equal(deleted.at(-1)?.kind, 'Namespace');
});

/** One preflight and the permissions it asks for. */
interface Preflight {
  name: string;
  checks: readonly AccessCheck[];
  run(client: KubeClient): Promise<void>;
}

function tunnelPreflight(namespace: string, kind: TunnelWorkloadKind): Preflight {
  return { name: `Tunnel ${kind}`, checks: tunnelAccessChecks(namespace, kind), run: (client) => assertTunnelAllowed(client, namespace, { kind, name: 'api' }) };
}

function planPreflight(name: string, plan: SandboxPlan): Preflight {
  return { name, checks: [...planChecks(plan), ...planEscalation(plan)], run: (client) => assertPlanAllowed(client, plan) };
}

/**
 * Plans of a sandbox in the shared namespace: with a local fork (so an agent and its Role), with a
 * shareable host through an Ingress and through an HTTPRoute, and forking a StatefulSet.
 */
async function plans(cluster: ClusterUnderTest, shop: string, spec: (file: string) => SandboxSpec): Promise<SandboxPlan[]> {
  const ledger = { replicas: 1, serviceName: 'ledger', selector: { matchLabels: { app: 'ledger' } }, template: { metadata: { labels: { app: 'ledger' } }, spec: { containers: [{ name: 'ledger', image: cluster.images.relay, command: ['node', '-e', 'setInterval(() => {}, 60_000)'] }] } } };
  await cluster.apply({ apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'ledger', namespace: shop }, spec: ledger });
  const baseline = await readBaseline(cluster.client(), shop);
  const who = { developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'jane@laptop', renewTime: new Date() };
  const plan = (sandboxSpec: SandboxSpec, share?: RawPreviewHostSettings) => {
    const settings = share ? previewHostSettings(share) : undefined;
    return planSandbox({
      spec: sandboxSpec,
      baseline,
      placement: { mode: 'shared', namespace: shop },
      ...who,
      agent: sandboxAgentBuilder({ agentScript: 'AGENT', token: 't0ken-0123456789abcdef', ...(settings ? { share: { settings, key: 'm3kG8Qp0dYb2w9Zr4TnV1aXc6HsLjE5uFqRoPiKyW7g' } } : {}) }),
      ...(settings ? { share: true } : {}),
    });
  };
  const stateful: SandboxSpec = { ...spec('local.tether.yaml'), forks: [{ workload: { kind: 'StatefulSet', name: 'ledger' }, mode: 'env', env: { LEDGER_MODE: 'sandbox' }, ports: [] }], preview: undefined };
  return [
    plan(spec('local.tether.yaml')),
    plan(spec('local.tether.yaml'), { domain: 'preview.example.com', ingressClass: 'nginx' }),
    plan(spec('local.tether.yaml'), { domain: 'preview.example.com', gateway: 'gateway-system/preview' }),
    plan(stateful),
  ];
}

const unnamed = (c: AccessCheck): AccessCheck => plainCheck({ ...c, name: undefined });

test('taking away any one permission of the generated Role: what needs it refuses before anything is written, naming it with a Role that adds it', async (t) => {
  const shopped = await shopCluster(t, 'permissions-each-rule');
  const { cluster, shop } = shopped;
  const [local, ingress, gateway, stateful] = await plans(cluster, shop, shopped.spec);
  const preflights: Preflight[] = [
    planPreflight('Create sandbox', local),
    planPreflight('Create sandbox with an Ingress', ingress),
    planPreflight('Create sandbox with an HTTPRoute', gateway),
    planPreflight('Create sandbox forking a StatefulSet', stateful),
    tunnelPreflight(shop, 'Deployment'),
    tunnelPreflight(shop, 'StatefulSet'),
    tunnelPreflight(shop, 'DaemonSet'),
    { name: 'Run checks', checks: requiredOf(featureChecks('checks', shop)), run: (client) => assertChecksAllowed(client, local) },
    { name: 'Delete Sandbox', checks: deleteChecks({ sandbox: local.sandbox, namespace: shop, kinds: cleanupKinds.map((k) => k.kind), ownsNamespace: false }), run: (client) => assertDeleteAllowed(client, { sandbox: local.sandbox, namespace: shop, kinds: cleanupKinds.map((k) => k.kind), ownsNamespace: false }) },
  ];

  const permissions = developerRules.flatMap((rule) => checksOfRule(rule, shop));
  assert.ok(permissions.length > 50, `${permissions.length} permissions`);
  const unexplained: string[] = [];
  for (const permission of permissions) {
    const taken = describeCheck(permission);
    const identity = await withServiceAccount(cluster, shop, rulesWithout(developerRules, permission.group ?? '', permission.subresource ? `${permission.resource}/${permission.subresource}` : permission.resource, permission.verb));
    const client = identity.client();
    const [held] = await checkAccess(client, [permission]);
    assert.equal(held.allowed, false, `${taken} was taken away`);
    const needing = preflights.filter((p) => p.checks.some((c) => checkKey(unnamed(c)) === checkKey(permission)));
    for (const preflight of needing) {
      await assert.rejects(preflight.run(client), (err: unknown) => {
        assert.ok(err instanceof ExplainedError && err.reason === 'Forbidden', `${preflight.name} without ${taken}: ${String(err)}`);
        assert.deepEqual(uniqueKeys(err.access?.missing ?? []), [checkKey(permission)], `${preflight.name} names exactly ${taken}: ${err.why}`);
        assert.match(err.remedy, /^Nothing was changed\./);
        const role = err.access?.roles.find((r) => r.kind === 'Role' && r.namespace === shop);
        assert.ok(role && rulesCover(role.rules, permission), `${preflight.name}: the suggested Role adds ${taken}`);
        return true;
      });
    }
    if (needing.length === 0) {
      // Only the views read it: their refusal names it, with the Role of the feature that declares it.
      const err = await viewRequest(client, permission).then(() => undefined, (e: unknown) => e);
      if (!(err instanceof ExplainedError && err.reason === 'Forbidden')) {
        unexplained.push(`${taken}: ${String(err)}`);
        continue;
      }
      const role = err.access?.roles[0];
      assert.equal(role?.name, `tether-${featureFor(permission)}-${shop}`, taken);
      assert.ok(role && rulesCover(role.rules, permission), `the view's refusal adds ${taken}`);
    }
  }
  assert.deepEqual(unexplained, [], 'every permission the Role grants is needed by something that names it when refused');
  assert.equal((await cluster.client().listAll(kinds.Lease, shop, { labelSelector: sandboxSelector() })).items.length, 0, 'no preflight wrote anything');
});

function uniqueKeys(checks: readonly AccessCheck[]): string[] {
  return [...new Set(checks.map((c) => checkKey(unnamed(c))))];
}

/** The request a view makes for `permission` in its namespace: a list, a watch, or a get of some name. */
function viewRequest(client: KubeClient, permission: AccessCheck): Promise<unknown> {
  const kind = Object.values(kinds).find((k) => k.plural === permission.resource && k.group === (permission.group ?? ''));
  assert.ok(kind, `a known kind for ${permission.resource}`);
  const what = `${permission.verb} ${permission.resource}`;
  switch (permission.verb) {
    case 'list':
      return client.list(kind, permission.namespace);
    case 'watch':
      return client.request({ what, method: 'GET', path: resourcePath(kind, permission.namespace), query: { watch: true, timeoutSeconds: 1 } });
    case 'get':
      return client.get(kind, permission.namespace, permission.subresource ? 'any' : 'not-there').then(undefined, (err: unknown) => {
        if (err instanceof ExplainedError && err.reason === 'NotFound') return undefined;
        throw err;
      });
    default:
      return Promise.resolve(`no view ${what}s`);
  }
}
