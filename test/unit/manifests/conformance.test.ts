/**
 * The conformance corpus (test/fixtures/conformance, see its README): manifests the API server
 * accepts or rejects, each stating its verdict in a header and, for rejections, the field and the
 * server's own message. The tether-lint engine must report an error at that field, in those
 * words, for every rejected case, and no error at all for an accepted one.
 *
 * Where the error is located is checked independently of the engine: the field path is walked
 * with the yaml library (aliases and merge keys resolved), and the diagnostic must start inside
 * the deepest node the manifest has on that path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, type Document } from 'yaml';
import { ManifestLinter } from '../../../src/manifests/validate';
import { LineIndex } from '../../../src/manifests/lines';
import type { Diagnostic } from '../../../src/manifests/types';

const ROOT = path.join(import.meta.dirname, '../../fixtures/conformance');

interface Case {
  file: string;
  text: string;
  verdict: 'accepted' | 'rejected';
  /** The server's field path ("spec.containers[0].ports[0].containerPort"). */
  field?: string;
  /** The message after the field, as the server words it; "…" stands for text that differs per request. */
  server?: string;
  /** The rule that must report it, for refusals before validation (decoding, kubectl). */
  rule?: string;
  /** Text the diagnostic must start at, when the field path cannot say. */
  at?: string;
  version?: string;
  expectWarning?: string;
  /** Where the manifest starts, after the header. */
  body: number;
}

function load(): Case[] {
  const cases: Case[] = [];
  for (const dir of readdirSync(ROOT, { withFileTypes: true })) {
    if (!dir.isDirectory()) continue;
    for (const name of readdirSync(path.join(ROOT, dir.name)).sort()) {
      if (!name.endsWith('.yaml')) continue;
      const file = `${dir.name}/${name}`;
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      const header: Record<string, string> = {};
      let body = 0;
      for (const line of text.split('\n')) {
        const m = /^# ([a-z-]+): (.*)$/.exec(line.replace(/\r$/, ''));
        if (!m) break;
        header[m[1]] = m[2];
        body += line.length + 1;
      }
      const verdict = header.verdict;
      assert.ok(verdict === 'accepted' || verdict === 'rejected', `${file}: "# verdict: accepted|rejected" first`);
      if (verdict === 'rejected') assert.ok(header.rule || (header.field !== undefined && header.server && header.source), `${file}: a rejected case names its field, the server's message and its source, or a rule`);
      else assert.ok(header.why, `${file}: an accepted case says why it is tricky`);
      cases.push({ file, text, verdict, field: header.field, server: header.server, rule: header.rule, at: header.at, version: header.version, expectWarning: header['expect-warning'], body });
    }
  }
  return cases;
}

/** "spec.containers[0].env[1].name" -> ["spec", "containers", 0, "env", 1, "name"]; "data[a.b]" keeps "a.b" whole. */
function segments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /([^.[\]]+)|\[([^\]]*)\]/g;
  for (let m = re.exec(field); m; m = re.exec(field)) {
    if (m[1] !== undefined) out.push(m[1]);
    else out.push(/^\d+$/.test(m[2]) ? Number(m[2]) : m[2]);
  }
  return out;
}

type Span = [number, number];

/** The span of the deepest node on the path (with the key that introduced it), per document. */
function pathSpans(docs: Document.Parsed[], field: string): Span[] {
  const segs = segments(field);
  const spans: Span[] = [];
  for (const doc of docs) {
    let node: unknown = doc.contents;
    let span: Span | undefined = node && (node as { range?: number[] }).range ? [(node as { range: number[] }).range[0], (node as { range: number[] }).range[1]] : undefined;
    for (const seg of segs) {
      while (isAlias(node)) node = node.resolve(doc);
      let next: { key?: unknown; value: unknown } | undefined;
      if (isSeq(node) && typeof seg === 'number') next = { value: node.items[seg] };
      else if (isMap(node)) next = findPair(doc, node, String(seg));
      if (!next || next.value === undefined) break;
      const value = next.value as { range?: number[] } | null;
      const key = next.key as { range?: number[] } | undefined;
      const start = key?.range?.[0] ?? value?.range?.[0];
      const end = value?.range?.[1] ?? key?.range?.[1];
      if (start === undefined || end === undefined) break;
      span = [start, end];
      node = value;
    }
    if (span) spans.push(span);
  }
  return spans;
}

