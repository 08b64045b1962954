import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isNamespaceName, namespaceChoices } from '../../../src/ui/tunnel/namespaceChoices';

test("the filtered namespaces come first, then the context's own, then those open in the view, then the rest", () => {
  const choices = namespaceChoices({ known: ['shop', 'default', 'ml', 'kube-system'], filter: ['ml'], contextNamespace: 'default', open: ['shop', 'ml'] });
  assert.deepEqual(choices, [
    { name: 'ml', description: 'filtered in the Cluster view' },
    { name: 'default', description: "the context's namespace" },
    { name: 'shop', description: 'open in the Cluster view' },
    { name: 'kube-system' },
  ]);
});

test('without the right to list namespaces, the ones the view knows are still offered', () => {
  assert.deepEqual(namespaceChoices({ known: undefined, contextNamespace: 'team' }).map((c) => c.name), ['team']);
});

test('typed names must be namespace names', () => {
  for (const ok of ['shop', 'a', 'team-1']) assert.ok(isNamespaceName(ok), ok);
  for (const bad of ['', 'Shop', '-x', 'x-', 'a_b', 'x'.repeat(64)]) assert.ok(!isNamespaceName(bad), bad);
});
