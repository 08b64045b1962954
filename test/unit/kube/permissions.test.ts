import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { featureChecks } from '../../../src/kube/access';
import { agentRules } from '../../../src/kube/permissions/agentRole';
import { features } from '../../../src/kube/permissions/features';
import { profileChecks, profileRules, profileYaml, profileIds } from '../../../src/kube/permissions/profiles';
import { accessAdvice, adviceYaml, featureFor, heldOf, remedyRoles } from '../../../src/kube/permissions/remedy';
import { checksOfRule, rulesCover, rulesFor } from '../../../src/kube/permissions/rules';
import type { AccessCheck, PolicyRule } from '../../../src/kube/role';
import type { DesiredObject } from '../../../src/sandbox/desired';
import type { SandboxPlan } from '../../../src/sandbox/plan';
import { knownKind } from '../../../src/sandbox/lifecycle/apply';
import { planChecks, planEscalation } from '../../../src/sandbox/placement';
import { tunnelAccessChecks } from '../../../src/tunnel/sessionStart';

const fixtures = join(__dirname, '../../fixtures/sandbox');

/** The sandbox plans of the golden files (their first document says where the plan goes). */
function goldenPlans(): Array<{ file: string; plan: SandboxPlan }> {
  return readdirSync(fixtures)
    .filter((f) => f.endsWith('.golden.yaml') && /\.(shared|namespace)\.golden/.test(f))
    .map((file) => {
      const [head, ...objects] = parseAllDocuments(readFileSync(join(fixtures, file), 'utf8')).map((d) => d.toJS() as Record<string, unknown>);
      const plan = { ...head, objects: objects as DesiredObject[] } as unknown as SandboxPlan;
      return { file, plan };
    });
}

function uncovered(checks: readonly AccessCheck[], rules: readonly PolicyRule[]): string[] {
  return checks.filter((c) => !rulesCover(rules, c)).map((c) => `${c.verb} ${c.resource}${c.subresource ? `/${c.subresource}` : ''}${c.name ? ` ${c.name}` : ''}`);
}

test('rules cover checks as the RBAC authorizer reads them: wildcards, subresources, resourceNames', () => {
  const rules: PolicyRule[] = [
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
    { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['mine'], verbs: ['patch'] },
    { apiGroups: ['*'], resources: ['*/scale'], verbs: ['*'] },
  ];
  assert.ok(rulesCover(rules, { verb: 'list', group: 'apps', resource: 'deployments', namespace: 'x' }));
  assert.ok(!rulesCover(rules, { verb: 'watch', group: 'apps', resource: 'deployments' }));
  assert.ok(rulesCover(rules, { verb: 'get', resource: 'pods', subresource: 'log' }));
  assert.ok(!rulesCover(rules, { verb: 'get', resource: 'pods' }), 'a subresource grants nothing on its resource');
  assert.ok(rulesCover(rules, { verb: 'patch', group: 'coordination.k8s.io', resource: 'leases', name: 'mine' }));
  assert.ok(!rulesCover(rules, { verb: 'patch', group: 'coordination.k8s.io', resource: 'leases' }), 'a named grant does not cover every name');
  assert.ok(rulesCover(rules, { verb: 'update', group: 'apps', resource: 'deployments', subresource: 'scale' }));
});

test('the fewest rules: verbs in RBAC order, resources with the same verbs together, names kept apart', () => {
  const rules = rulesFor([
    { verb: 'watch', resource: 'pods' },
    { verb: 'list', resource: 'pods' },
    { verb: 'list', resource: 'services' },
    { verb: 'watch', resource: 'services' },
    { verb: 'create', resource: 'pods', subresource: 'portforward' },
    { verb: 'get', resource: 'pods', subresource: 'portforward' },
    { verb: 'delete', group: 'apps', resource: 'deployments', name: 'b' },
    { verb: 'delete', group: 'apps', resource: 'deployments', name: 'a' },
    { verb: 'delete', group: 'apps', resource: 'statefulsets', name: 'c' },
  ]);
  assert.deepEqual(rules, [
    { apiGroups: [''], resources: ['pods', 'services'], verbs: ['list', 'watch'] },
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: ['apps'], resources: ['deployments'], verbs: ['delete'], resourceNames: ['a', 'b'] },
    { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['delete'], resourceNames: ['c'] },
  ]);
  assert.equal(checksOfRule(rules[2], 'shop').length, 2);
});