function findPair(doc: Document.Parsed, map: unknown, key: string): { key?: unknown; value: unknown } | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isScalar(item.key) && String(item.key.value) === key) return { key: item.key, value: item.value };
  }
  for (const item of map.items) {
    if (!isScalar(item.key) || item.key.value !== '<<') continue;
    const sources = isSeq(item.value) ? item.value.items : [item.value];
    for (let source of sources) {
      while (isAlias(source)) source = source.resolve(doc);
      const found = findPair(doc, source, key);
      if (found) return found;
    }
  }
  return undefined;
}

function messagePattern(c: Case): RegExp {
  const expected = `${c.field}: ${c.server}`;
  return new RegExp(expected.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?'));
}

function check(c: Case): string | undefined {
  const linter = new ManifestLinter(c.version ? { kubernetesVersion: c.version } : {});
  const diags = linter.lint([{ path: c.file, text: c.text }])[0].diagnostics;
  const errors = diags.filter((d) => d.severity === 'error');
  const show = (list: Diagnostic[]) => list.map((d) => `  ${d.ruleId} ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join('\n') || '  (none)';
  if (c.verdict === 'accepted') {
    if (errors.length) return `${c.file}: accepted by the server, but the engine reports errors:\n${show(errors)}`;
    if (c.expectWarning && !diags.some((d) => d.ruleId === c.expectWarning && d.severity === 'warning')) return `${c.file}: expected a ${c.expectWarning} warning, got:\n${show(diags)}`;
    return undefined;
  }
  let candidates = errors.filter((d) => (c.rule ? d.ruleId === c.rule : d.ruleId.startsWith('server-')));
  if (!c.rule) {
    const pattern = messagePattern(c);
    candidates = candidates.filter((d) => pattern.test(d.message));
    if (!candidates.length) return `${c.file}: expected an error "${c.field}: ${c.server}", got:\n${show(diags)}`;
    if (candidates.some((d) => !d.message.startsWith('the API server rejects this: '))) return `${c.file}: a server error must say "the API server rejects this: …"`;
  } else if (!candidates.length) return `${c.file}: expected a ${c.rule} error, got:\n${show(diags)}`;
  const index = new LineIndex(c.text);
  const starts = candidates.map((d) => index.offset(d.range.start));
  if (c.at) {
    const want = c.text.indexOf(c.at, c.body);
    if (want < 0) return `${c.file}: "# at:" text not found`;
    if (!starts.includes(want)) return `${c.file}: expected the error at "${c.at}" (line ${index.position(want).line + 1}), got:\n${show(candidates)}`;
    return undefined;
  }
  if (c.field) {
    const spans = pathSpans(parseAllDocuments(c.text, { merge: true }) as Document.Parsed[], c.field);
    if (!starts.some((o) => spans.some(([s, e]) => o >= s && o <= e))) return `${c.file}: the error is not inside ${c.field} (${spans.map(([s, e]) => `${index.position(s).line + 1}-${index.position(e).line + 1}`).join(', ')}):\n${show(candidates)}`;
  }
  return undefined;
}

const cases = load();

test('the corpus has at least 300 cases, about half of them accepted', () => {
  const accepted = cases.filter((c) => c.verdict === 'accepted').length;
  assert.ok(cases.length >= 300, `${cases.length} cases`);
  assert.ok(accepted >= cases.length * 0.4 && accepted <= cases.length * 0.6, `${accepted} of ${cases.length} accepted`);
});

test('every rejected case has an error at its field in the server\'s words; every accepted case has none', () => {
  const failures = cases.map(check).filter((f): f is string => f !== undefined);
  assert.equal(failures.length, 0, `${failures.length} of ${cases.length} cases disagree with the server:\n${failures.join('\n')}`);
});
