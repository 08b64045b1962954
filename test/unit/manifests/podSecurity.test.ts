import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, only, rangeOf } from './diagnose';

test('restricted profile violations, each at the field that breaks it', () => {
  const text = `apiVersion: v1
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
  const diags = only(lint(text), 'pod-security-restricted');
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
