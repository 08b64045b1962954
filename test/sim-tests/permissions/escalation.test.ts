/**
 * RBAC's escalation rule in the preflight: a Role Tether creates (a sandbox agent's) may grant only
 * what its creator holds, unless the creator may `escalate` and `bind` Roles. The preflight asks for
 * those rules before anything is written, and agrees with the API server's own check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertAllowed } from '../../../src/kube/access';
import type { KubeClient } from '../../../src/kube/api';
import { ExplainedError } from '../../../src/kube/errors';
import { kinds, resourcePath } from '../../../src/kube/kinds';
import { rulesCover } from '../../../src/kube/permissions/rules';
import type { AccessCheck, PolicyRule } from '../../../src/kube/role';
import { clusterFor } from '../../cluster/clusterUnderTest';
import { withServiceAccount } from '../../cluster/serviceAccount';

const writeRoles: PolicyRule = { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['create'] };

function createRole(client: KubeClient, namespace: string, name: string, rules: PolicyRule[]): Promise<unknown> {
  return client.request({ what: `Create Role "${name}"`, method: 'POST', path: resourcePath(kinds.Role, namespace), body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace }, rules } });
}

test("the preflight asks for the rules of a Role it creates unless the creator may escalate and bind, as the API server's own check does", async (t) => {
  const cluster = await clusterFor(t, 'permissions-escalation');
  const ns = cluster.namespace;
  const listJobs: AccessCheck = { verb: 'list', group: 'batch', resource: 'jobs', namespace: ns };
  const agentRole: PolicyRule[] = [{ apiGroups: ['batch'], resources: ['jobs'], verbs: ['list'] }];
  const preflight = (client: KubeClient) =>
    assertAllowed(client, { feature: 'sandbox', what: 'Create sandbox "jane-main"', checks: [{ verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'roles', namespace: ns }], escalation: [listJobs] });

  const plain = (await withServiceAccount(cluster, ns, [writeRoles])).client();
  await assert.rejects(preflight(plain), (err: unknown) => {
    assert.ok(err instanceof ExplainedError && err.reason === 'Forbidden');
    assert.match(err.why, new RegExp(`list jobs\\.batch in namespace "${ns}".*a Role Tether creates may grant only what you hold yourself`));
    assert.deepEqual(err.access?.missing, [listJobs]);
    assert.ok(rulesCover(err.access?.roles[0].rules ?? [], listJobs));
    return true;
  });
  // The API server refuses that Role for the same reason, and the refusal is read as the same missing rule.
  await assert.rejects(createRole(plain, ns, 'agent', agentRole), (err: unknown) => {
    assert.ok(err instanceof ExplainedError && err.reason === 'Forbidden', String(err));
    assert.match(err.why, /may grant only permissions they hold, and does not hold: list jobs\.batch/);
    assert.deepEqual(err.access?.missing, [listJobs]);
    return true;
  });

  const escalator = (await withServiceAccount(cluster, ns, [writeRoles, { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'], verbs: ['escalate', 'bind'] }])).client();
  await preflight(escalator);
  await createRole(escalator, ns, 'agent', agentRole);
});
