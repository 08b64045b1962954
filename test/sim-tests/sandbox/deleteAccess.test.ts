import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { ExplainedError } from '../../../src/kube/errors';
import { adviceYaml } from '../../../src/kube/permissions/remedy';
import { rulesCover } from '../../../src/kube/permissions/rules';
import { createSandbox } from '../../../src/sandbox/lifecycle/create';
import { deleteSandbox } from '../../../src/sandbox/lifecycle/lifecycle';
import { PreviewLoop } from '../../../src/sandbox/preview/previewLoop';
import { listSandboxObjects } from '../../../src/sandbox/sandboxObjects';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { developerRules, developerRulesWithout, rulesWithout } from '../../cluster/testRoles';
import { shopCluster } from './shopCluster';

test('Delete Sandbox asks first: every missing permission is named at once, with the Role that grants it, and nothing is deleted', async (t) => {
  const shopped = await shopCluster(t, 'sandbox-delete-forbidden');
  const { cluster, client: admin, shop } = shopped;
  // Jane holds the shared-namespace Role; joe the same without delete on Services and list on Jobs.
  const jane = (await withServiceAccount(cluster, shop, developerRules)).client();
  const joeAccount = await withServiceAccount(cluster, shop, rulesWithout(developerRulesWithout('', 'services', 'delete'), 'batch', 'jobs', 'list'));
  const joe = joeAccount.client();
  const { plan } = await createSandbox(jane, { spec: shopped.spec('image-env.tether.yaml'), developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'x' });
  assert.equal(plan.namespace, shop, 'the sandbox shares the baseline namespace');
  const before = (await listSandboxObjects(admin, shop, plan.sandbox)).length;
  assert.ok(before > 3);

  await assert.rejects(deleteSandbox(joe, { sandbox: plan.sandbox, namespace: shop }), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Forbidden');
    assert.match(err.what, new RegExp(`Delete sandbox "${plan.sandbox}"`));
    assert.match(err.why, new RegExp(`delete services in namespace "${shop}"`));
    assert.match(err.why, new RegExp(`list jobs\\.batch in namespace "${shop}"`), 'both refusals are named at once');
    assert.match(err.remedy, new RegExp(`Nothing was changed\\. Ask a cluster admin to apply Role "tether-delete-${shop}"`));
    assert.deepEqual(err.access?.roles.map((r) => `${r.kind}/${r.name}`), [`Role/tether-delete-${shop}`]);
    const [role] = err.access?.roles ?? [];
    assert.ok(rulesCover(role.rules, { verb: 'delete', resource: 'services' }) && rulesCover(role.rules, { verb: 'list', group: 'batch', resource: 'jobs' }));
    // The cluster says who was refused, so the remedy comes as a Role and its binding to joe.
    assert.equal(err.access?.user, joeAccount.user);
    const docs = parseAllDocuments(adviceYaml(err.access, err.access.user)).map((d) => d.toJS() as { kind: string; roleRef?: { name: string }; subjects?: unknown[] });
    assert.deepEqual(docs.map((d) => d.kind), ['Role', 'RoleBinding']);
    assert.equal(docs[1].roleRef?.name, `tether-delete-${shop}`);
    assert.deepEqual(docs[1].subjects, [{ kind: 'ServiceAccount', name: joeAccount.name, namespace: shop }]);
    return true;
  });
  assert.equal((await listSandboxObjects(admin, shop, plan.sandbox)).length, before, 'nothing was deleted');

  // The views hear of a delete that failed as well as of one that succeeded, and show what is left.
  const loop = new PreviewLoop({ openClient: () => admin });
  t.after(() => loop.dispose());
  let changes = 0;
  loop.onDidChange(() => changes++);
  await assert.rejects(loop.delete(joe, cluster.context, { sandbox: plan.sandbox, namespace: shop }), /may not/);
  assert.equal(changes, 1);

  const deleted = await deleteSandbox(jane, { sandbox: plan.sandbox, namespace: shop });
  assert.equal(deleted.length, before);
});

test("a sandbox's own namespace is asked for by name, and a refusal of it advises a ClusterRole, never a Role", async (t) => {
  const shopped = await shopCluster(t, 'sandbox-delete-namespace');
  const { cluster, client: admin, shop } = shopped;
  const { plan } = await createSandbox(admin, { spec: shopped.spec('image-env.tether.yaml'), developer: cluster.developer('jane'), branch: 'main', holderIdentity: 'x' });
  assert.equal(plan.placement, 'namespace');
  const before = (await listSandboxObjects(admin, plan.namespace, plan.sandbox)).length;
  // Joe holds the shared-namespace Role in the baseline's namespace only.
  const joe = (await withServiceAccount(cluster, shop, developerRules)).client();

  await assert.rejects(deleteSandbox(joe, { sandbox: plan.sandbox, namespace: plan.namespace }), (err: unknown) => {
    assert.ok(err instanceof ExplainedError);
    assert.equal(err.reason, 'Forbidden');
    assert.match(err.why, new RegExp(`get namespaces "${plan.namespace}"`));
    assert.match(err.why, new RegExp(`delete leases\\.coordination\\.k8s\\.io in namespace "${plan.namespace}"`));
    const roles = err.access?.roles ?? [];
    assert.deepEqual(roles.map((r) => `${r.kind}/${r.name}`), [`Role/tether-delete-${plan.namespace}`, `ClusterRole/tether-delete-${plan.namespace}`]);
    assert.ok(!roles[0].rules.some((r) => r.resources.includes('namespaces')), 'namespaces are cluster-scoped: no Role grants them');
    assert.deepEqual(roles[1].rules.map((r) => [r.resources, r.resourceNames]), [[['namespaces'], [plan.namespace]]]);
    return true;
  });
  assert.equal((await listSandboxObjects(admin, plan.namespace, plan.sandbox)).length, before, 'nothing was deleted');
  await deleteSandbox(admin, { sandbox: plan.sandbox, namespace: plan.namespace });
});
