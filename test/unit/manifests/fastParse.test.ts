import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseManifests, splitDocuments } from '../../../src/manifests/parse';
import { fastParse, resolvePlain, Unsupported } from '../../../src/manifests/fastParse';
import { DEFAULT_BUDGET } from '../../../src/manifests/types';
import type { YNode } from '../../../src/manifests/tree';
import { generateFile, prng } from '../../fixtures/manifests/corpus';

/** A comparable projection: values, quoting and exact scalar ranges (block scalar ends excepted). */
function shape(n: YNode | null): unknown {
  if (!n) return null;
  if (n.kind === 'scalar') return n.value === null ? ['null'] : [n.value, n.quoted, n.start, n.blockScalar ? 'block' : n.end];
  if (n.kind === 'seq') return n.items.map(shape);
  return n.pairs.map((p) => [shape(p.key), shape(p.value)]);
}

function both(text: string) {
  const far = Date.now() + 60_000;
  const fast = parseManifests(text, DEFAULT_BUDGET, far, true);
  const full = parseManifests(text, DEFAULT_BUDGET, far, false);
  return { fast, full };
}

const fixtureDir = path.join(import.meta.dirname, '../../fixtures/manifests');
const SAMPLES: string[] = [
  ...readdirSync(fixtureDir).filter((f) => f.endsWith('.yaml')).map((f) => readFileSync(path.join(fixtureDir, f), 'utf8')),
  generateFile(prng(1), 0, 200, 0.3),
  'a: 1\n---\n',
  '---\n---\n',
  '# c\n---\na: 1\n',
  'a: 1\n...\nb: 2\n',
  'k: "quoted \\" \\n \\u00e9" # c\nl: \'it\'\'s\'\nm: [1, "two", {x: y}, []]\nn: {}\n',
  'script: |\n  line one\n\n  line three\nfolded: >-\n  a\n  b\n\n  c\nafter: x\n',
  'list:\n- a\n- b: 1\n  c: 2\n-\n  - nested\n- - inline\n',
  'v: [yes, No, on, 0755, 0x1F, 1.5, .5, -3, 1e3, ~, null, 1.2.3, 10.0.0.1]\n',
  'crlf: 1\r\nnext:\r\n  - x\r\n',
  'dup: 1\ndup: 2\nm:\n  k: a\n  k: b\n',
];

test('the fast parser builds the same tree and findings as the full YAML parser', () => {
  for (const text of SAMPLES) {
    const { fast, full } = both(text);
    assert.equal(fast.documents.length, full.documents.length, text);
    fast.documents.forEach((d, i) => assert.deepEqual(shape(d.root), shape(full.documents[i].root), `document ${i} of:\n${text}`));
    assert.deepEqual(fast.findings.map((f) => [f.ruleId, f.start, f.end]), full.findings.map((f) => [f.ruleId, f.start, f.end]), text);
  }
});

test('document splitting counts documents like the YAML parser', () => {
  assert.deepEqual(splitDocuments('a: 1\n---\n').map((r) => [r.start, r.end]), [[0, 5], [5, 9]]);
  assert.equal(splitDocuments('# only\n').length, 0);
  assert.equal(splitDocuments('').length, 0);
  assert.equal(splitDocuments('a: 1\n...\nb: 2\n').length, 2);
  assert.equal(splitDocuments('--- |\n  text\n')[0].markerContent, true);
});

test('the fast parser hands anchors, tags, multi-line scalars and odd indentation to the full parser', () => {
  for (const text of ['a: &x 1\nb: *x\n', 'a: !!str 1\n', 'a: plain\n  continued\n', 'a: "open\n  close"\n', '? complex\n: v\n', 'a:\n  b: 1\n   c: 2\n', 'a: 1:30\n', 'd: 2001-12-14\n', 'm:\n  <<: {a: 1}\n']) {
    assert.throws(() => fastParse(text, 0, text.length), Unsupported, text);
    const { fast, full } = both(text);
    assert.deepEqual(shape(fast.documents[0]?.root ?? null), shape(full.documents[0]?.root ?? null), text);
  }
});

test('plain scalars resolve like YAML 1.1 (what kubectl reads)', () => {
  assert.equal(resolvePlain('yes'), true);
  assert.equal(resolvePlain('Off'), false);
  assert.equal(resolvePlain('~'), null);
  assert.equal(resolvePlain('8080'), 8080);
  assert.equal(resolvePlain('0.5'), 0.5);
  assert.equal(resolvePlain('500mi'), '500mi');
  assert.equal(resolvePlain('nginx'), 'nginx');
  assert.throws(() => resolvePlain('0755'), Unsupported);
});

test('the generated corpus and the block-style samples take the fast path (no silent fallback)', () => {
  const texts = [generateFile(prng(5), 0, 300, 0.3), SAMPLES[SAMPLES.length - 6], SAMPLES[SAMPLES.length - 5], SAMPLES[SAMPLES.length - 4]];
  for (const text of texts) for (const r of splitDocuments(text)) assert.doesNotThrow(() => fastParse(text, r.contentStart, r.end), text.slice(r.contentStart, r.contentStart + 200));
});
