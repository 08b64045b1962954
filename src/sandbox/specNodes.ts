/**
 * Reading a parsed YAML tree into typed values while collecting diagnostics with exact ranges.
 * Every reader returns `undefined` when the value is missing or wrong and says why in `issues`.
 */
import { isMap, isScalar, isSeq, type LineCounter, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Range } from '../manifests/types';

export interface SpecDiagnostic {
  severity: 'error' | 'warning';
  /** Stable id the editor and tests switch on, e.g. "spec-required", "spec-type". */
  code: string;
  message: string;
  /** JSON-pointer-like path of the offending value, e.g. "forks[0].mode". */
  path: string;
  range: Range;
  /** UTF-16 offsets into the text, [start, end). */
  start: number;
  end: number;
}

export class SpecReader {
  readonly diagnostics: SpecDiagnostic[] = [];

  constructor(
    private readonly lines: LineCounter,
    private readonly textLength: number,
  ) {}

  rangeOf(node: Node | null | undefined): { start: number; end: number } {
    const r = node?.range;
    if (!r) return { start: 0, end: Math.min(this.textLength, 1) };
    return { start: r[0], end: Math.max(r[1], r[0]) };
  }

  report(node: Node | null | undefined, path: string, code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    const { start, end } = this.rangeOf(node);
    this.reportAt(start, end, path, code, message, severity);
  }

  /** A diagnostic over [start, end) of the text. */
  reportAt(start: number, end: number, path: string, code: string, message: string, severity: 'error' | 'warning' = 'error'): void {
    const a = this.lines.linePos(start);
    const b = this.lines.linePos(end);
    this.diagnostics.push({
      severity,
      code,
      message,
      path,
      start,
      end,
      range: { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } },
    });
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  /** A mapping's entries by key; reports unknown keys against `known`. */
  map(node: Node | null | undefined, path: string, known: readonly string[], what: string): Map<string, Pair<Node, Node | null>> | undefined {
    if (!isMap(node)) {
      this.report(node, path, 'spec-type', `${what} must be a mapping`);
      return undefined;
    }
    const entries = new Map<string, Pair<Node, Node | null>>();
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) {
        this.report(pair.key, path, 'spec-type', `keys of ${what} must be plain names`);
        continue;
      }
      if (!known.includes(key)) {
        this.report(pair.key, join(path, key), 'spec-unknown-field', `"${key}" is not a field of ${what}; expected one of: ${known.join(', ')}`);
        continue;
      }
      entries.set(key, pair);
    }
    return entries;
  }

  /** Reports a missing required field at the mapping itself. */
  required(entries: Map<string, Pair<Node, Node | null>>, owner: Node | null | undefined, path: string, key: string, what: string): Node | null | undefined {
    const pair = entries.get(key);
    if (!pair) {
      this.report(owner, join(path, key), 'spec-required', `${what} needs "${key}"`);
      return undefined;
    }
    return pair.value;
  }

  string(node: Node | null | undefined, path: string, what: string, pattern?: { re: RegExp; hint: string }): string | undefined {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value === '') {
      this.report(node, path, 'spec-type', `${what} must be a non-empty string`);
      return undefined;
    }
    if (pattern && !pattern.re.test(node.value)) {
      this.report(node, path, 'spec-format', `${what} "${node.value}" ${pattern.hint}`);
      return undefined;
    }
    return node.value;
  }

  integer(node: Node | null | undefined, path: string, what: string, min: number, max: number): number | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.report(node, path, 'spec-type', `${what} must be a whole number from ${min} to ${max}`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(node: Node | null | undefined, path: string, what: string, choices: readonly T[]): T | undefined {
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.report(node, path, 'spec-enum', `${what} must be one of: ${choices.join(', ')}`);
      return undefined;
    }
    return value as T;
  }

  seq(node: Node | null | undefined, path: string, what: string): Node[] | undefined {
    if (!isSeq(node)) {
      this.report(node, path, 'spec-type', `${what} must be a list`);
      return undefined;
    }
    return node.items as Node[];
  }

  /** A mapping of names to string values (env). Numbers and booleans are taken as their text. */
  stringMap(node: Node | null | undefined, path: string, what: string, keyPattern: { re: RegExp; hint: string }): Record<string, string> | undefined {
    if (!isMap(node)) {
      this.report(node, path, 'spec-type', `${what} must be a mapping of names to values`);
      return undefined;
    }
    const out: Record<string, string> = {};
    for (const pair of (node as YAMLMap<Node, Node | null>).items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!keyPattern.re.test(key)) {
        this.report(pair.key, join(path, key), 'spec-format', `"${key}" ${keyPattern.hint}`);
        continue;
      }
      const value = isScalar(pair.value) ? pair.value.value : undefined;
      if (value === null || value === undefined || typeof value === 'object') {
        this.report(pair.value ?? pair.key, join(path, key), 'spec-type', `the value of ${key} must be text, a number or a boolean`);
        continue;
      }
      out[key] = String(value);
    }
    return out;
  }
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}
