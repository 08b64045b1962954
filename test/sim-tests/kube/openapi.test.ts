/**
 * YAML diagnostics against the schemas the cluster under test serves at /openapi/v3: the same
 * documents `tether-lint --openapi` reads, fetched live, find the same mistakes as the bundled schema.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SchemaIndex } from '../../../src/manifests/schema/index';
import { schemaFromOpenApi, type OpenApiDocument } from '../../../src/manifests/schema/openapi';
import { ManifestLinter } from '../../../src/manifests/validate';
import { clusterFor } from '../../cluster/clusterUnderTest';

interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

test("the cluster's /openapi/v3 documents validate a Deployment: wrong types, enums, unknown fields and quantities", async (t) => {
  const cluster = await clusterFor(t, 'kube-openapi');
  const client = cluster.client();
  const index = await client.request<OpenApiIndex>({ what: 'Read the OpenAPI v3 index', path: '/openapi/v3' });
  const docs = await Promise.all(
    ['api/v1', 'apis/apps/v1'].map((group) => {
      const url = index.paths[group]?.serverRelativeURL;
      assert.ok(url, `the cluster serves /openapi/v3/${group}`);
      const [path, query] = url.split('?');
      return client.request<OpenApiDocument>({ what: `Read /openapi/v3/${group}`, path, query: Object.fromEntries(new URLSearchParams(query ?? '')) });
    }),
  );
  const set = schemaFromOpenApi(docs);
  const version = await client.version();
  assert.equal(set.version, `${version.major}.${version.minor.replace(/\D+$/, '')}`);
  assert.equal(set.kinds['apps/v1/Deployment'], 'io.k8s.api.apps.v1.Deployment');

  const linter = new ManifestLinter({}, new SchemaIndex(set));
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: two
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          imagePullPolicy: Sometimes
          resourcez: {}
          resources: { limits: { memory: 1gb } }
`;
  const diagnostics = linter.lint([{ path: 'd.yaml', text }])[0].diagnostics;
  const rules = new Set(diagnostics.map((d) => d.ruleId));
  for (const rule of ['schema-type', 'schema-enum', 'schema-unknown-field', 'schema-quantity']) assert.ok(rules.has(rule), `${rule} in ${[...rules].join(', ')}`);
  assert.match(diagnostics.find((d) => d.ruleId === 'schema-unknown-field')?.message ?? '', /did you mean "resources"/);
});
