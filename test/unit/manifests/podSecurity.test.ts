import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, only, rangeOf } from './diagnose';

const rootPod = `apiVersion: v1
kind: Pod
metadata:
  name: root
spec:
  hostNetwork: true
  volumes:
    - name: host
      hostPath: { path: /var/run }
  containers:
    - name: app
      image: nginx:1.27
      ports: [{ containerPort: 80, hostPort: 80 }]
      securityContext:
        privileged: true
        allowPrivilegeEscalation: true
        runAsUser: 0
        capabilities:
          add: [SYS_ADMIN]
`;

test('restricted profile violations, each at the field that breaks it, when the setting asks', () => {
  const text = rootPod;
  const diags = only(lint(text, { podSecurity: 'restricted' }), 'pod-security-restricted');
  const at = (needle: string) => diags.find((d) => JSON.stringify(d.range) === JSON.stringify(rangeOf(text, needle)));
  for (const needle of ['hostNetwork', 'hostPath', 'hostPort', 'privileged', 'SYS_ADMIN']) assert.ok(at(needle), `no finding at "${needle}": ${diags.map((d) => d.message).join('\n')}`);
  assert.ok(diags.some((d) => /allowPrivilegeEscalation: false/.test(d.message)));
  assert.ok(diags.some((d) => /drop ALL/.test(d.message)));
  assert.ok(diags.some((d) => /runAsUser: 0 runs as root/.test(d.message) && d.range.start.line === 16));
  assert.ok(diags.some((d) => /seccompProfile/.test(d.message)));
  assert.ok(diags.every((d) => d.severity === 'info'));
});

test('a compliant pod passes', () => {
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: ok
spec:
  securityContext:
    runAsNonRoot: true
    seccompProfile: { type: RuntimeDefault }
  volumes:
    - name: cache
      emptyDir: {}
  containers:
    - name: app
      image: nginx:1.27
      securityContext:
        allowPrivilegeEscalation: false
        capabilities: { drop: [ALL], add: [NET_BIND_SERVICE] }
`;
  assert.deepEqual(only(lint(text), 'pod-security-restricted'), []);
});

test('by default, without a cluster, one summary line per workload', () => {
  const diags = only(lint(rootPod), 'pod-security-restricted');
  assert.equal(diags.length, 1);
  assert.deepEqual(diags[0].range, rangeOf(rootPod, 'root'));
  assert.equal(diags[0].severity, 'info');
  assert.match(diags[0].message, /^Pod Security "restricted": 10 findings \(hostNetwork, hostPath volumes, privileged, hostPort, allowPrivilegeEscalation, runAsNonRoot, runAsUser, seccompProfile, capabilities\)/);
});

const cluster = (labels: Record<string, string>) => ({ nodes: [], namespaces: [{ name: 'default', labels }, { name: 'open', labels: {} }] });

test('a namespace that enforces a profile: Pods are refused (errors), workloads accepted but their pods refused (warnings)', () => {
  const enforce = lint(rootPod, { cluster: cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' }) });
  const pss = only(enforce, 'pod-security-restricted');
  assert.equal(pss.length, 10);
  assert.ok(pss.every((d) => d.severity === 'error' && d.message.startsWith('the API server refuses this Pod: namespace "default" enforces Pod Security "restricted": ')));
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec: { selector: { matchLabels: { app: web } }, template: { metadata: { labels: { app: web } }, spec: { containers: [{ name: web, image: "nginx:1.27" }] } } }
`;
  const baseline = only(lint(deployment, { cluster: cluster({ 'pod-security.kubernetes.io/enforce': 'baseline' }) }), 'pod-security-restricted');
  assert.deepEqual(baseline, [], 'the baseline profile allows a plain container');
  const restricted = only(lint(deployment, { cluster: cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' }) }), 'pod-security-restricted');
  assert.ok(restricted.length === 4 && restricted.every((d) => d.severity === 'warning' && /accepts this Deployment but refuses its pods/.test(d.message)));
  const open = only(lint(deployment.replace('namespace: default', 'namespace: open'), { cluster: cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' }) }), 'pod-security-restricted');
  assert.equal(open.length, 1, 'a namespace without labels gets the summary line');
});

test('a namespace that only warns lists the findings as notes; "baseline" lists only baseline findings', () => {
  const warn = only(lint(rootPod, { cluster: cluster({ 'pod-security.kubernetes.io/warn': 'baseline' }) }), 'pod-security-restricted');
  assert.ok(warn.length === 5 && warn.every((d) => d.severity === 'info' && /warns about Pod Security "baseline"/.test(d.message)), warn.map((d) => d.message).join('\n'));
  const baseline = only(lint(rootPod, { podSecurity: 'baseline' }), 'pod-security-restricted');
  assert.equal(baseline.length, 5);
  assert.equal(only(lint(rootPod, { podSecurity: 'summary', cluster: cluster({ 'pod-security.kubernetes.io/enforce': 'restricted' }) }), 'pod-security-restricted').length, 1);
});
