/** Test support: lint text and locate expected ranges by the text they cover. */
import assert from 'node:assert/strict';
import { ManifestLinter, type LintFile } from '../../../src/manifests/validate';
import type { Diagnostic, LintOptions, Range } from '../../../src/manifests/types';
import { LineIndex } from '../../../src/manifests/lines';

export function lint(text: string, options: LintOptions = {}, path = 'test.yaml'): Diagnostic[] {
  return new ManifestLinter(options).lint([{ path, text }])[0].diagnostics;
}

export function lintAll(files: LintFile[], options: LintOptions = {}) {
  return new ManifestLinter(options).lint(files);
}

/** The range of the n-th (0-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, occurrence = 0): Range {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) {
    at = text.indexOf(needle, at + 1);
    if (at === -1) throw new Error(`"${needle}" occurs fewer than ${occurrence + 1} times`);
  }
  return new LineIndex(text).range(at, at + needle.length);
}

export function only(diags: Diagnostic[], ruleId: string): Diagnostic[] {
  return diags.filter((d) => d.ruleId === ruleId);
}

/** Asserts exactly one diagnostic of the rule, covering exactly the given text, and returns it. */
export function expectOne(diags: Diagnostic[], ruleId: string, text: string, needle: string, occurrence = 0): Diagnostic {
  const found = only(diags, ruleId);
  assert.equal(found.length, 1, `expected one ${ruleId}, got ${JSON.stringify(found.map((d) => d.message))}`);
  assert.deepEqual(found[0].range, rangeOf(text, needle, occurrence), `${ruleId} range: ${found[0].message}`);
  return found[0];
}
