import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_RULES } from '../../../src/manifests/rules/index';

test('every rule has a unique id, a doc, and a row in docs/lint-rules.md', () => {
  const doc = readFileSync(path.resolve(import.meta.dirname, '../../../docs/lint-rules.md'), 'utf8');
  const ids = ALL_RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const r of ALL_RULES) {
    assert.ok(r.doc.length > 10, r.id);
    assert.match(doc, new RegExp(`\\| \`${r.id}\` \\| ${r.severity} \\|`), `docs/lint-rules.md lacks ${r.id}`);
  }
});
