import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, grant, recording, serviceAccountToken } from './sim-client';

let sim: Simulator;
const rbac = '/apis/rbac.authorization.k8s.io/v1';
const ssar = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

before(async () => {
  sim = await startSimulator({ controllers: false });
  for (const name of ['smoke', 'other']) await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name } } });
});
after(() => sim.stop());

async function allowed(token: string, attributes: Record<string, string>): Promise<{ allowed: boolean; reason?: string }> {
  const r = await call(sim, 'POST', ssar, { token, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes: attributes } } });
  assert.equal(r.status, 201, r.text);
  return r.body.status;
}

test('a ServiceAccount token from the TokenRequest API authenticates as system:serviceaccount:NS:NAME; reading namespaces is refused in the recorded words', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'rec-dev', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }]);
  const list = await call(sim, 'GET', '/api/v1/namespaces', { token });
  assert.equal(list.status, 403);
  assert.deepEqual(list.body, recording('403-serviceaccount-list-namespaces.json'));
  const get = await call(sim, 'GET', '/api/v1/namespaces/smoke', { token });
  assert.equal(get.status, 403);
  assert.deepEqual(get.body, recording('403-serviceaccount-get-namespace.json'), 'a namespace read by name is in that namespace');
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/smoke/configmaps', { token })).status, 200);
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/other/configmaps', { token })).status, 403, 'a Role grants in its own namespace only');
  // Every authenticated user may discover the API and review their own access.
  assert.equal((await call(sim, 'GET', '/api/v1', { token })).status, 200);
  assert.equal((await call(sim, 'GET', '/version', { token })).status, 200);
  const faults = await call(sim, 'POST', '/__sim/faults', { token, body: {} });
  assert.equal(faults.status, 403);
  assert.equal(faults.body.message, 'forbidden: User "system:serviceaccount:smoke:rec-dev" cannot post path "/__sim/faults"');
});

test('TokenRequest answers in the API server\'s shape, refuses short lives, and deleting the ServiceAccount revokes its tokens', async () => {
  await call(sim, 'POST', '/api/v1/namespaces/smoke/serviceaccounts', { body: { metadata: { name: 'short-lived' } } });
  const path = '/api/v1/namespaces/smoke/serviceaccounts/short-lived/token';
  const r = await call(sim, 'POST', path, { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 1200 } } });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(Object.keys(r.body), ['kind', 'apiVersion', 'metadata', 'spec', 'status']);
  assert.deepEqual(r.body.metadata, { name: 'short-lived', namespace: 'smoke', creationTimestamp: null });
  assert.deepEqual(r.body.spec, { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 1200, boundObjectRef: null });
  const expires = Date.parse(r.body.status.expirationTimestamp);
  assert.ok(Math.abs(expires - (Date.now() + 1200_000)) < 10_000, r.body.status.expirationTimestamp);
  const claims = JSON.parse(Buffer.from(String(r.body.status.token).split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.sub, 'system:serviceaccount:smoke:short-lived');
  assert.equal(claims['kubernetes.io'].namespace, 'smoke');

  const tooShort = await call(sim, 'POST', path, { body: { spec: { expirationSeconds: 60 } } });
  assert.equal(tooShort.status, 422);
  assert.equal(tooShort.body.message, 'TokenRequest.authentication.k8s.io "short-lived" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes');
  assert.equal((await call(sim, 'POST', '/api/v1/namespaces/smoke/serviceaccounts/nobody/token', { body: {} })).status, 404);

  const token = r.body.status.token as string;
  assert.equal((await call(sim, 'GET', '/api/v1', { token })).status, 200);
  assert.equal((await call(sim, 'DELETE', '/api/v1/namespaces/smoke/serviceaccounts/short-lived')).status, 200);
  assert.equal((await call(sim, 'GET', '/api/v1', { token })).status, 401, 'the token died with its ServiceAccount');
  await call(sim, 'POST', '/api/v1/namespaces/smoke/serviceaccounts', { body: { metadata: { name: 'short-lived' } } });
  assert.equal((await call(sim, 'GET', '/api/v1', { token })).status, 401, 'a new ServiceAccount of the same name is another one');
});

