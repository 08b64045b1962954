import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient } from '../../../src/kube/api';
import { rulesCover } from '../../../src/kube/permissions/rules';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { applyPlan, kindOf, type ApplyProgress } from '../../../src/sandbox/lifecycle/apply';
import { createSandbox, ensureSandbox } from '../../../src/sandbox/lifecycle/create';
import { belongsTo, sandboxSelector } from '../../../src/sandbox/labels';
import { deleteSandbox } from '../../../src/sandbox/lifecycle/lifecycle';
import { planSandbox } from '../../../src/sandbox/plan';
import { readBaseline } from '../../../src/sandbox/placement';
import { simulatorOnly } from '../../cluster/clusterUnderTest';
import { faultProxyFor } from '../../cluster/faultProxy';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { developerRules, developerRulesWithout } from '../../cluster/testRoles';
import { shopCluster, type ShopCluster } from './shopCluster';

/** Who creates the sandbox: a developer name unique to the run, so the sandbox is `<developer>-main`. */
function whoIn(shop: ShopCluster) {
  const developer = shop.cluster.developer('jane');
  return { who: { developer, branch: 'main', holderIdentity: 'jane@laptop' }, sandbox: `${developer}-main` };
}

/**
 * What the baseline is as written: spec, labels and who applied it. Controllers write status and
 * annotations with updates of their own, whenever they get to it, so only appliers are compared.
 */
async function baselineVersions(client: KubeClient, namespace: string): Promise<string[]> {
  return (await readBaseline(client, namespace))
    .map((o) => {
      const fields = (o.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? [];
      const managers = fields.filter((m) => m.operation === 'Apply').map((m) => m.manager);
      return `${o.kind}/${o.metadata.name} ${JSON.stringify(o.spec)} ${JSON.stringify(o.metadata.labels ?? {})} ${managers.join(',')}`;
    })
    .sort();
}

async function namespaceGone(client: KubeClient, name: string): Promise<boolean> {
  const ns = await client.get<KubeObject>(kinds.Namespace, undefined, name).catch(() => undefined);
  return ns === undefined || Boolean(ns.metadata.deletionTimestamp);
}

test('create, update, prune and delete a sandbox in its own namespace; the baseline is never touched', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-apply');
  const { cluster, client, shop } = shopped;
  const { who, sandbox } = whoIn(shopped);
  const before = await baselineVersions(client, shop);
  const spec = shopped.spec('image-env.tether.yaml');
  const progress: ApplyProgress[] = [];
  const created = await createSandbox(client, { spec, ...who }, { onProgress: (p) => progress.push(p) });
  assert.equal(created.plan.namespace, sandbox);
  assert.match(created.placementReason, /namespace of its own/);
  assert.equal(created.result.created.length, created.plan.objects.length);
  assert.deepEqual(progress.at(-1), { phase: 'done', created: created.plan.objects.length, updated: 0, pruned: 0 });
  // As the API server stores them, everything the sandbox holds carries managed-by, sandbox and owner labels, the Lease included.
  for (const planned of created.plan.objects) {
    const live = await client.get<KubeObject>(kindOf(planned.kind), planned.metadata.namespace, planned.metadata.name);
    assert.ok(belongsTo(live, sandbox), `${planned.kind} ${planned.metadata.name} carries Tether's labels: ${JSON.stringify(live.metadata.labels)}`);
  }
  assert.ok(created.plan.objects.some((o) => o.kind === 'Lease'));

  const api = await client.get<KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } }>(kinds.Deployment, sandbox, 'api');
  assert.equal(api.spec.template.spec.containers[0].image, 'ghcr.io/example/api:pr-42');
  assert.equal(api.metadata.ownerReferences?.[0].kind, 'Lease', 'owned by the Lease, so it goes with it');
  const managers = (api.metadata as { managedFields?: { manager: string; operation: string }[] }).managedFields ?? [];
  assert.ok(managers.some((m) => m.manager === 'tether' && m.operation === 'Apply'));
  const alias = await client.get<KubeObject & { spec: { externalName: string } }>(kinds.Service, sandbox, 'postgres');
  assert.equal(alias.spec.externalName, `postgres.${shop}.svc.cluster.local`);

  // Update: the web fork is dropped, api's env changes.
  const updatedSpec = { ...spec, forks: [{ ...spec.forks[0], env: { LOG_LEVEL: 'trace' } }] };
  const second = await createSandbox(client, { spec: updatedSpec, ...who });
  assert.deepEqual(second.result.created, [], 'the web fork Service becomes the web alias: an update');
  assert.ok(second.result.updated.some((r) => r.kind === 'Service' && r.name === 'web'));
  assert.deepEqual(second.result.pruned.map((r) => `${r.kind}/${r.name}`).sort(), ['Deployment/web']);
  const webService = await client.get<KubeObject & { spec: { type: string } }>(kinds.Service, sandbox, 'web');
  assert.equal(webService.spec.type, 'ExternalName');

  const deleted = await deleteSandbox(client, { sandbox, namespace: sandbox });
  assert.equal(deleted.at(-1)?.kind, 'Namespace');
  assert.equal(deleted.at(-2)?.kind, 'Lease');
  await cluster.until(() => namespaceGone(client, sandbox), 'the namespace to go');
  assert.deepEqual(await baselineVersions(client, shop), before);
});