test("the agent's Role: its Lease by name, lists without Secrets, deletes limited to the planned names, its namespace when it owns one", () => {
  const planned = new Map([['Deployment', ['api-relay']], ['Service', ['api', 'web']], ['Secret', ['token']], ['Lease', ['tether-sandbox']], ['Ingress', ['gate']]]);
  const rules = agentRules({ namespace: 'jane-main', leaseName: 'tether-sandbox', planned, ownsNamespace: true });
  assert.ok(rulesCover(rules, { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name: 'tether-sandbox' }));
  assert.ok(!rulesCover(rules, { verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name: 'other' }));
  assert.ok(rulesCover(rules, { verb: 'list', group: 'batch', resource: 'jobs' }));
  assert.ok(rulesCover(rules, { verb: 'list', group: 'networking.k8s.io', resource: 'ingresses' }), 'an Ingress it holds is listed');
  assert.ok(!rulesCover(rules, { verb: 'list', group: 'gateway.networking.k8s.io', resource: 'httproutes' }), 'no HTTPRoute, no list of them');
  assert.ok(!rulesCover(rules, { verb: 'list', resource: 'secrets' }), 'it never reads the namespace\'s Secrets');
  assert.ok(rules.filter((r) => r.verbs.includes('delete')).every((r) => r.resourceNames?.length), 'every delete is limited by name');
  assert.ok(rulesCover(rules, { verb: 'delete', resource: 'secrets', name: 'token' }));
  assert.ok(rulesCover(rules, { verb: 'delete', resource: 'namespaces', name: 'jane-main' }));
  const shared = agentRules({ namespace: 'shop', leaseName: 'l', planned, ownsNamespace: false });
  assert.ok(!shared.some((r) => r.resources.includes('namespaces')));
});

test('every golden plan asks only for what the documented Role of its placement grants, its agent\'s Role included', () => {
  const plans = goldenPlans();
  assert.ok(plans.length >= 5, 'the golden plans were found');
  for (const { file, plan } of plans) {
    const checks = [...planChecks(plan), ...planEscalation(plan)];
    assert.ok(checks.length > 20, `${file}: checks were made`);
    const shared = plan.placement === 'shared';
    const { rules } = profileRules(shared ? 'developer-shared' : 'developer-namespaces', plan.namespace);
    const outside = shared ? checks.filter((c) => c.namespace !== plan.namespace) : [];
    assert.deepEqual(outside, [], `${file}: a shared sandbox needs nothing outside its namespace`);
    assert.deepEqual(uncovered(checks, rules), [], `${file}: needs what the Role does not grant`);
    if (!shared) assert.ok(checks.some((c) => c.resource === 'namespaces' && c.verb === 'create'), `${file}: creating its namespace is checked`);
    const selfCleaning = plan.objects.some((o) => o.kind === 'Role');
    assert.equal(planEscalation(plan).some((c) => c.resource === 'jobs' && c.verb === 'list'), selfCleaning, `${file}: the agent's Role lists Jobs, so the developer must hold that`);
  }
});

test('the preflight asks for what applying each golden plan does: a server-side apply is a patch, and a create when the object is new', () => {
  for (const { file, plan } of goldenPlans()) {
    const checks = planChecks(plan);
    const missing: string[] = [];
    for (const object of plan.objects) {
      const info = knownKind(object.kind);
      assert.ok(info, `${file}: ${object.kind} is a kind Tether knows`);
      const { name } = object.metadata;
      // The API server resolves a request for a namespace as being in that namespace.
      const namespace = object.metadata.namespace ?? (object.kind === 'Namespace' ? name : undefined);
      for (const verb of ['patch', 'create']) {
        const asked = checks.some((c) => c.verb === verb && c.resource === info.plural && (c.group ?? '') === info.group && (!c.name || c.name === name) && (!c.namespace || c.namespace === namespace));
        if (!asked) missing.push(`${verb} ${object.kind} ${name}`);
      }
    }
    assert.deepEqual(missing, [], `${file}: applying the plan does what its preflight does not ask about`);
  }
});

test('the tunnel, the preview, shareable hosts and checks need nothing the shared developer Role lacks; CI needs no tunnel and no cluster-wide read', () => {
  const { rules } = profileRules('developer-shared', 'dev');
  assert.deepEqual(uncovered(tunnelAccessChecks('dev'), rules), []);
  for (const feature of ['preview', 'checks', 'explorer', 'sandboxes'] as const) {
    assert.deepEqual(uncovered(featureChecks(feature, 'dev').filter((c) => c.namespace === 'dev'), rules), [], feature);
  }
  assert.deepEqual(uncovered(featureChecks('share', 'dev', ['ingress', 'gateway']), rules), []);
  const ci = profileChecks('ci', 'ci');
  assert.ok(!ci.some((c) => c.subresource === 'portforward' && c.why.includes('relay') && !c.why.includes('preview')), 'CI forwards only to previews');
  assert.ok(ci.every((c) => c.namespace === 'ci'));
});