test('a token bound to a Secret lives only as long as the Secret; TokenReview says who a token is', async () => {
  await call(sim, 'POST', '/api/v1/namespaces/smoke/serviceaccounts', { body: { metadata: { name: 'bound' } } });
  const secret = (await call(sim, 'POST', '/api/v1/namespaces/smoke/secrets', { body: { metadata: { name: 'holder' } } })).body;
  const r = await call(sim, 'POST', '/api/v1/namespaces/smoke/serviceaccounts/bound/token', { body: { spec: { boundObjectRef: { kind: 'Secret', apiVersion: 'v1', name: 'holder', uid: secret.metadata.uid } } } });
  assert.equal(r.status, 201, r.text);
  const token = r.body.status.token as string;
  const review = await call(sim, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } } });
  assert.equal(review.status, 201, review.text);
  assert.equal(review.body.status.authenticated, true);
  assert.equal(review.body.status.user.username, 'system:serviceaccount:smoke:bound');
  assert.deepEqual(review.body.status.user.groups, ['system:serviceaccounts', 'system:serviceaccounts:smoke', 'system:authenticated']);
  await call(sim, 'DELETE', '/api/v1/namespaces/smoke/secrets/holder');
  assert.equal((await call(sim, 'GET', '/api/v1', { token })).status, 401);
  const after = await call(sim, 'POST', '/apis/authentication.k8s.io/v1/tokenreviews', { body: { spec: { token } } });
  assert.deepEqual(after.body.status, { user: {} });
});

test('creating a Role that grants more than its creator holds is refused with the recorded 403; escalate lets it through', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'role-maker', [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create', 'update'] },
    { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  ]);
  const wider = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'wider' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] }] };
  const refused = await call(sim, 'POST', `${rbac}/namespaces/smoke/roles`, { token, body: wider });
  assert.equal(refused.status, 403);
  const expected = JSON.parse(JSON.stringify(recording('403-role-escalation.json')).replaceAll('rec-dev', 'role-maker'));
  assert.deepEqual(refused.body, expected);
  const narrow = await call(sim, 'POST', `${rbac}/namespaces/smoke/roles`, { token, body: { ...wider, metadata: { name: 'narrow' }, rules: [wider.rules[0]] } });
  assert.equal(narrow.status, 201, 'a Role within what the creator holds');
  const update = await call(sim, 'PUT', `${rbac}/namespaces/smoke/roles/narrow`, { token, body: { ...narrow.body, rules: wider.rules } });
  assert.equal(update.status, 403, 'an update is checked the same way');

  await grant(sim, 'smoke', 'escalator', { kind: 'ServiceAccount', name: 'role-maker', namespace: 'smoke' }, [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate'] }]);
  assert.equal((await call(sim, 'POST', `${rbac}/namespaces/smoke/roles`, { token, body: wider })).status, 201);
});

test('a RoleBinding needs bind on its role or all of the role\'s rules; a missing role is 404', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'binder', [
    { apiGroups: ['rbac.authorization.k8s.io'], resources: ['rolebindings'], verbs: ['create'] },
    { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
  ]);
  const admin = (path: string, body: object) => call(sim, 'POST', path, { body });
  await admin(`${rbac}/namespaces/smoke/roles`, { metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] });
  await admin(`${rbac}/namespaces/smoke/roles`, { metadata: { name: 'secret-writer' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'delete'] }] });
  const binding = (name: string, role: string) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role }, subjects: [{ kind: 'ServiceAccount', name: 'default', namespace: 'smoke' }] });
  assert.equal((await call(sim, 'POST', `${rbac}/namespaces/smoke/rolebindings`, { token, body: binding('reads', 'secret-reader') })).status, 201, 'holds every rule of the role');
  const wider = await call(sim, 'POST', `${rbac}/namespaces/smoke/rolebindings`, { token, body: binding('writes', 'secret-writer') });
  assert.equal(wider.status, 403);
  assert.match(wider.body.message, /^rolebindings\.rbac\.authorization\.k8s\.io "writes" is forbidden: user "system:serviceaccount:smoke:binder" .* not currently held:\n\{APIGroups:\[""\], Resources:\["secrets"\], Verbs:\["delete"\]\}$/);
  const missing = await call(sim, 'POST', `${rbac}/namespaces/smoke/rolebindings`, { token, body: binding('ghost', 'no-such-role') });
  assert.equal(missing.status, 404);
  assert.equal(missing.body.message, 'roles.rbac.authorization.k8s.io "no-such-role" not found');
  await grant(sim, 'smoke', 'may-bind', { kind: 'ServiceAccount', name: 'binder', namespace: 'smoke' }, [{ apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], resourceNames: ['secret-writer'], verbs: ['bind'] }]);
  assert.equal((await call(sim, 'POST', `${rbac}/namespaces/smoke/rolebindings`, { token, body: binding('writes', 'secret-writer') })).status, 201);
});