test('without permission to create namespaces the sandbox shares one, prefixed, and says so', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-shared');
  const { shop } = shopped;
  const { who, sandbox } = whoIn(shopped);
  // A developer with the documented Role in the baseline's namespace, and nothing cluster-wide.
  const client = (await withServiceAccount(shopped.cluster, shop, developerRules)).client();
  const before = await baselineVersions(client, shop);
  const { plan, placementReason, result } = await createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who });
  assert.equal(plan.placement, 'shared');
  assert.equal(plan.namespace, shop);
  assert.match(placementReason, new RegExp(`You may not create namespaces, so the sandbox's objects are created in namespace "${shop}"`));
  assert.ok(result.created.every((r) => r.namespace === shop && r.name.startsWith(`${sandbox}-`)));
  assert.deepEqual(await baselineVersions(client, shop), before);
  // The fork's pods are not selected by the baseline Service.
  const web = await client.get<KubeObject & { spec: { template: { metadata: { labels: Record<string, string> } } } }>(kinds.Deployment, shop, `${sandbox}-web`);
  assert.equal(web.spec.template.metadata.labels.app, undefined);

  const deleted = await deleteSandbox(client, { sandbox, namespace: shop });
  assert.equal(deleted.length, result.created.length);
  assert.deepEqual(await baselineVersions(client, shop), before);
});

test('a missing permission is reported with the Role that grants it, before anything is written', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-forbidden');
  const { shop } = shopped;
  const client = (await withServiceAccount(shopped.cluster, shop, developerRulesWithout('coordination.k8s.io', 'leases', 'create'))).client();
  await assert.rejects(createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...whoIn(shopped).who }), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Forbidden');
    assert.match(err.why, new RegExp(`create leases\\.coordination\\.k8s\\.io in namespace "${shop}"`));
    assert.match(err.remedy, new RegExp(`Nothing was changed\\. Ask a cluster admin to apply Role "tether-sandbox-${shop}"`));
    assert.doesNotMatch(err.message, /kind: Role/, 'the YAML is offered as data, not inlined in the message');
    const role = err.access?.roles.find((r) => r.name === `tether-sandbox-${shop}`);
    assert.ok(role && role.namespace === shop);
    assert.ok(rulesCover(role.rules, { verb: 'create', group: 'coordination.k8s.io', resource: 'leases' }), 'the Role grants what is missing');
    assert.ok(rulesCover(role.rules, { verb: 'create', group: 'apps', resource: 'deployments' }), 'and keeps what joe already holds of it');
    return true;
  });
  assert.equal((await client.listAll(kinds.Service, shop, { labelSelector: sandboxSelector() })).items.length, 0);
});

test('an object of the same name without Tether labels is a conflict, and nothing is written', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-foreign-object');
  const { cluster, shop } = shopped;
  const { who, sandbox } = whoIn(shopped);
  await cluster.apply({ apiVersion: 'v1', kind: 'Service', metadata: { name: `${sandbox}-web`, namespace: shop }, spec: { selector: { app: 'other' }, ports: [{ port: 1 }] } });
  // May not create namespaces, so the sandbox shares the baseline's, where the look-alike is.
  const client = (await withServiceAccount(cluster, shop, developerRules)).client();
  await assert.rejects(createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who }), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Conflict');
    assert.match(err.message, new RegExp(`Service "${sandbox}-web" in namespace "${shop}".*was not created by Tether`));
    return true;
  });
  assert.equal((await client.listAll(kinds.Lease, shop, { labelSelector: sandboxSelector() })).items.length, 0);
  const untouched = await client.get<KubeObject & { spec: { selector: Record<string, string> } }>(kinds.Service, shop, `${sandbox}-web`);
  assert.deepEqual(untouched.spec.selector, { app: 'other' });
});

test('two developers whose names make the same sandbox name get a clear conflict', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-same-name');
  const { client, cluster } = shopped;
  const spec = shopped.spec('image-env.tether.yaml');
  const first = cluster.developer('jane.doe');
  await createSandbox(client, { spec, developer: first, branch: 'main', holderIdentity: 'a' });
  await assert.rejects(createSandbox(client, { spec, developer: cluster.developer('Jane Doe'), branch: 'main', holderIdentity: 'b' }), new RegExp(`belongs to ${first.replace(/\./g, '\\.')}`));
});

