import { parseAllDocuments, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import type { Budget } from './types';
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
export function parseManifests(text: string, budget: Budget, deadline: number): ParsedFile {
  const findings: ParseFinding[] = [];
  const documents: ParsedDocument[] = [];
  if (text.length > budget.maxFileBytes) {
    findings.push(skipped(0, 0, `file is ${(text.length / 1048576).toFixed(1)} MiB, over the ${(budget.maxFileBytes / 1048576).toFixed(1)} MiB limit for validation`));
    return { documents, findings };
  }
  if (looksBinary(text)) {
    findings.push(skipped(0, 0, 'file looks binary (NUL or control characters), not YAML'));
    return { documents, findings };
  }
  let docs: Document.Parsed[];
  try {
    const parsed = parseAllDocuments(text, { version: '1.1', merge: true, uniqueKeys: true, prettyErrors: false, strict: false });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (err) {
    findings.push(skipped(0, 0, `YAML parser gave up: ${err instanceof Error ? err.message : String(err)}`));
    return { documents, findings };
  }
  docs.forEach((doc, index) => {
    const [start, , end] = doc.range;
    const documentFindings: ParseFinding[] = [];
    for (const e of doc.errors) {
      const [s, en] = e.pos;
      const dup = e.code === 'DUPLICATE_KEY';
      documentFindings.push({
        ruleId: dup ? 'yaml-duplicate-key' : 'yaml-syntax',
        severity: 'error',
        message: dup ? duplicateMessage(text, s, en) : firstLine(e.message),
        start: s,
        end: Math.max(en, s + 1),
      });
    }
    findings.push(...documentFindings);
    let root: YNode | null = null;
    const fatal = documentFindings.some((f) => f.ruleId === 'yaml-syntax');
    if (!fatal && doc.contents) {
      if (end - start > budget.maxDocumentBytes) {
        findings.push(skipped(start, start, `document ${index + 1} is ${Math.round((end - start) / 1024)} KiB, over the ${Math.round(budget.maxDocumentBytes / 1024)} KiB limit for validation`));
      } else {
        try {
          root = new TreeBuilder(doc, budget, deadline).build(doc.contents as YamlNode);
        } catch (err) {
          const why = err instanceof BudgetExceeded || err instanceof RangeError ? (err.message || 'nesting too deep') : String(err);
          findings.push(skipped(start, start, `document ${index + 1} not validated: ${why}`));
        }
      }
    }
    documents.push({ index, start, end, root });
  });
  return { documents, findings };
}

function skipped(start: number, end: number, why: string): ParseFinding {
  return { ruleId: 'skipped', severity: 'info', message: `skipped: ${why}`, start, end };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function duplicateMessage(text: string, s: number, e: number): string {
  const key = text.slice(s, Math.max(e, s + 1)).trim();
  return `duplicate key "${key}": the API server keeps only one of them (strict field validation rejects it)`;
}

/** Converts yaml's nodes, resolving aliases and merge keys under a node, depth and time budget. */
class TreeBuilder {
  private nodes = 0;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly budget: Budget,
    private readonly deadline: number,
  ) {}

  build(node: YamlNode): YNode {
    return this.convert(node, 0, 0);
  }

  private tick(depth: number): void {
    if (++this.nodes > this.budget.maxNodes) throw new BudgetExceeded(`more than ${this.budget.maxNodes} nodes after expanding aliases and merge keys`);
    if (depth > this.budget.maxDepth) throw new BudgetExceeded(`nesting deeper than ${this.budget.maxDepth} levels`);
    if ((this.nodes & 1023) === 0 && Date.now() > this.deadline) throw new BudgetExceeded(`over the time budget of ${this.budget.maxMillis} ms`);
  }

  private convert(node: YamlNode | null | undefined, depth: number, fallbackAt: number): YNode {
    this.tick(depth);
    if (!node) return { kind: 'scalar', start: fallbackAt, end: fallbackAt, value: null, quoted: false };
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      const converted = this.convert(target as YamlNode | undefined, depth + 1, fallbackAt);
      const [s, e] = node.range ?? [fallbackAt, fallbackAt];
      // Findings on an aliased value point at the alias, where the user wrote it.
      return relocate(converted, s, e);
    }
    const [start, , end] = node.range ?? [fallbackAt, fallbackAt, fallbackAt];
    if (isScalar(node)) {
      const v = node.value;
      const value = v === null || v === undefined ? null : typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : String(v);
      const quoted = node.type !== undefined && node.type !== 'PLAIN';
      const valueEnd = node.range ? node.range[1] : end;
      return { kind: 'scalar', start, end: valueEnd, value, quoted };
    }
    if (isSeq(node)) {
      const seq: YSeq = { kind: 'seq', start, end, items: [] };
      for (const item of node.items) seq.items.push(this.convert(item as YamlNode, depth + 1, start));
      return seq;
    }
    if (isMap(node)) {
      const map: YMap = { kind: 'map', start, end, pairs: [] };
      const merged: YPair[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as YamlNode | null;
        if (isScalar(keyNode) && keyNode.source === '<<' && typeof keyNode.value === 'symbol') {
          this.mergeInto(merged, pair.value as YamlNode, depth + 1, start);
          continue;
        }
        const key = this.keyOf(keyNode, depth + 1, start);
        const value = this.convert(pair.value as YamlNode, depth + 1, key.end);
        map.pairs.push({ key, value, start: key.start, end: Math.max(value.end, key.end) });
      }
      for (const m of merged) if (!map.pairs.some((p) => p.key.value === m.key.value)) map.pairs.push(m);
      return map;
    }
    return { kind: 'scalar', start, end, value: null, quoted: false };
  }

  private keyOf(node: YamlNode | null, depth: number, at: number): YScalar {
    const k = this.convert(node, depth, at);
    if (k.kind === 'scalar') return k;
    return { kind: 'scalar', start: k.start, end: k.end, value: `<${k.kind}>`, quoted: true };
  }

  private mergeInto(out: YPair[], source: YamlNode, depth: number, at: number): void {
    const converted = this.convert(source, depth, at);
    const maps = converted.kind === 'seq' ? converted.items : [converted];
    for (const m of maps) {
      if (m.kind !== 'map') continue;
      for (const p of m.pairs) if (!out.some((o) => o.key.value === p.key.value)) out.push(p);
    }
  }
}

/** Gives a subtree copied through an alias the alias's range, so findings land where it was used. */
function relocate(node: YNode, start: number, end: number): YNode {
  switch (node.kind) {
    case 'scalar':
      return { ...node, start, end };
    case 'seq':
      return { kind: 'seq', start, end, items: node.items.map((i) => relocate(i, start, end)) };
    case 'map':
      return {
        kind: 'map',
        start,
        end,
        pairs: node.pairs.map((p) => ({ key: { ...p.key, start, end }, value: relocate(p.value, start, end), start, end })),
      };
  }
}
