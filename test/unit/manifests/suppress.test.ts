import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lint, only } from './diagnose';

const base = `apiVersion: v1
kind: Pod
metadata:
  name: p
spec:
  containers:
    - name: app
      image: nginx
`;

test('tether-lint disable comments: next line, same line, document; settings turn rules off or change severity', () => {
  assert.equal(only(lint(base), 'image-tag-missing').length, 1);
  const nextLine = base.replace('      image: nginx', '      # tether-lint disable=image-tag-missing\n      image: nginx');
  assert.equal(only(lint(nextLine), 'image-tag-missing').length, 0);
  const sameLine = base.replace('image: nginx', 'image: nginx # tether-lint disable=image-tag-missing,probes-missing');
  assert.equal(only(lint(sameLine), 'image-tag-missing').length, 0);
  const doc = `# tether-lint disable-document=all\n${base}---\n${base}`;
  const diags = lint(doc);
  assert.ok(diags.length > 0);
  assert.ok(diags.every((d) => d.range.start.line > 9), 'only the second document reports');
  assert.equal(only(lint(base, { rules: { 'image-tag-missing': 'off' } }), 'image-tag-missing').length, 0);
  assert.equal(only(lint(base, { rules: { 'image-tag-missing': 'error' } }), 'image-tag-missing')[0].severity, 'error');
  const other = base.replace('image: nginx', 'image: nginx # tether-lint disable=probes-missing');
  assert.equal(only(lint(other), 'image-tag-missing').length, 1, 'other rules still report');
});