test('rules match verbs, resources, subresources, resourceNames, groups and wildcards; SelfSubjectAccessReview answers from the same rules', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'matcher', [
    { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
    { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['tether-sandbox'], verbs: ['get', 'update'] },
    { apiGroups: ['apps'], resources: ['*'], verbs: ['list'] },
    { apiGroups: ['*'], resources: ['*/status'], verbs: ['get'] },
  ]);
  const cases: [Record<string, string>, boolean][] = [
    [{ namespace: 'smoke', verb: 'create', resource: 'pods', subresource: 'portforward' }, true],
    [{ namespace: 'smoke', verb: 'get', resource: 'pods' }, false],
    [{ namespace: 'smoke', verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name: 'tether-sandbox' }, true],
    [{ namespace: 'smoke', verb: 'get', group: 'coordination.k8s.io', resource: 'leases', name: 'other' }, false],
    [{ namespace: 'smoke', verb: 'list', group: 'coordination.k8s.io', resource: 'leases' }, false],
    [{ namespace: 'smoke', verb: 'list', group: 'apps', resource: 'deployments' }, true],
    [{ namespace: 'smoke', verb: 'watch', group: 'apps', resource: 'deployments' }, false],
    [{ namespace: 'smoke', verb: 'get', group: 'batch', resource: 'jobs', subresource: 'status' }, true],
    [{ namespace: 'other', verb: 'list', group: 'apps', resource: 'deployments' }, false],
  ];
  for (const [attributes, expected] of cases) assert.equal((await allowed(token, attributes)).allowed, expected, JSON.stringify(attributes));
  assert.equal((await allowed(token, cases[0][0])).reason, 'RBAC: allowed by RoleBinding "matcher/smoke" of Role "matcher" to ServiceAccount "matcher/smoke"');
  assert.deepEqual(await allowed(token, cases[1][0]), recording('201-selfsubjectaccessreview-denied.json').status);
  // What the reviews say, the requests get.
  assert.equal((await call(sim, 'GET', `/apis/apps/v1/namespaces/smoke/deployments`, { token })).status, 200);
  assert.equal((await call(sim, 'GET', `/apis/coordination.k8s.io/v1/namespaces/smoke/leases`, { token })).status, 403);
});

test('ClusterRoles bind cluster-wide through ClusterRoleBindings and per namespace through RoleBindings; groups are subjects too', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'clustered');
  await call(sim, 'POST', `${rbac}/clusterroles`, { body: { metadata: { name: 'node-reader' }, rules: [{ apiGroups: [''], resources: ['nodes'], verbs: ['list'] }] } });
  await call(sim, 'POST', `${rbac}/clusterroles`, { body: { metadata: { name: 'cm-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['list'] }] } });
  assert.equal((await call(sim, 'GET', '/api/v1/nodes', { token })).status, 403);
  await call(sim, 'POST', `${rbac}/clusterrolebindings`, { body: { metadata: { name: 'sa-nodes' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'node-reader' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:smoke' }] } });
  assert.equal((await call(sim, 'GET', '/api/v1/nodes', { token })).status, 200, 'bound to the namespace\'s ServiceAccounts group');
  await call(sim, 'POST', `${rbac}/namespaces/other/rolebindings`, { body: { metadata: { name: 'cm' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cm-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'clustered', namespace: 'smoke' }] } });
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/other/configmaps', { token })).status, 200);
  assert.equal((await call(sim, 'GET', '/api/v1/namespaces/smoke/configmaps', { token })).status, 403, 'a ClusterRole in a RoleBinding grants in that namespace only');
});

test('SelfSubjectRulesReview lists the rules that apply in a namespace; a binding to a missing role is reported with denials', async () => {
  const token = await serviceAccountToken(sim, 'smoke', 'reviewer', [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'] }]);
  const r = await call(sim, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { token, body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'smoke' } } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status.incomplete, false);
  assert.ok(r.body.status.resourceRules.some((rule: { resources: string[] }) => rule.resources.includes('deployments')));
  assert.ok(r.body.status.resourceRules.some((rule: { resources: string[] }) => rule.resources.includes('selfsubjectaccessreviews')), 'system:basic-user');
  assert.ok(r.body.status.nonResourceRules.some((rule: { nonResourceURLs: string[] }) => rule.nonResourceURLs.includes('/api/*')), 'system:discovery');

  await call(sim, 'POST', `${rbac}/namespaces/smoke/rolebindings`, { body: { metadata: { name: 'dangling' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'gone' }, subjects: [{ kind: 'ServiceAccount', name: 'reviewer' }] } });
  const denied = await call(sim, 'GET', '/api/v1/namespaces/smoke/pods', { token });
  assert.equal(denied.status, 403);
  assert.equal(denied.body.message, 'pods is forbidden: User "system:serviceaccount:smoke:reviewer" cannot list resource "pods" in API group "" in the namespace "smoke": RBAC: role.rbac.authorization.k8s.io "gone" not found');
});
