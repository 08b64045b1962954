import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expectOne, lint, only } from './diagnose';
import { applyEdits } from '../../../src/manifests/fixes';

const dir = path.join(import.meta.dirname, '../../fixtures/manifests');
const fixture = (name: string) => readFileSync(path.join(dir, name), 'utf8');

const pod = (body: string) => `apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
    - name: app
      image: nginx:1.27
${body}`;

test('the non-firing fixture has no schema, YAML or workload findings', () => {
  const diags = lint(fixture('good.yaml'));
  assert.deepEqual(diags.map((d) => `${d.ruleId}: ${d.message}`), []);
});

test('unknown field with "did you mean" and a rename fix that re-validates clean', () => {
  const text = pod('      imagePullPolicyy: Always\n');
  const d = expectOne(lint(text), 'schema-unknown-field', text, 'imagePullPolicyy');
  assert.match(d.message, /did you mean "imagePullPolicy"/);
  const fixed = applyEdits(text, d.fixes![0].edits);
  assert.equal(only(lint(fixed), 'schema-unknown-field').length, 0);
  assert.match(fixed, /imagePullPolicy: Always/);
});

test('wrong types: string where an integer belongs, number where a string belongs', () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: "3"
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          env:
            - name: PORT
              value: 8080
`;
  const diags = only(lint(text), 'schema-type');
  assert.equal(diags.length, 2);
  assert.match(diags[0].message, /expected integer, got string/);
  assert.match(diags[1].message, /expected string, got integer \(quote it: "8080"\)/);
  assert.equal(diags[1].range.start.line, 15);
});

test('missing required field points at the list item that lacks it', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: demo
spec:
  containers:
    - image: nginx:1.27
`;
  // The schema and the server both refuse it; the server's words win.
  const d = expectOne(lint(text), 'server-containers', text, 'image');
  assert.equal(d.message, 'the API server rejects this: spec.containers[0].name: Required value');
  const crd = `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: demo
spec:
  leaseDurationSeconds: 5
  holderIdentity: [a]
`;
  assert.match(expectOne(lint(crd), 'schema-type', crd, '[a]').message, /expected string, got list/);
});

