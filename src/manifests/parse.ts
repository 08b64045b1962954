import { parseAllDocuments, parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { Budget } from './types';
import { fastParse, TooDeep, Unsupported } from './fastParse';
import type { YMap, YNode, YPair, YScalar, YSeq } from './tree';

/** A finding made while parsing, before it is placed on lines (see validate.ts). */
export interface ParseFinding {
  ruleId: 'yaml-syntax' | 'yaml-duplicate-key' | 'skipped';
  severity: 'error' | 'warning' | 'info';
  message: string;
  start: number;
  end: number;
}

export interface ParsedDocument {
  /** 0-based position of the document in its file. */
  index: number;
  start: number;
  end: number;
  /** Null when the document is empty, broken or skipped. */
  root: YNode | null;
}

export interface ParsedFile {
  documents: ParsedDocument[];
  findings: ParseFinding[];
}

class BudgetExceeded extends Error {}

/** Text that is not YAML at all: NUL bytes or mostly control characters in the first 8 KiB. */
export function looksBinary(text: string): boolean {
  const sample = text.slice(0, 8192);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) return true;
    if ((c < 9 || (c > 13 && c < 32) || c === 0xfffd) && c !== 27) control++;
  }
  return sample.length > 0 && control / sample.length > 0.1;
}

/**
 * Parses multi-document YAML (YAML 1.1 scalars and merge keys, as kubectl reads them) into the
 * engine's tree. Never throws: input over budget or malformed becomes a finding.
 */
export function parseManifests(text: string, budget: Budget, deadline: number, fastPath = true): ParsedFile {
  const findings: ParseFinding[] = [];
  const documents: ParsedDocument[] = [];
  const mode = preflight(text, budget, findings);
  if (mode === 'whole') wholeFile(text, budget, deadline, documents, findings);
  else if (mode === 'regions') {
    splitDocuments(text).forEach((region, index) => {
      documents.push(parseRegion(text, region, index, budget, deadline, findings, fastPath));
    });
  }
  return { documents, findings };
}

/**
 * File-level checks before parsing: size and binary content end it with a finding ('skip'); YAML
 * directives need the whole-stream parser ('whole'); everything else is parsed document by
 * document ('regions').
 */
export function preflight(text: string, budget: Budget, findings: ParseFinding[]): 'skip' | 'whole' | 'regions' {
  if (text.length > budget.maxFileBytes) {
    findings.push(skipped(0, 0, `file is ${(text.length / 1048576).toFixed(1)} MiB, over the ${(budget.maxFileBytes / 1048576).toFixed(1)} MiB limit for validation`));
    return 'skip';
  }
  if (looksBinary(text)) {
    findings.push(skipped(0, 0, 'file looks binary (NUL or control characters), not YAML'));
    return 'skip';
  }
  return /^%/m.test(text) ? 'whole' : 'regions';
}

/** Parses a whole stream with the full parser (used when the text has YAML directives). */
export function parseWholeFile(text: string, budget: Budget, deadline: number, findings: ParseFinding[]): ParsedDocument[] {
  const documents: ParsedDocument[] = [];
  wholeFile(text, budget, deadline, documents, findings);
  return documents;
}

export interface Region {
  /** Start of the document's marker line, or of the text. */
  start: number;
  /** Start of the content after the marker line. */
  contentStart: number;
  end: number;
  /** The marker line carries content ("--- |", "--- !tag"): only the full parser reads it. */
  markerContent: boolean;
}

/** Splits a stream at "---" and "..." lines, counting documents the way the YAML parser does. */
export function splitDocuments(text: string): Region[] {
  const regions: Region[] = [];
  let current: Region | undefined;
  let boundary = 0;
  let pos = 0;
  while (pos < text.length) {
    let e = text.indexOf('\n', pos);
    if (e === -1) e = text.length;
    const c0 = text.charCodeAt(pos);
    const marker = (c0 === 45 || c0 === 46) && (text.startsWith('---', pos) || text.startsWith('...', pos)) && (e - pos === 3 || /[ \t\r]/.test(text[pos + 3]));
    if (marker) {
      if (current) {
        current.end = c0 === 45 ? pos : Math.min(e + 1, text.length);
        regions.push(current);
        current = undefined;
      }
      boundary = Math.min(e + 1, text.length);
      if (c0 === 45) {
        const rest = text.slice(pos + 3, e).trim();
        current = { start: pos, contentStart: boundary, end: text.length, markerContent: rest !== '' && !rest.startsWith('#') };
      }
    } else if (!current) {
      const line = text.slice(pos, e).trim();
      if (line !== '' && !line.startsWith('#')) current = { start: boundary, contentStart: boundary, end: text.length, markerContent: false };
    }
    pos = e + 1;
  }
  if (current) {
    current.end = text.length;
    regions.push(current);
  }
  return regions;
}

