/**
 * YAML diagnostics against the schemas the cluster under test serves at /openapi/v3: the same
 * documents `tether-lint --openapi` reads, fetched live, find the same mistakes as the bundled schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeClient, RequestOptions } from '../../../src/kube/api';
import { ClusterSchemaCache, documentsToFetch, fetchClusterFacts, fetchClusterSchema } from '../../../src/kube/clusterSchema';
import { SchemaIndex } from '../../../src/manifests/schema/index';
import { ManifestLinter } from '../../../src/manifests/validate';
import { clusterFor } from '../../cluster/clusterUnderTest';
import { withServiceAccount } from '../../cluster/serviceAccount';
import { schemaMistakesDeployment } from '../../fixtures/manifests/schemaMistakes';

/** The client with every request path recorded. */
function recording(client: KubeClient): { client: KubeClient; paths: string[] } {
  const paths: string[] = [];
  const spy = Object.create(client) as KubeClient;
  spy.request = <T>(options: RequestOptions): Promise<T> => {
    paths.push(options.path);
    return client.request<T>(options);
  };
  return { client: spy, paths };
}

test('the documents fetched: the built-in groups people write, every version, and every CRD group; nothing else', () => {
  const url = (p: string) => ({ serverRelativeURL: `/openapi/v3/${p}?hash=1` });
  const index = {
    paths: Object.fromEntries(
      ['api', 'api/v1', 'apis', 'apis/apps/v1', 'apis/autoscaling/v1', 'apis/autoscaling/v2', 'apis/authorization.k8s.io/v1', 'apis/apiextensions.k8s.io/v1', 'apis/flowcontrol.apiserver.k8s.io/v1', 'apis/networking.k8s.io/v1', 'apis/monitoring.coreos.com/v1', 'apis/gateway.networking.k8s.io/v1', 'openid/v1/jwks', 'version', '.well-known/openid-configuration'].map((p) => [p, url(p)]),
    ),
  };
  assert.deepEqual(documentsToFetch(index), [
    'api/v1',
    'apis/apps/v1',
    'apis/autoscaling/v1',
    'apis/autoscaling/v2',
    'apis/gateway.networking.k8s.io/v1',
    'apis/monitoring.coreos.com/v1',
    'apis/networking.k8s.io/v1',
  ]);
});

test("the cluster's /openapi/v3 documents validate a Deployment: wrong types, enums, unknown fields and quantities", async (t) => {
  const cluster = await clusterFor(t, 'kube-openapi');
  const client = cluster.client();
  const set = await fetchClusterSchema(client);
  const version = await client.version();
  assert.equal(set.version, `${version.major}.${version.minor.replace(/\D+$/, '')}`);
  assert.equal(set.kinds['apps/v1/Deployment'], 'io.k8s.api.apps.v1.Deployment');
  // Kinds the cluster does not publish still validate, from the bundled schema.
  assert.ok(set.kinds['batch/v1/Job'], 'batch/v1 Job from the cluster or the bundled schema');

  // The server rules repeat the enum mistake in the server's words; off, the schema's own finding shows.
  const linter = new ManifestLinter({ rules: { 'server-containers': 'off' } }, new SchemaIndex(set));
  const text = schemaMistakesDeployment;
  const diagnostics = linter.lint([{ path: 'd.yaml', text }])[0].diagnostics;
  const rules = new Set(diagnostics.map((d) => d.ruleId));
  for (const rule of ['schema-type', 'schema-enum', 'schema-unknown-field', 'schema-quantity']) assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
  assert.match(diagnostics.find((d) => d.ruleId === 'schema-unknown-field')?.message ?? '', /did you mean "resources"/);
});

test('the schema is fetched once per server version; node facts every time', async (t) => {
  const cluster = await clusterFor(t, 'kube-openapi-cache');
  const { client, paths } = recording(cluster.client());
  const cache = new ClusterSchemaCache();
  const first = await cache.get(client);
  const documents = paths.filter((p) => p.startsWith('/openapi/v3/')).length;
  assert.ok(documents >= 2, `fetched ${documents} group documents`);
  assert.ok(first.facts && first.facts.nodes.length > 0, 'node facts');
  assert.ok(cache.has(cluster.client().server, first.gitVersion));
  paths.length = 0;
  const second = await cache.get(client);
  assert.equal(second.schema, first.schema, 'the same schema object');
  assert.deepEqual(paths.filter((p) => p.startsWith('/openapi/v3')), [], 'no document fetched again');
  assert.ok(paths.includes('/version') && paths.some((p) => p.endsWith('/nodes')), paths.join(', '));
});

test('without permission to list nodes there are no node facts, and no failure', async (t) => {
  const cluster = await clusterFor(t, 'kube-openapi-nodes-denied');
  // A ServiceAccount holds nothing cluster-wide: it may not list nodes.
  const viewer = await withServiceAccount(cluster, cluster.namespace, [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
  assert.equal(await fetchClusterFacts(viewer.client()), undefined);
  assert.ok((await fetchClusterFacts(cluster.client()))?.nodes.length);
});
