/**
 * The Roles a refusal suggests keep what the user holds of the feature, so applying one never takes
 * a permission away: here a ClusterRole, for what is granted across the cluster.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseAccess } from '../../../src/kube/access';
import { rulesCover } from '../../../src/kube/permissions/rules';
import { clusterFor } from '../../cluster/clusterUnderTest';
import { grantClusterWide, withServiceAccount } from '../../cluster/serviceAccount';

test('a ClusterRole suggested for a refusal across the cluster keeps what the user may already do of the feature there', async (t) => {
  const cluster = await clusterFor(t, 'permissions-advice');
  // Jane may watch pods, quotas and events in every namespace, but not nodes.
  const jane = await withServiceAccount(cluster, cluster.namespace, []);
  await grantClusterWide(cluster, jane, [{ apiGroups: [''], resources: ['pods', 'resourcequotas', 'events'], verbs: ['list', 'watch'] }]);
  const missing = [{ verb: 'list', resource: 'nodes' }, { verb: 'watch', resource: 'nodes' }];
  const advice = await adviseAccess(jane.client(), 'gpus', missing);
  assert.deepEqual(advice.roles.map((r) => `${r.kind}/${r.name}`), ['ClusterRole/tether-gpus-cluster']);
  const [role] = advice.roles;
  for (const check of missing) assert.ok(rulesCover(role.rules, check), `grants ${check.verb} nodes`);
  // The same-named ClusterRole, applied over an earlier one, must keep what jane holds of the feature.
  assert.ok(rulesCover(role.rules, { verb: 'list', resource: 'pods' }) && rulesCover(role.rules, { verb: 'watch', resource: 'events' }), JSON.stringify(role.rules));
  assert.equal(advice.user, jane.user);
});
