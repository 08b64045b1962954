/**
 * Where the cursor is in a YAML manifest, read from the text around it: the path of keys (and list
 * items) from the document's root, whether a key or a value is being written, what is typed so
 * far and which keys the map already has. Works on documents that do not parse yet (a half-typed
 * key is not YAML), in block style, inside flow maps and lists, after "- ", in empty documents and
 * in any document of a multi-document file. Pure and linear in the lines it looks at.
 */
import { keyAt, lineEnd, lineOf, lineShape, lineStarts } from './lineShape';

/** A path segment meaning "an item of this list". */
export const ITEM = '[]';

export interface CursorContext {
  /** The document the cursor is in: [start, end) offsets. */
  documentStart: number;
  documentEnd: number;
  /** From the document's root: keys, and ITEM for list items. For 'key' the map being written, for 'value' the value. */
  path: string[];
  slot: 'key' | 'value';
  /** What is typed of the word at the cursor, up to the cursor. */
  prefix: string;
  /** The span a completion replaces: the whole word at the cursor. */
  replaceStart: number;
  replaceEnd: number;
  /** Column of the map's keys ('key') or of the key whose value is written ('value'). */
  column: number;
  flow: boolean;
  /** Keys the map being written has already (for 'key'). */
  siblings: string[];
  /** 'key': the word is already followed by ":" (insert the name alone). */
  keyHasColon: boolean;
  /** 'key' right after "- ": the new item may be a map or a scalar. */
  newItem: boolean;
  /** 'value' right after the colon with no space typed: inserted values need one. */
  needsSpace: boolean;
  /** 'value' opened with a quote: values are inserted without adding quotes. */
  quote?: '"' | "'";
  /** The document's apiVersion, kind and metadata.namespace as written. */
  apiVersion?: string;
  kind?: string;
  namespace?: string;
}