test('enum values with a case fix, int-or-string, malformed quantities', () => {
  const text = pod(`      imagePullPolicy: always
      resources:
        requests:
          memory: 500mi
          cpu: 0.5
      ports:
        - containerPort: 80
          protocol: tcp
`);
  const diags = lint(text);
  // Enum values both the schema and the server refuse are reported once, in the server's words, with the near-miss fix.
  assert.equal(only(diags, 'schema-enum').length, 0);
  const e = only(diags, 'server-containers');
  assert.equal(e.length, 2);
  assert.match(e[0].message, /imagePullPolicy: Unsupported value: "always": supported values: "Always", "IfNotPresent", "Never"/);
  assert.deepEqual(e[0].fixes![0].edits, [{ start: text.indexOf('always'), end: text.indexOf('always') + 6, newText: 'Always' }]);
  assert.deepEqual(e[1].fixes![0].edits[0].newText, 'TCP');
  const q = expectOne(diags, 'schema-quantity', text, '500mi');
  assert.match(q.message, /did you mean "500Mi"/);
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  ports:
    - port: 80
      targetPort: 80.5
    - port: 81
      targetPort: http
`;
  expectOne(lint(svc), 'schema-type', svc, '80.5');
});

test('DNS-1123 names and label keys and values (kinds the server rules do not cover)', () => {
  const text = `apiVersion: coordination.k8s.io/v1
kind: Lease
metadata:
  name: web_api
  labels:
    "bad key!": ok
    tier: "-front"
`;
  const diags = lint(text);
  expectOne(diags, 'schema-name', text, 'web_api');
  const labels = only(diags, 'schema-label');
  assert.equal(labels.length, 2);
  assert.deepEqual(labels[0].range, { start: { line: 5, character: 4 }, end: { line: 5, character: 14 } });
});

test('built-in kinds get the server\'s own name and label messages instead', () => {
  const text = `apiVersion: v1
kind: Service
metadata:
  name: web.api
  labels:
    "bad key!": ok
    tier: "-front"
spec:
  ports: [{ port: 80 }]
`;
  const diags = lint(text);
  assert.equal(only(diags, 'schema-name').length + only(diags, 'schema-label').length, 0);
  const meta = only(diags, 'server-metadata');
  assert.deepEqual(meta.map((d) => d.range.start), [{ line: 3, character: 8 }, { line: 5, character: 4 }, { line: 6, character: 10 }]);
  assert.match(meta[0].message, /^the API server rejects this: metadata\.name: Invalid value: "web\.api": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/);
});

test('syntax errors and duplicate keys have exact ranges; non-Kubernetes YAML is skipped with a note', () => {
  const dup = pod('      image: nginx:1.28\n');
  expectOne(lint(dup), 'yaml-duplicate-key', dup, 'image', 1);
  const broken = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "unterminated\n';
  const syntax = only(lint(broken), 'yaml-syntax');
  // The parser reports an unterminated quote where the text runs out.
  assert.deepEqual(syntax.map((d) => [d.message, d.range.start]), [['Missing closing "quote', { line: 6, character: 0 }]]);
  const flow = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1, 2\n';
  assert.equal(only(lint(flow), 'yaml-syntax')[0].range.start.line, 6);
  const compose = 'services:\n  web:\n    image: nginx\n';
  const notes = lint(compose);
  assert.deepEqual(notes.map((d) => [d.ruleId, d.severity]), [['skipped', 'info']]);
  assert.match(notes[0].message, /not a Kubernetes resource/);
});

test('unknown kind in a known apiVersion suggests the nearest kind; custom resources pass', () => {
  const text = 'apiVersion: apps/v1\nkind: Deploymnet\nmetadata:\n  name: x\n';
  const d = expectOne(lint(text), 'schema-unknown-kind', text, 'Deploymnet');
  assert.match(d.message, /did you mean "Deployment"/);
  const wrongGroup = 'apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n';
  assert.match(expectOne(lint(wrongGroup), 'schema-unknown-kind', wrongGroup, 'Deployment').message, /use apps\/v1/);
  assert.deepEqual(lint('apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: x\nspec:\n  anything: [1]\n'), []);
  // Real kinds outside the bundled set, and lists, are not reported as unknown.
  assert.deepEqual(lint('apiVersion: v1\nkind: Node\nmetadata:\n  name: n1\n---\napiVersion: v1\nkind: List\nitems: []\n'), []);
});

test('aliases and merge keys are validated where they are used', () => {
  const text = `apiVersion: v1
kind: ConfigMap
metadata:
  name: merged
  labels: &l
    tier: web
  annotations:
    <<: *l
    extra: "1"
datta:
  a: b
`;
  const diags = lint(text);
  expectOne(diags, 'schema-unknown-field', text, 'datta');
});

test('each item of a v1 List (kubectl get -o yaml) is validated like a document', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: a
    dataa: {}
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: b
    spec:
      replicas: "2"
`;
  const diags = lint(text);
  expectOne(diags, 'schema-unknown-field', text, 'dataa');
  expectOne(diags, 'schema-type', text, '"2"');
});

test('quick fixes: a binary suffix in the wrong case, a number where a string is expected', () => {
  const text = pod(`      resources:
        requests:
          memory: 500mi
          cpu: 500M
      env:
        - name: VERSION
          value: 1.10
`);
  const diags = lint(text);
  const q = only(diags, 'schema-quantity');
  assert.equal(q.length, 1, 'only the unambiguous one is malformed: 500M is a valid quantity');
  assert.equal(applyEdits(text, q[0].fixes![0].edits).includes('memory: 500Mi'), true);
  const t = expectOne(diags, 'schema-type', text, '1.10');
  assert.match(applyEdits(text, t.fixes![0].edits), /value: "1\.10"\n/);
});