export function parseRegion(text: string, region: Region, index: number, budget: Budget, deadline: number, findings: ParseFinding[], fastPath = true): ParsedDocument {
  const { contentStart, end } = region;
  const doc: ParsedDocument = { index, start: region.start, end, root: null };
  if (end - contentStart > budget.maxDocumentBytes) {
    findings.push(skipped(region.start, region.start, `document ${index + 1} is ${Math.round((end - contentStart) / 1024)} KiB, over the ${Math.round(budget.maxDocumentBytes / 1024)} KiB limit for validation`));
    return doc;
  }
  if (fastPath && !region.markerContent) {
    try {
      const fast = fastParse(text, contentStart, end, budget.maxDepth);
      doc.root = fast.root;
      for (const key of fast.duplicates) findings.push(duplicateFinding(key.start, key.end, String(key.value)));
      return doc;
    } catch (err) {
      if (err instanceof TooDeep) {
        findings.push(skipped(region.start, region.start, `document ${index + 1} not validated: nesting deeper than ${budget.maxDepth} levels`));
        return doc;
      }
      if (!(err instanceof Unsupported)) {
        findings.push(skipped(region.start, region.start, `document ${index + 1} not validated: ${err instanceof RangeError ? 'nesting too deep' : String(err)}`));
        return doc;
      }
    }
  }
  if (end - contentStart > budget.maxFullParseBytes) {
    findings.push(skipped(region.start, region.start, `document ${index + 1} uses YAML features (anchors, tags, multi-line scalars) or has errors that need the full parser, and at ${Math.round((end - contentStart) / 1024)} KiB it is over the ${Math.round(budget.maxFullParseBytes / 1024)} KiB limit for it`));
    return doc;
  }
  const from = region.markerContent ? region.start : contentStart;
  let parsed: Document.Parsed;
  // The parser builds an Error per problem; their stack traces are never read and cost more than the parse.
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    parsed = parseDocument(text.slice(from, end), YAML_OPTIONS);
  } catch (err) {
    findings.push(skipped(region.start, region.start, `YAML parser gave up on document ${index + 1}: ${err instanceof Error ? err.message : String(err)}`));
    return doc;
  } finally {
    Error.stackTraceLimit = traceLimit;
  }
  doc.root = fromYaml(parsed, from, index, budget, deadline, findings);
  return doc;
}

const YAML_OPTIONS = { version: '1.1', merge: true, uniqueKeys: false, prettyErrors: false, strict: false } as const;

function wholeFile(text: string, budget: Budget, deadline: number, documents: ParsedDocument[], findings: ParseFinding[]): void {
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, YAML_OPTIONS);
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    findings.push(skipped(0, 0, `YAML parser gave up: ${err instanceof Error ? err.message : String(err)}`));
    return;
  }
  docs.forEach((d, index) => {
    const [start, , end] = d.range;
    documents.push({ index, start, end, root: fromYaml(d, 0, index, budget, deadline, findings) });
  });
}

/** Converts a document from the full parser, shifting its offsets by `offset`. */
function fromYaml(doc: Document.Parsed, offset: number, index: number, budget: Budget, deadline: number, findings: ParseFinding[]): YNode | null {
  let fatal = false;
  for (const e of doc.errors) {
    const [s, en] = e.pos;
    fatal = true;
    findings.push({ ruleId: 'yaml-syntax', severity: 'error', message: firstLine(e.message), start: s + offset, end: Math.max(en, s + 1) + offset });
  }
  if (fatal || !doc.contents) return null;
  try {
    const builder = new TreeBuilder(doc, budget, deadline, offset);
    const root = builder.build(doc.contents as YamlNode);
    for (const key of builder.duplicates) findings.push(duplicateFinding(key.start, key.end, String(key.value)));
    return root;
  } catch (err) {
    const why = err instanceof BudgetExceeded ? err.message : err instanceof RangeError ? 'nesting too deep' : String(err);
    const at = (doc.range?.[0] ?? 0) + offset;
    findings.push(skipped(at, at, `document ${index + 1} not validated: ${why}`));
    return null;
  }
}

function duplicateFinding(start: number, end: number, key: string): ParseFinding {
  return {
    ruleId: 'yaml-duplicate-key',
    severity: 'error',
    message: `duplicate key "${key}": the API server keeps only one of them (strict field validation rejects it)`,
    start,
    end,
  };
}

