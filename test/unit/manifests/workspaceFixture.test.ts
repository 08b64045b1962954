/**
 * test/fixtures/manifests/workspace is the fixture workspace for the extension-host test of the
 * Problems panel; expected.json lists what the engine reports for it. This keeps the two in step.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { ManifestLinter } from '../../../src/manifests/validate';

const dir = path.join(import.meta.dirname, '../../fixtures/manifests/workspace');

test('the fixture workspace reports exactly what expected.json lists', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((f) => ({ path: f, text: readFileSync(path.join(dir, f), 'utf8') }));
  const actual = new ManifestLinter().lint(files).flatMap((r) => r.diagnostics.map((d) => ({ file: r.path, line: d.range.start.line, character: d.range.start.character, ruleId: d.ruleId, severity: d.severity })));
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));
  assert.deepEqual(actual, expected);
});
