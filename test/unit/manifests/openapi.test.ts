import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { schemaFromOpenApi, type OpenApiDocument } from '../../../src/manifests/schema/openapi';
import { SchemaIndex, bundledSchema } from '../../../src/manifests/schema/index';
import { ManifestLinter } from '../../../src/manifests/validate';
import { rangeOf } from './diagnose';
import { schemaMistakesDeployment } from '../../fixtures/manifests/schemaMistakes';
import { kubeApiJson } from '../../fixtures/kubeApi';

const widgetDoc = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/manifests/openapi-widget-crd.json'), 'utf8')) as OpenApiDocument;

test('the recorded /openapi/v3 documents of a 1.25 cluster validate Deployments and Pods', () => {
  const docs = ['openapi-v3-api-v1.json.gz', 'openapi-v3-apps-v1.json.gz'].map((f) => kubeApiJson(f) as OpenApiDocument);
  const set = schemaFromOpenApi(docs);
  assert.equal(set.version, '1.25');
  assert.equal(set.kinds['apps/v1/Deployment'], 'io.k8s.api.apps.v1.Deployment');
  assert.equal(set.kinds['v1/Pod'], 'io.k8s.api.core.v1.Pod');
  const container = set.types['io.k8s.api.core.v1.Container'];
  assert.deepEqual(container.r, ['name']);
  assert.deepEqual(container.p.imagePullPolicy.e, ['Always', 'IfNotPresent', 'Never']);
  assert.equal(set.types['io.k8s.api.core.v1.ResourceRequirements'].p.limits.t, '{}quantity');
  assert.equal(set.types['io.k8s.api.core.v1.ServicePort'].p.targetPort.t, 'int-or-string');

  const linter = new ManifestLinter({}, new SchemaIndex(set));
  const text = schemaMistakesDeployment;
  const diags = linter.lint([{ path: 'd.yaml', text }])[0].diagnostics;
  const byRule = (id: string) => diags.filter((d) => d.ruleId === id);
  assert.deepEqual(byRule('schema-type')[0].range, rangeOf(text, 'two'));
  // The enum value both the schema and the server refuse is reported in the server's words.
  assert.deepEqual(byRule('server-containers').find((d) => /imagePullPolicy/.test(d.message))!.range, rangeOf(text, 'Sometimes'));
  assert.match(byRule('schema-unknown-field')[0].message, /did you mean "resources"/);
  assert.deepEqual(byRule('schema-quantity')[0].range, rangeOf(text, '1gb'));
});

test('a CRD from /openapi/v3 (inline nested schemas, int-or-string, preserve-unknown-fields) merged over the bundled schema', () => {
  const crd = schemaFromOpenApi([widgetDoc]);
  assert.equal(crd.kinds['example.com/v1/Widget'], 'com.example.v1.Widget');
  const index = bundledSchema().with(crd);
  const linter = new ManifestLinter({}, index);
  const text = `apiVersion: example.com/v1
kind: Widget
metadata:
  name: w
spec:
  size: "3"
  mode: fastest
  port: http
  memory: 2Gi
  extra: { anything: [1, 2] }
  tags: [a, b]
  colour: red
---
apiVersion: example.com/v1
kind: Widget
metadata:
  name: w2
spec:
  mode: careful
`;
  const diags = linter.lint([{ path: 'w.yaml', text }])[0].diagnostics.filter((d) => d.ruleId.startsWith('schema-'));
  assert.deepEqual(diags.map((d) => [d.ruleId, d.range.start.line]), [
    ['schema-type', 5],
    ['schema-enum', 6],
    ['schema-unknown-field', 11],
    ['schema-required', 17],
  ]);
  // The bundled kinds are still there.
  assert.ok(index.typeForKind('apps/v1', 'Deployment'));
});