function skipped(start: number, end: number, why: string): ParseFinding {
  return { ruleId: 'skipped', severity: 'info', message: `skipped: ${why}`, start, end };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

/** Converts yaml's nodes, resolving aliases and merge keys under a node, depth and time budget. */
class TreeBuilder {
  private nodes = 0;
  readonly duplicates: YScalar[] = [];
  private readonly aliasTargets = new Map<YamlNode, YamlNode | null>();

  constructor(
    private readonly doc: Document.Parsed,
    private readonly budget: Budget,
    private readonly deadline: number,
    private readonly offset: number,
  ) {}

  build(node: YamlNode): YNode {
    return this.convert(node, 0, 0, undefined);
  }

  private tick(depth: number): void {
    if (++this.nodes > this.budget.maxNodes) throw new BudgetExceeded(`more than ${this.budget.maxNodes} nodes after expanding aliases and merge keys`);
    if (depth > this.budget.maxDepth) throw new BudgetExceeded(`nesting deeper than ${this.budget.maxDepth} levels`);
    if ((this.nodes & 1023) === 0 && Date.now() > this.deadline) throw new BudgetExceeded(`over the time budget of ${this.budget.maxMillis} ms`);
  }

  /**
   * `at` is set inside an alias: everything copied through it takes the alias's range, so
   * findings on an aliased value point where the user wrote the alias.
   */
  private convert(node: YamlNode | null | undefined, depth: number, fallbackAt: number, at: [number, number] | undefined): YNode {
    this.tick(depth);
    if (!node) return { kind: 'scalar', start: fallbackAt, end: fallbackAt, value: null, quoted: false };
    if (isAlias(node)) {
      // yaml's resolve() walks the whole document each time; an alias reached again is looked up.
      let target = this.aliasTargets.get(node);
      if (target === undefined) {
        target = (node.resolve(this.doc) as YamlNode | undefined) ?? null;
        this.aliasTargets.set(node, target);
      }
      const here: [number, number] = at ?? (node.range ? [node.range[0] + this.offset, node.range[1] + this.offset] : [fallbackAt, fallbackAt]);
      return this.convert(target, depth + 1, fallbackAt, here);
    }
    const o = this.offset;
    const [start, , end] = at ? [at[0], at[1], at[1]] : node.range ? [node.range[0] + o, node.range[1] + o, node.range[2] + o] : [fallbackAt, fallbackAt, fallbackAt];
    if (isScalar(node)) {
      const v = node.value;
      const value = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : (node.source ?? String(v));
      const quoted = node.type !== undefined && node.type !== 'PLAIN';
      const valueEnd = at ? at[1] : node.range ? node.range[1] + o : end;
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      return block ? { kind: 'scalar', start, end: valueEnd, value, quoted, blockScalar: true } : { kind: 'scalar', start, end: valueEnd, value, quoted };
    }
    if (isSeq(node)) {
      const seq: YSeq = { kind: 'seq', start, end, items: [] };
      for (const item of node.items) seq.items.push(this.convert(item as YamlNode, depth + 1, start, at));
      return seq;
    }
    if (isMap(node)) {
      const map: YMap = { kind: 'map', start, end, pairs: [] };
      const merged: YPair[] = [];
      const seen = new Set<unknown>();
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && keyNode.source === '<<' && typeof keyNode.value === 'symbol') {
          this.mergeInto(merged, pair.value as YamlNode, depth + 1, start, at);
          continue;
        }
        const key = this.keyOf(keyNode, depth + 1, start, at);
        if (seen.has(key.value)) this.duplicates.push(key);
        seen.add(key.value);
        const value = this.convert(pair.value as YamlNode, depth + 1, key.end, at);
        map.pairs.push({ key, value, start: key.start, end: Math.max(value.end, key.end) });
      }
      for (const m of merged) if (!seen.has(m.key.value)) map.pairs.push(m);
      return map;
    }
    return { kind: 'scalar', start, end, value: null, quoted: false };
  }

  private keyOf(node: YamlNode | null, depth: number, fallbackAt: number, at: [number, number] | undefined): YScalar {
    const k = this.convert(node, depth, fallbackAt, at);
    if (k.kind === 'scalar') return k;
    return { kind: 'scalar', start: k.start, end: k.end, value: `<${k.kind}>`, quoted: true };
  }

  private mergeInto(out: YPair[], source: YamlNode, depth: number, fallbackAt: number, at: [number, number] | undefined): void {
    const converted = this.convert(source, depth, fallbackAt, at);
    const maps = converted.kind === 'seq' ? converted.items : [converted];
    for (const m of maps) {
      if (m.kind !== 'map') continue;
      for (const p of m.pairs) if (!out.some((o) => o.key.value === p.key.value)) out.push(p);
    }
  }
}
