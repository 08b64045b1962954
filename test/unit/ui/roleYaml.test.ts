import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { roleYamlFor } from '../../../src/ui/commands/roleYaml';

test('a Role per namespace and a ClusterRole for cluster-scoped reads', () => {
  const text = roleYamlFor([
    { verb: 'list', resource: 'pods', namespace: 'shop' },
    { verb: 'watch', resource: 'pods', namespace: 'shop' },
    { verb: 'list', resource: 'deployments', group: 'apps', namespace: 'api' },
    { verb: 'list', resource: 'namespaces' },
  ]);
  const docs = parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string }; rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }> });
  assert.deepEqual(docs.map((d) => [d.kind, d.metadata.namespace]), [['Role', 'api'], ['Role', 'shop'], ['ClusterRole', undefined]]);
  assert.deepEqual(docs[1].rules, [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }]);
  assert.deepEqual(docs[0].rules, [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }]);
  assert.deepEqual(docs[2].rules, [{ apiGroups: [''], resources: ['namespaces'], verbs: ['list'] }]);
});
