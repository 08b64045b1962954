import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ManifestLinter } from '../../../src/manifests/validate';
import { pathologicalInputs } from '../../fixtures/manifests/corpus';

test('pathological inputs end within budget with a "skipped: why" note and never throw', () => {
  const linter = new ManifestLinter();
  const expectations: Record<string, RegExp> = {
    'billion-laughs': /more than \d+ nodes after expanding aliases/,
    'deep-flow-nesting': /nesting deeper than 64 levels|nesting too deep/,
    'deep-block-nesting': /nesting deeper than 64 levels|nesting too deep/,
    'binary-junk': /looks binary/,
    'huge-file': /over the 4.0 MiB limit/,
    'long-line': /over the 1024 KiB limit/,
  };
  for (const p of pathologicalInputs()) {
    const t = performance.now();
    const [report] = linter.lint([{ path: p.name, text: p.text }]);
    const ms = performance.now() - t;
    assert.ok(ms < 5000, `${p.name} took ${ms.toFixed(0)} ms`);
    const expected = expectations[p.name];
    if (expected) {
      const skipped = report.diagnostics.filter((d) => d.ruleId === 'skipped');
      assert.ok(skipped.some((d) => expected.test(d.message)), `${p.name}: ${JSON.stringify(report.diagnostics.slice(0, 3).map((d) => d.message))}`);
    }
  }
});

test('the time budget stops validation of the remaining documents with a note', () => {
  const linter = new ManifestLinter({ budget: { maxMillis: 0 } });
  const text = Array.from({ length: 50 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\n`).join('---\n');
  const [r] = linter.lint([{ path: 'many.yaml', text }]);
  assert.ok(r.diagnostics.some((d) => d.ruleId === 'skipped' && /over the time budget of 0 ms/.test(d.message)));
});

test('documents that need the full parser are skipped past its size limit; block-style ones of that size are not', () => {
  const linter = new ManifestLinter({ budget: { maxFullParseBytes: 4096 } });
  const data = Array.from({ length: 300 }, (_, i) => `  key${i}: value-${i}`).join('\n');
  const plain = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${data}\n`;
  assert.deepEqual(linter.lint([{ path: 'plain.yaml', text: plain }])[0].diagnostics, []);
  const anchored = plain.replace('  name: big', '  name: &n big');
  const [d] = linter.lint([{ path: 'anchored.yaml', text: anchored }])[0].diagnostics;
  assert.equal(d.ruleId, 'skipped');
  assert.match(d.message, /need the full parser, and at \d+ KiB it is over the 4 KiB limit/);
});
