import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { lintAll, only, rangeOf } from './diagnose';

const good = readFileSync(path.join(import.meta.dirname, '../../fixtures/manifests/good.yaml'), 'utf8');

test('the same kind, namespace and name in two files is reported on the second', () => {
  const [a, b] = lintAll([{ path: 'a.yaml', text: good }, { path: 'b.yaml', text: good }]);
  assert.equal(only(a.diagnostics, 'duplicate-resource').length, 0);
  const dups = only(b.diagnostics, 'duplicate-resource');
  assert.equal(dups.length, 2);
  assert.match(dups[0].message, /Deployment "web" in namespace "shop" is also declared in a.yaml \(document 1\)/);
  assert.deepEqual(dups[0].range, rangeOf(good, 'web'));
});

test('the other file is named as the caller shows paths (the editor: workspace-relative, not a URI)', () => {
  const displayPath = (p: string) => p.replace(/^file:\/\/\/work\/repo\//, '');
  const [, b] = lintAll([{ path: 'file:///work/repo/k8s/a.yaml', text: good }, { path: 'file:///work/repo/k8s/b.yaml', text: good }], { displayPath });
  const [dup] = only(b.diagnostics, 'duplicate-resource');
  assert.match(dup.message, /is also declared in k8s\/a\.yaml \(document 1\)$/);
});

test('a Service whose selector matches no workload, and a named targetPort no container declares', () => {
  const svc = `apiVersion: v1
kind: Service
metadata:
  name: api
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: api
  ports:
    - port: 80
      targetPort: http
---
apiVersion: v1
kind: Service
metadata:
  name: web-admin
  namespace: shop
spec:
  selector:
    app.kubernetes.io/name: web
  ports:
    - port: 81
      targetPort: admin
`;
  const [, report] = lintAll([{ path: 'good.yaml', text: good }, { path: 'svc.yaml', text: svc }]);
  const none = only(report.diagnostics, 'service-selector-no-match');
  assert.equal(none.length, 1);
  assert.deepEqual(none[0].range, rangeOf(svc, 'selector'));
  const port = only(report.diagnostics, 'service-target-port-unknown');
  assert.equal(port.length, 1);
  assert.deepEqual(port[0].range, rangeOf(svc, 'admin', 1));
  assert.match(port[0].message, /they name "http"/);
});

test('with no workloads among the files, Service selectors are not judged', () => {
  const svc = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  selector: { app: elsewhere }\n  ports: [{ port: 80 }]\n';
  const [r] = lintAll([{ path: 's.yaml', text: svc }]);
  assert.equal(only(r.diagnostics, 'service-selector-no-match').length, 0);
});
