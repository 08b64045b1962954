import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestLinter } from '../../../src/manifests/validate';
import { fieldAt } from '../../../src/manifests/schema/hover';
import { looksLikeKubernetes } from '../../../src/manifests/detect';

const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  template:
    spec:
      containers:
        - name: web
          imagePullPolicy: Always
          resources:
            limits: { memory: 1Gi }
`;

test('hover finds the field under the cursor with its type, description and enum', () => {
  const linter = new ManifestLinter();
  const analysis = linter.analyze({ path: 'h.yaml', text });
  const r = analysis.resources[0];
  const key = fieldAt(linter.schema, r, text.indexOf('imagePullPolicy') + 3)!;
  assert.equal(key.path, 'spec.template.spec.containers[].imagePullPolicy');
  assert.equal(key.type, 'string');
  assert.match(key.description!, /Image pull policy/);
  assert.deepEqual(key.enum, ['Always', 'IfNotPresent', 'Never']);
  const value = fieldAt(linter.schema, r, text.indexOf('Always') + 1)!;
  assert.equal(value.path, key.path);
  const containers = fieldAt(linter.schema, r, text.indexOf('containers') + 1)!;
  assert.equal(containers.type, 'list of object');
  const mem = fieldAt(linter.schema, r, text.indexOf('1Gi'))!;
  assert.equal(mem.path, 'spec.template.spec.containers[].resources.limits');
  assert.equal(mem.type, 'map of string to quantity');
  const name = fieldAt(linter.schema, r, text.indexOf('name: web') + 1)!;
  assert.equal(name.path, 'metadata.name');
});

test('Kubernetes YAML is told apart from other YAML', () => {
  assert.equal(looksLikeKubernetes(text), true);
  assert.equal(looksLikeKubernetes('services:\n  web:\n    image: nginx\n'), false);
});