test('a failed apply rolls back what this attempt created and keeps what existed before', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-rollback');
  const { cluster, shop } = shopped;
  const { who, sandbox } = whoIn(shopped);
  // The developer (who may not create namespaces) reaches the API server through a proxy that
  // drops the connection that carries the web Deployment.
  const proxy = await faultProxyFor(cluster);
  const client = (await withServiceAccount(cluster, shop, developerRules, { via: proxy })).client();
  const spec = shopped.spec('image-env.tether.yaml');
  // A first sandbox with only the api fork exists.
  await createSandbox(client, { spec: { ...spec, forks: [spec.forks[0]] }, ...who });
  const existing = (await client.listAll(kinds.Deployment, shop, { labelSelector: sandboxSelector(sandbox) })).items.map((o) => o.metadata.name);
  assert.deepEqual(existing, [`${sandbox}-api`]);
  // Now add web; the connection fails when the second Deployment is applied.
  const plan = planSandbox({ spec, baseline: await readBaseline(client, shop), placement: { mode: 'shared', namespace: shop }, ...who, renewTime: new Date() });
  let armed = false;
  const attempt = applyPlan(client, plan, {
    onProgress: (p) => {
      if (p.phase === 'applying' && p.object.kind === 'Deployment' && p.object.name === `${sandbox}-web` && !armed) {
        armed = true;
        void proxy.dropNextRequest();
      }
    },
  });
  await assert.rejects(attempt, (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.match(err.why, /object\(s\) this attempt had created were removed again/);
    return true;
  });
  const services = (await client.listAll(kinds.Service, shop, { labelSelector: sandboxSelector(sandbox) })).items.map((o) => o.metadata.name).sort();
  assert.deepEqual(services, [`${sandbox}-api`], 'the web Service created by this attempt is gone, api stays');
  const deployments = (await client.listAll(kinds.Deployment, shop, { labelSelector: sandboxSelector(sandbox) })).items.map((o) => o.metadata.name);
  assert.deepEqual(deployments, [`${sandbox}-api`]);
});

test('cancelling an apply rolls back quietly', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-cancel');
  const { cluster, client } = shopped;
  const { who, sandbox } = whoIn(shopped);
  const controller = new AbortController();
  const attempt = createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who }, {
    signal: controller.signal,
    onProgress: (p) => {
      if (p.phase === 'applying' && p.object.kind === 'Service') controller.abort();
    },
  });
  await assert.rejects(attempt, (err: unknown) => (err as Error).name === 'AbortError' || (err as ExplainedError).reason === 'Cancelled');
  await cluster.until(() => namespaceGone(client, sandbox), 'the created namespace to be removed');
});

test('a namespace of the sandbox name that Tether did not create is a conflict', async (t) => {
  if (simulatorOnly(t, 'needs a namespace without Tether labels, which the tests may not create or remove on a real cluster')) return;
  const shopped = await shopCluster(t, 'sandbox-foreign-namespace');
  const { cluster, client } = shopped;
  const { who, sandbox } = whoIn(shopped);
  cluster.sim().seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: sandbox, labels: { team: 'payments' } } }]);
  await assert.rejects(createSandbox(client, { spec: shopped.spec('image-env.tether.yaml'), ...who }), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Conflict');
    assert.match(err.what, new RegExp(`Namespace "${sandbox}"`));
    return true;
  });
  const ns = await client.get<KubeObject>(kinds.Namespace, undefined, sandbox);
  assert.deepEqual(ns.metadata.labels?.team, 'payments');
  assert.equal(ns.metadata.labels?.['app.kubernetes.io/managed-by'], undefined);
  // Deleting "the sandbox" leaves the foreign namespace alone.
  assert.deepEqual(await deleteSandbox(client, { sandbox, namespace: sandbox }), []);
  assert.equal((await client.get<KubeObject>(kinds.Namespace, undefined, sandbox)).metadata.deletionTimestamp, undefined);
});

test('ensureSandbox applies once, then only renews the Lease while the plan is unchanged', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-ensure');
  const { client } = shopped;
  const { who, sandbox } = whoIn(shopped);
  const spec = shopped.spec('image-env.tether.yaml');
  // Renewal times from a clock of the test's own: each ensure a second after the one before.
  const start = Date.now();
  const at = (seconds: number) => () => new Date(start + seconds * 1000);
  const first = await ensureSandbox(client, { spec, ...who, now: at(0) });
  assert.equal(first.upToDate, undefined);
  assert.equal(first.result.created.length, first.plan.objects.length);
  const again = await ensureSandbox(client, { spec, ...who, now: at(1) });
  assert.equal(again.upToDate, true, 'the same plan is not applied again');
  assert.deepEqual(again.result, { created: [], updated: [], pruned: [], lease: again.result.lease });
  const after = await client.get<KubeObject & { spec: { renewTime: string } }>(kinds.Lease, sandbox, 'tether-sandbox');
  assert.equal(Date.parse(after.spec.renewTime), start + 1000, 'only the Lease was renewed');
  const changed = await ensureSandbox(client, { spec: { ...spec, forks: [{ ...spec.forks[0], env: { LOG_LEVEL: 'trace' } }, spec.forks[1]] }, ...who, now: at(2) });
  assert.equal(changed.upToDate, undefined);
  assert.ok(changed.result.updated.some((r) => r.kind === 'Deployment' && r.name === 'api'));
});