const WORD_END = /[\s,:{}[\]#]/;
const MAX_SCAN_LINES = 2000;

interface Lines {
  text: string;
  starts: number[];
  end(line: number): number;
}

function documentBounds(l: Lines, line: number): { first: number; last: number } | undefined {
  const isMarker = (i: number) => lineShape(l.text, l.starts[i], l.end(i)).marker;
  if (isMarker(line)) return undefined;
  let first = line;
  while (first > 0 && line - first < MAX_SCAN_LINES * 4 && !isMarker(first - 1)) first--;
  let last = line;
  while (last + 1 < l.starts.length && last - line < MAX_SCAN_LINES * 4 && !isMarker(last + 1)) last++;
  return { first, last };
}

/** apiVersion, kind and metadata.namespace from the document's root lines. */
function header(l: Lines, first: number, last: number): Pick<CursorContext, 'apiVersion' | 'kind' | 'namespace'> {
  const out: Pick<CursorContext, 'apiVersion' | 'kind' | 'namespace'> = {};
  let inMetadata = false;
  let metadataCol = -1;
  for (let i = first; i <= last; i++) {
    const shape = lineShape(l.text, l.starts[i], l.end(i));
    const node = shape.nodes[0];
    if (shape.empty || !node) continue;
    if (node.col === 0) {
      inMetadata = node.type === 'key' && node.key === 'metadata';
      metadataCol = -1;
      if (node.type !== 'key') continue;
      const value = node.value.replace(/^["']|["']$/g, '');
      if (node.key === 'apiVersion' && value) out.apiVersion = value;
      if (node.key === 'kind' && value) out.kind = value;
    } else if (inMetadata && node.type === 'key') {
      if (metadataCol < 0) metadataCol = node.col;
      if (node.col === metadataCol && node.key === 'namespace' && node.value) out.namespace = node.value.replace(/^["']|["']$/g, '');
    }
  }
  return out;
}

type WalkState = { type: 'key' | 'item'; col: number };

/**
 * Walks up from `line` to the document's root: the keys and items above a node at `state`, and
 * the keys of its own map on earlier lines. Undefined when the node is inside a scalar.
 */
function ancestors(l: Lines, line: number, first: number, start: WalkState, siblings: string[] | undefined): string[] | undefined {
  const path: string[] = [];
  let state = start;
  let collecting = siblings !== undefined && state.type === 'key';
  for (let i = line - 1; i >= first && line - i < MAX_SCAN_LINES * 4; i--) {
    const shape = lineShape(l.text, l.starts[i], l.end(i));
    if (shape.empty) continue;
    if (shape.nodes.length === 0 && shape.indent < state.col) return undefined; // continuation of a plain scalar
    for (let n = shape.nodes.length - 1; n >= 0; n--) {
      const node = shape.nodes[n];
      if (node.type === 'key') {
        if (state.type === 'key' && node.col === state.col) {
          if (collecting) siblings!.push(node.key);
          continue;
        }
        const parent = state.type === 'key' ? node.col < state.col : node.col <= state.col;
        if (!parent) continue;
        if (state.type === 'item' && node.col === state.col && node.value !== '') continue;
        // A key with a scalar on its line is no parent: the node is the scalar's continuation.
        if (node.value !== '' && !/^[{[&!*]/.test(node.value)) return undefined;
        path.unshift(node.key);
        state = { type: 'key', col: node.col };
        collecting = false;
      } else {
        const parent = state.type === 'key' ? node.contentCol === state.col || node.col < state.col : node.col < state.col;
        if (!parent) continue;
        path.unshift(ITEM);
        state = { type: 'item', col: node.col };
        collecting = false;
      }
    }
    if (state.type === 'key' && state.col === 0 && !collecting) break;
  }
  return path;
}

/** Keys at `col` on the lines after `line`, until the map ends. */
function laterSiblings(l: Lines, line: number, last: number, col: number, out: string[]): void {
  for (let i = line + 1; i <= last && i - line < MAX_SCAN_LINES; i++) {
    const shape = lineShape(l.text, l.starts[i], l.end(i));
    if (shape.empty) continue;
    const node = shape.nodes[0];
    if (!node) {
      if (shape.indent < col) return;
      continue;
    }
    if (node.col < col) return;
    if (node.type === 'key' && node.col === col) out.push(node.key);
  }
}

function wordEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && !WORD_END.test(text[i])) i++;
  return i;
}

/** The block-style context at `offset` on `line`. */
function blockContext(l: Lines, line: number, offset: number, first: number, last: number): CursorContext | undefined {
  const text = l.text;
  const ls = l.starts[line];
  let i = ls;
  while (i < offset && text[i] === ' ') i++;
  const dashes: { col: number; contentCol: number }[] = [];
  while (i < offset && text[i] === '-' && (i + 1 === offset || text[i + 1] === ' ')) {
    const col = i - ls;
    i++;
    while (i < offset && text[i] === ' ') i++;
    dashes.push({ col, contentCol: i - ls });
  }
  const restCol = i - ls;
  const rest = text.slice(i, offset);
  if (rest.startsWith('#') || /\s#/.test(rest)) return undefined;
  const key = keyAt(text, i, offset);
  const inner = dashes.map(() => ITEM);
  const base = { documentStart: l.starts[first], documentEnd: l.end(last), flow: false, keyHasColon: false, newItem: false, needsSpace: false };
  if (key) {
    const valueFrom = key.colon + 1;
    const typed = text.slice(valueFrom, offset);
    let prefix = typed.trimStart();
    let quote: '"' | "'" | undefined;
    if (prefix.startsWith('"') || prefix.startsWith("'")) {
      quote = prefix[0] as '"' | "'";
      prefix = prefix.slice(1);
    }
    if (/^[|>{[&*!]/.test(prefix) || (!quote && /\s/.test(prefix.trim()))) return undefined;
    const start = dashes.length ? { type: 'item' as const, col: dashes[0].col } : { type: 'key' as const, col: restCol };
    const outer = ancestors(l, line, first, start, undefined);
    if (!outer) return undefined;
    const end = quote ? text.indexOf(quote, offset) : -1;
    return {
      ...base,
      path: [...outer, ...inner, key.key],
      slot: 'value',
      prefix,
      replaceStart: offset - prefix.length,
      replaceEnd: quote ? (end >= 0 && end < l.end(line) ? end : offset) : Math.max(offset, wordEndOfValue(text, offset, l.end(line))),
      column: restCol,
      siblings: [],
      needsSpace: typed === '',
      quote,
    };
  }
  if (/[\s"']/.test(rest) || /^[|>{[&*!%@`]/.test(rest)) return undefined;
  const siblings: string[] = [];
  const start: WalkState = dashes.length ? { type: 'item', col: dashes[0].col } : { type: 'key', col: restCol };
  const outer = ancestors(l, line, first, start, dashes.length ? undefined : siblings);
  if (!outer) return undefined;
  laterSiblings(l, line, last, restCol, siblings);
  const end = wordEnd(text, offset);
  let after = end;
  while (after < text.length && text[after] === ' ') after++;
  return {
    ...base,
    path: [...outer, ...inner],
    slot: 'key',
    prefix: rest,
    replaceStart: i,
    replaceEnd: end,
    column: restCol,
    siblings,
    keyHasColon: text[after] === ':',
    newItem: dashes.length > 0,
  };
}

/** End of a plain scalar value being typed: the rest of the word, not a following comment. */
function wordEndOfValue(text: string, offset: number, lineEndAt: number): number {
  let i = offset;
  while (i < lineEndAt && !/[\s#]/.test(text[i])) i++;
  return i;
}

interface FlowFrame {
  open: '{' | '[';
  /** Just after the opening bracket. */
  start: number;
  /** The key (or ITEM) this collection is the value of, in the enclosing flow collection. */
  owner: string;
  entryStart: number;
}

/** Open flow collections between `from` and `to`; undefined when a bracket closes one opened before `from`. */
function flowFrames(text: string, from: number, to: number): FlowFrame[] | undefined {
  const frames: FlowFrame[] = [];
  let quote = '';
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") {
      if (frames.length) quote = c;
      continue;
    }
    if (c === '#' && (i === from || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= to) break;
      i = nl;
    } else if (c === '{' || c === '[') {
      const top = frames[frames.length - 1];
      const owner = !top ? '' : top.open === '[' ? ITEM : (keyAt(text, skipSpace(text, top.entryStart, i), i + 1)?.key ?? '');
      frames.push({ open: c, start: i + 1, owner, entryStart: i + 1 });
    } else if (c === '}' || c === ']') {
      if (!frames.pop()) return undefined;
    } else if (c === ',' && frames.length) frames[frames.length - 1].entryStart = i + 1;
  }
  return frames;
}

function skipSpace(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && /\s/.test(text[i])) i++;
  return i;
}

/** Keys of the flow map whose entries start at `from`, up to its closing brace. */
function flowKeys(text: string, from: number, skip: [number, number]): string[] {
  const keys: string[] = [];
  let depth = 0;
  let entry = from;
  let quote = '';
  for (let i = from; i < text.length && i - from < 20_000; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']' || (c === ',' && depth === 0)) {
      if (depth === 0) {
        const at = skipSpace(text, entry, i);
        const k = at < skip[0] || at > skip[1] ? keyAt(text, at, i + 1) : undefined;
        if (k) keys.push(k.key);
        if (c !== ',') return keys;
        entry = i + 1;
      } else if (c !== ',') depth--;
    }
  }
  return keys;
}

function flowContext(l: Lines, line: number, offset: number, first: number, last: number): CursorContext | undefined {
  const text = l.text;
  // The flow collection may have opened a few lines up.
  for (let from = line; from >= Math.max(first, line - 20); from--) {
    const frames = flowFrames(text, l.starts[from], offset);
    if (!frames || frames.length === 0) continue;
    const outerOpen = frames[0].start - 1;
    const outerLine = lineOf(l.starts, outerOpen);
    const holder = blockContext(l, outerLine, outerOpen, first, last);
    if (!holder) return undefined;
    const path = [...holder.path, ...frames.slice(1).map((f) => f.owner)];
    const top = frames[frames.length - 1];
    const entryAt = skipSpace(text, top.entryStart, offset);
    const base = { documentStart: l.starts[first], documentEnd: l.end(last), flow: true, keyHasColon: false, newItem: false, needsSpace: false };
    const k = top.open === '{' ? keyAt(text, entryAt, offset) : undefined;
    if (k) {
      const typed = text.slice(k.colon + 1, offset);
      let prefix = typed.trimStart();
      let quote: '"' | "'" | undefined;
      if (prefix.startsWith('"') || prefix.startsWith("'")) {
        quote = prefix[0] as '"' | "'";
        prefix = prefix.slice(1);
      }
      return { ...base, path: [...path, k.key], slot: 'value', prefix, replaceStart: offset - prefix.length, replaceEnd: wordEnd(text, offset), column: holder.column, siblings: [], needsSpace: typed === '', quote };
    }
    const prefix = text.slice(entryAt, offset);
    if (/[\s"']/.test(prefix)) return undefined;
    if (top.open === '[') {
      return { ...base, path: [...path, ITEM], slot: 'value', prefix, replaceStart: entryAt, replaceEnd: wordEnd(text, offset), column: holder.column, siblings: [] };
    }
    const end = wordEnd(text, offset);
    const siblings = flowKeys(text, top.start, [entryAt, end]);
    let after = end;
    while (after < text.length && text[after] === ' ') after++;
    return { ...base, path, slot: 'key', prefix, replaceStart: entryAt, replaceEnd: end, column: holder.column, siblings, keyHasColon: text[after] === ':' };
  }
  return undefined;
}

/** The cursor context at `offset` in `text`; undefined inside comments, scalars and document markers. */
export function cursorContext(text: string, offset: number): CursorContext | undefined {
  const starts = lineStarts(text);
  const l: Lines = { text, starts, end: (line) => lineEnd(text, starts, line) };
  const line = lineOf(starts, offset);
  const bounds = documentBounds(l, line);
  if (!bounds) return undefined;
  const { first, last } = bounds;
  const before = text.slice(starts[line], offset);
  const mayBeFlow = /[{[]/.test(before) || (line > first && /[{[,]\s*$/.test(text.slice(starts[Math.max(first, line - 20)], starts[line])));
  const ctx = (mayBeFlow ? flowContext(l, line, offset, first, last) : undefined) ?? blockContext(l, line, offset, first, last);
  if (!ctx) return undefined;
  return { ...ctx, ...header(l, first, last) };
}
