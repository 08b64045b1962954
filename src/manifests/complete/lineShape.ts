/**
 * One line of block YAML as the cursor resolver sees it: its list markers ("- ") and its key, with
 * columns. Read from the text alone, so it works on documents that do not parse while being typed.
 */

export interface DashNode {
  type: 'dash';
  col: number;
  /** Column where the item's content starts (after "- "). */
  contentCol: number;
}

export interface KeyNode {
  type: 'key';
  col: number;
  key: string;
  /** Text after "key:" without a trailing comment, trimmed. */
  value: string;
  /** Offset of the value's first character (or of the end of the line when there is none). */
  valueStart: number;
}

export type LineNode = DashNode | KeyNode;

export interface LineShape {
  /** Blank, comment-only or a document marker: carries no structure. */
  empty: boolean;
  marker: boolean;
  indent: number;
  /** Left to right. */
  nodes: LineNode[];
}

const PLAIN_KEY_START = /[^\s\-?:,[\]{}#&*!|>'"%@`]/;

/** Offset of a comment start ("#" at the start or after whitespace), or -1. */
function commentAt(text: string, from: number, to: number): number {
  let quote = '';
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if ((c === '"' || c === "'") && (i === from || /[\s:,[{]/.test(text[i - 1]))) quote = c;
    else if (c === '#' && (i === from || /\s/.test(text[i - 1]))) return i;
  }
  return -1;
}

/**
 * The key at `from` (plain or quoted) and where its colon is, when the text there is `key:`
 * followed by whitespace or the end of the line.
 */
export function keyAt(text: string, from: number, to: number): { key: string; colon: number } | undefined {
  const c = text[from];
  if (c === '"' || c === "'") {
    let i = from + 1;
    while (i < to && text[i] !== c) i += text[i] === '\\' && c === '"' ? 2 : 1;
    if (i >= to || text[i + 1] !== ':' || (i + 2 < to && !/\s/.test(text[i + 2]))) return undefined;
    return { key: text.slice(from + 1, i), colon: i + 1 };
  }
  if (from >= to || !PLAIN_KEY_START.test(c) && !(c === '-' && from + 1 < to && !/\s/.test(text[from + 1]))) return undefined;
  for (let i = from; i < to; i++) {
    const ch = text[i];
    if (ch === ':' && (i + 1 === to || /\s/.test(text[i + 1]))) return { key: text.slice(from, i).trimEnd(), colon: i };
    if (ch === '#' && /\s/.test(text[i - 1])) return undefined;
  }
  return undefined;
}

/** The shape of the line [start, end) of `text`. */
export function lineShape(text: string, start: number, end: number): LineShape {
  let i = start;
  while (i < end && text[i] === ' ') i++;
  const indent = i - start;
  const shape: LineShape = { empty: false, marker: false, indent, nodes: [] };
  if (i >= end || text[i] === '#' || text[i] === '\r') {
    shape.empty = true;
    return shape;
  }
  if (indent === 0 && (text.startsWith('---', i) || text.startsWith('...', i)) && (i + 3 >= end || /\s/.test(text[i + 3]))) {
    shape.empty = true;
    shape.marker = true;
    return shape;
  }
  while (i < end && text[i] === '-' && (i + 1 >= end || text[i + 1] === ' ' || text[i + 1] === '\r')) {
    const col = i - start;
    i++;
    while (i < end && text[i] === ' ') i++;
    shape.nodes.push({ type: 'dash', col, contentCol: i - start });
  }
  if (i >= end || text[i] === '#') return shape;
  const key = keyAt(text, i, end);
  if (key) {
    let v = key.colon + 1;
    while (v < end && (text[v] === ' ' || text[v] === '\t')) v++;
    const comment = commentAt(text, v, end);
    const value = text.slice(v, comment < 0 ? end : comment).trim();
    shape.nodes.push({ type: 'key', col: i - start, key: key.key, value, valueStart: v });
  }
  return shape;
}

/** Line starts of `text`, computed once per request. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The line holding `offset` (binary search over line starts). */
export function lineOf(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function lineEnd(text: string, starts: readonly number[], line: number): number {
  const next = line + 1 < starts.length ? starts[line + 1] - 1 : text.length;
  return next > starts[line] && text[next - 1] === '\r' ? next - 1 : next;
}
