import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectOne, lint, only } from './diagnose';
import { applyEdits } from '../../../src/manifests/fixes';
import { parseImage } from '../../../src/manifests/rules/workloads';

const deployment = (container: string, templateLabels = 'app: web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        ${templateLabels}
    spec:
      containers:
        - name: web
${container}`;

const healthy = `          image: nginx:1.27
          resources:
            requests: { cpu: 100m }
            limits: { memory: 128Mi }
          readinessProbe: { tcpSocket: { port: 80 } }
          livenessProbe: { tcpSocket: { port: 80 } }
`;

test('a healthy container fires no workload rule', () => {
  const diags = lint(deployment(healthy));
  for (const id of ['container-resources-missing', 'image-tag-missing', 'image-tag-latest', 'probes-missing', 'probe-port-unknown', 'server-workloads', 'server-containers', 'server-probes']) assert.equal(only(diags, id).length, 0, id);
});

test('containers without requests or limits', () => {
  const text = deployment('          image: nginx:1.27\n');
  const d = expectOne(lint(text), 'container-resources-missing', text, 'web', 3);
  assert.equal(d.message, 'container "web" has no resource requests or limits');
});

test('image without a tag gets a placeholder fix; :latest is flagged; digests and registry ports are fine', () => {
  const text = deployment(healthy.replace('nginx:1.27', 'registry:5000/team/nginx'));
  const d = expectOne(lint(text), 'image-tag-missing', text, 'registry:5000/team/nginx');
  const fixed = applyEdits(text, d.fixes![0].edits);
  assert.match(fixed, /image: registry:5000\/team\/nginx:<tag>\n/);
  assert.equal(only(lint(fixed), 'image-tag-missing').length, 0);
  const latest = deployment(healthy.replace('nginx:1.27', 'nginx:latest'));
  expectOne(lint(latest), 'image-tag-latest', latest, 'nginx:latest');
  assert.equal(lint(deployment(healthy.replace('nginx:1.27', 'nginx@sha256:abc'))).filter((x) => x.ruleId.startsWith('image-')).length, 0);
  assert.deepEqual(parseImage('registry:5000/a/b:1.2@sha256:ff'), { name: 'registry:5000/a/b', tag: '1.2', digest: 'sha256:ff' });
});

test('long-running containers need probes; Jobs do not', () => {
  const text = deployment(healthy.replace(/ {10}livenessProbe.*\n/, ''));
  assert.equal(expectOne(lint(text), 'probes-missing', text, 'web', 3).message, 'container "web" has no livenessProbe');
  const job = `apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: once
          image: busybox:1.36
`;
  assert.equal(only(lint(job), 'probes-missing').length, 0);
});

test('probe port names must exist on the container', () => {
  const text = deployment(`          image: nginx:1.27
          ports: [{ name: http, containerPort: 80 }]
          readinessProbe: { httpGet: { path: /, port: htpp } }
          livenessProbe: { httpGet: { path: /, port: http } }
`);
  assert.match(expectOne(lint(text), 'probe-port-unknown', text, 'htpp').message, /declares only "http"/);
});

test('Deployment selector must match the template labels (the server\'s check, at the template labels)', () => {
  const text = deployment(healthy, 'app: webx');
  const d = only(lint(text), 'server-workloads');
  assert.equal(d.length, 1);
  assert.match(d[0].message, /spec\.template\.metadata\.labels: Invalid value: map\[string\]string\{"app":"webx"\}: `selector` does not match template `labels`/);
  const expr = deployment(healthy).replace('    matchLabels:\n      app: web', '    matchExpressions:\n      - { key: app, operator: In, values: [web, api] }');
  assert.equal(only(lint(expr), 'server-workloads').length, 0);
});