test('the shared developer Role is namespace-scoped only; the namespace creator\'s is a ClusterRole that may create namespaces', () => {
  const shared = profileRules('developer-shared').rules;
  assert.ok(!shared.some((r) => r.resources.some((x) => ['namespaces', 'nodes', 'storageclasses'].includes(x))));
  const own = profileRules('developer-namespaces').rules;
  assert.ok(rulesCover(own, { verb: 'create', resource: 'namespaces' }));
  assert.ok(rulesCover(own, { verb: 'list', resource: 'nodes' }));
  for (const id of profileIds) {
    const docs = parseAllDocuments(profileYaml(id)).map((d) => d.toJS() as { kind: string });
    assert.ok(docs.length >= 1 && docs.every((d) => d.kind), `${id} is valid YAML`);
  }
});

test('a remedy is a Role named for its feature and namespace, a ClusterRole only for what lives outside namespaces', () => {
  const roles = remedyRoles('sandbox', [
    { verb: 'list', group: 'batch', resource: 'jobs', namespace: 'dev' },
    { verb: 'get', resource: 'configmaps', namespace: 'shop', name: 'settings' },
    { verb: 'delete', resource: 'namespaces', namespace: 'jane-main', name: 'jane-main' },
    { verb: 'list', resource: 'nodes' },
  ]);
  assert.deepEqual(roles.map((r) => [r.kind, r.name, r.namespace]), [
    ['Role', 'tether-sandbox-dev', 'dev'],
    ['Role', 'tether-sandbox-shop', 'shop'],
    ['ClusterRole', 'tether-sandbox-cluster', undefined],
    ['ClusterRole', 'tether-sandbox-jane-main', undefined],
  ]);
  const namespaceRole = roles[3];
  assert.deepEqual(namespaceRole.rules, [{ apiGroups: [''], resources: ['namespaces'], verbs: ['delete'], resourceNames: ['jane-main'] }]);
});

test('a remedy keeps what the user already holds of the feature where it is suggested, so re-applying it takes nothing away', () => {
  const declared = featureChecks('tunnel', 'dev');
  const held = heldOf(declared, [{ apiGroups: [''], resources: ['services', 'configmaps'], verbs: ['*'] }, { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] }]);
  assert.ok(held.some((c) => c.resource === 'services' && c.verb === 'delete'));
  assert.ok(!held.some((c) => c.resource === 'secrets'));
  const advice = accessAdvice('tunnel', [{ verb: 'create', resource: 'pods', subresource: 'portforward', namespace: 'dev' }], [...held, { verb: 'list', resource: 'pods', namespace: 'elsewhere' }], 'system:serviceaccount:dev:jane');
  assert.deepEqual(advice.roles.map((r) => r.name), ['tether-tunnel-dev'], 'nothing is suggested where nothing is missing');
  const rules = advice.roles[0].rules;
  assert.ok(rulesCover(rules, { verb: 'create', resource: 'pods', subresource: 'portforward' }));
  assert.ok(rulesCover(rules, { verb: 'delete', resource: 'services' }));
  const yaml = adviceYaml(advice, advice.user);
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; subjects?: unknown[]; roleRef?: { name: string } });
  assert.deepEqual(docs.map((d) => d.kind), ['Role', 'RoleBinding']);
  assert.deepEqual(docs[1].subjects, [{ kind: 'ServiceAccount', name: 'jane', namespace: 'dev' }]);
  assert.equal(docs[1].roleRef?.name, 'tether-tunnel-dev');
  const user = parseAllDocuments(adviceYaml(advice, 'jane@example.com')).map((d) => d.toJS() as { subjects?: unknown[] })[1];
  assert.deepEqual(user.subjects, [{ kind: 'User', name: 'jane@example.com', apiGroup: 'rbac.authorization.k8s.io' }]);
});

test('a refusal found outside a preflight is named for the feature that declares it', () => {
  assert.equal(featureFor({ verb: 'list', group: 'apps', resource: 'replicasets' }), 'explorer');
  assert.equal(featureFor({ verb: 'create', resource: 'pods', subresource: 'portforward' }), 'tunnel');
  assert.equal(featureFor({ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles' }), 'sandbox');
  assert.equal(featureFor({ verb: 'list', resource: 'nodes' }), 'gpus');
  assert.equal(featureFor({ verb: 'create', group: 'batch', resource: 'jobs' }), 'checks');
});

test('every need says why, and a fallback only where the feature works without it', () => {
  for (const feature of Object.values(features)) {
    for (const need of feature.needs) {
      assert.ok(need.why.startsWith('to ') || need.why.startsWith('for '), `${feature.id}: "${need.why}"`);
      assert.ok(need.kinds.length > 0 && need.verbs.length > 0);
    }
  }
  // Reads across namespaces and of cluster-scoped kinds always fall back: the shared Role has none.
  for (const id of ['explorer', 'gpus', 'completion', 'sandboxes', 'delete'] as const) {
    for (const check of featureChecks(id, 'dev', ['sharedNamespace'])) {
      if (!check.namespace) assert.ok(check.fallback, `${id}: ${check.verb} ${check.resource} across the cluster has a fallback`);
    }
  }
});
