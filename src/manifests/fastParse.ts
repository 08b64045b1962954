import { FlowParser } from './flowParse';
import { quoteEnd, resolvePlain, TooDeep, unquote, Unsupported } from './scalars';
import type { YMap, YNode, YPair, YScalar, YSeq } from './tree';

/**
 * A fast parser for the block-style YAML people write for Kubernetes: block maps and sequences,
 * plain and single-line quoted scalars, one-line flow collections, literal and folded block
 * scalars, comments. Anything else (anchors, aliases, tags, multi-line plain or quoted scalars,
 * complex keys, odd indentation, YAML 1.1 forms such as 1:30 or dates) makes it give up with
 * Unsupported, and the caller hands the document to the full `yaml` parser, which also produces
 * the exact syntax errors. Results equal the full parser's (checked by a differential test).
 */
export { resolvePlain, TooDeep, Unsupported } from './scalars';

interface Line {
  start: number;
  /** Offset of the first non-space character. */
  content: number;
  /** Offset of the end of the line, before "\n" (and "\r"). */
  end: number;
  indent: number;
}

/** Parses the text between start and end (one document, no markers) into a tree, or throws Unsupported. */
export function fastParse(text: string, start: number, end: number, maxDepth = 64): { root: YNode | null; duplicates: YScalar[] } {
  const parser = new FastParser(text, start, end, maxDepth);
  const root = parser.document();
  return { root, duplicates: parser.duplicates };
}

class FastParser {
  private readonly lines: Line[] = [];
  private li = 0;
  private depth = 0;
  /** Column where the current line's next node starts (indent, or after "- " / "key: "). */
  private col = 0;
  readonly duplicates: YScalar[] = [];

  constructor(
    private readonly text: string,
    start: number,
    end: number,
    private readonly maxDepth: number,
  ) {
    let s = start;
    while (s < end) {
      let e = text.indexOf('\n', s);
      if (e === -1 || e > end) e = end;
      const lineEnd = e > s && text.charCodeAt(e - 1) === 13 ? e - 1 : e;
      let p = s;
      while (p < lineEnd && text.charCodeAt(p) === 32) p++;
      const ch = text.charCodeAt(p);
      if (ch === 9 && p < lineEnd) throw new Unsupported('tab in indentation');
      if (p < lineEnd && ch !== 35) this.lines.push({ start: s, content: p, end: lineEnd, indent: p - s });
      s = e + 1;
    }
  }

  document(): YNode | null {
    if (this.lines.length === 0) return null;
    const first = this.lines[0];
    this.col = first.indent;
    const node = this.block(first.indent, -1);
    if (this.li < this.lines.length) throw new Unsupported('content after the root node');
    return node;
  }

  private get line(): Line | undefined {
    return this.lines[this.li];
  }

  private at(): number {
    const l = this.lines[this.li];
    return l.start + this.col;
  }

  /** A node starting at the cursor, inside a collection indented by parentIndent. */
  private block(indent: number, parentIndent: number): YNode {
    if (++this.depth > this.maxDepth) throw new TooDeep();
    try {
      return this.blockAt(indent, parentIndent);
    } finally {
      this.depth--;
    }
  }

  private blockAt(indent: number, parentIndent: number): YNode {
    const p = this.at();
    const ch = this.text.charCodeAt(p);
    if (ch === 45 && this.isSeqIndicator(p)) return this.seq(indent);
    if (this.keyEnd(p) !== -1) return this.map(indent);
    const l = this.line!;
    const node = this.inlineValue(p, l.end, parentIndent);
    if (!(node.kind === 'scalar' && node.blockScalar)) this.next();
    return node;
  }

  private isSeqIndicator(p: number): boolean {
    const n = this.text.charCodeAt(p + 1);
    return p + 1 >= this.line!.end || n === 32;
  }

  private next(): void {
    this.li++;
    const l = this.lines[this.li];
    if (l) this.col = l.indent;
  }

  private seq(indent: number): YSeq {
    const seq: YSeq = { kind: 'seq', start: this.at(), end: this.at(), items: [] };
    while (this.line && this.col === indent && this.text.charCodeAt(this.at()) === 45 && this.isSeqIndicator(this.at())) {
      const l = this.line;
      let p = this.at() + 1;
      while (p < l.end && this.text.charCodeAt(p) === 32) p++;
      let item: YNode;
      if (p >= l.end || this.text.charCodeAt(p) === 35) {
        this.next();
        if (this.line && this.col > indent) item = this.block(this.col, indent);
        else item = { kind: 'scalar', start: p, end: p, value: null, quoted: false };
      } else {
        this.col = p - l.start;
        item = this.block(this.col, indent);
      }
      seq.items.push(item);
      seq.end = item.end;
    }
    if (this.line && this.col > indent) throw new Unsupported('bad indentation after a sequence');
    return seq;
  }

  /** Offset of the ":" ending a mapping key that starts at p on the current line, or -1. */
  private keyEnd(p: number): number {
    const t = this.text;
    const end = this.line!.end;
    const ch = t.charCodeAt(p);
    if (ch === 34 || ch === 39) {
      const close = quoteEnd(this.text, p, end);
      if (close === -1) return -1;
      let q = close;
      while (q < end && t.charCodeAt(q) === 32) q++;
      return t.charCodeAt(q) === 58 && (q + 1 >= end || t.charCodeAt(q + 1) === 32) ? q : -1;
    }
    for (let q = p; q < end; q++) {
      const c = t.charCodeAt(q);
      if (c === 35 && q > p && t.charCodeAt(q - 1) === 32) return -1;
      if (c === 58 && (q + 1 >= end || t.charCodeAt(q + 1) === 32)) return q;
    }
    return -1;
  }

  private map(indent: number): YMap {
    const map: YMap = { kind: 'map', start: this.at(), end: this.at(), pairs: [] };
    const seen = new Set<string | number | boolean | null>();
    while (this.line && this.col === indent) {
      const l = this.line;
      const p = this.at();
      const colon = this.keyEnd(p);
      if (colon === -1) throw new Unsupported('expected a mapping key');
      const key = this.keyScalar(p, colon);
      if (seen.has(key.value)) this.duplicates.push(key);
      seen.add(key.value);
      let v = colon + 1;
      while (v < l.end && this.text.charCodeAt(v) === 32) v++;
      let value: YNode;
      if (v >= l.end || this.text.charCodeAt(v) === 35) {
        this.next();
        const nl = this.line;
        if (nl && this.col > indent) value = this.block(this.col, indent);
        else if (nl && this.col === indent && this.text.charCodeAt(this.at()) === 45 && this.isSeqIndicator(this.at())) value = this.seq(indent);
        else value = { kind: 'scalar', start: colon + 1, end: colon + 1, value: null, quoted: false };
      } else {
        value = this.inlineValue(v, l.end, indent);
        if (!(value.kind === 'scalar' && value.blockScalar)) this.next();
      }
      const pair: YPair = { key, value, start: key.start, end: Math.max(key.end, value.end) };
      map.pairs.push(pair);
      map.end = pair.end;
    }
    if (this.line && this.col > indent) throw new Unsupported('bad indentation in a mapping');
    return map;
  }

  private keyScalar(p: number, colon: number): YScalar {
    const ch = this.text.charCodeAt(p);
    if (ch === 34 || ch === 39) {
      const close = quoteEnd(this.text, p, colon);
      return { kind: 'scalar', start: p, end: close, value: unquote(this.text, p, close), quoted: true };
    }
    let e = colon;
    while (e > p && this.text.charCodeAt(e - 1) === 32) e--;
    const raw = this.text.slice(p, e);
    if (/^[[{&*!?|>%@`]/.test(raw) || raw === '<<') throw new Unsupported('complex key');
    return { kind: 'scalar', start: p, end: e, value: resolvePlain(raw), quoted: false };
  }

  /** A value that starts on the current line at v: quoted, flow, block scalar or plain. */
  private inlineValue(v: number, end: number, parentIndent: number): YScalar | YMap | YSeq {
    const t = this.text;
    const ch = t.charCodeAt(v);
    if (ch === 34 || ch === 39) {
      const close = quoteEnd(this.text, v, end);
      if (close === -1) throw new Unsupported('multi-line quoted scalar');
      this.expectLineEnd(close, end);
      return { kind: 'scalar', start: v, end: close, value: unquote(this.text, v, close), quoted: true };
    }
    if (ch === 91 || ch === 123) {
      const flow = new FlowParser(t, v, end, this.maxDepth - this.depth);
      const node = flow.value();
      this.expectLineEnd(flow.pos, end);
      return node;
    }
    if (ch === 124 || ch === 62) return this.blockScalar(v, end, parentIndent);
    if (ch === 38 || ch === 42 || ch === 33 || ch === 37 || ch === 64 || ch === 96 || ch === 63) throw new Unsupported('anchor, alias, tag or reserved indicator');
    if (ch === 45 && (v + 1 >= end || t.charCodeAt(v + 1) === 32)) throw new Unsupported('sequence on the same line as its key');
    let e = end;
    for (let q = v + 1; q < end; q++) {
      if (t.charCodeAt(q) === 35 && t.charCodeAt(q - 1) === 32) {
        e = q;
        break;
      }
    }
    while (e > v && t.charCodeAt(e - 1) === 32) e--;
    const raw = t.slice(v, e);
    if (raw.includes(': ') || raw.endsWith(':')) throw new Unsupported('mapping inside a plain scalar');
    const nl = this.lines[this.li + 1];
    if (nl && nl.indent > parentIndent) throw new Unsupported('multi-line plain scalar');
    return { kind: 'scalar', start: v, end: e, value: resolvePlain(raw), quoted: false };
  }

  private expectLineEnd(p: number, end: number): void {
    let q = p;
    while (q < end && this.text.charCodeAt(q) === 32) q++;
    if (q < end && !(this.text.charCodeAt(q) === 35 && q > p)) throw new Unsupported('content after a value');
  }

  private blockScalar(v: number, end: number, parentIndent: number): YScalar {
    const header = this.text.slice(v, end).replace(/\s+#.*$/, '').trim();
    const m = header.match(/^([|>])([-+]?)$/);
    if (!m) throw new Unsupported('block scalar with an explicit indentation indicator');
    const startLine = this.li;
    // Content lines are every raw line more indented than the parent, blank lines included.
    const headerLine = this.lines[startLine];
    let s = headerLine.end + 1;
    const parts: string[] = [];
    let contentIndent = -1;
    let last = headerLine.end;
    const t = this.text;
    while (s < t.length) {
      let e = t.indexOf('\n', s);
      if (e === -1) e = t.length;
      const lineEnd = e > s && t.charCodeAt(e - 1) === 13 ? e - 1 : e;
      let p = s;
      while (p < lineEnd && t.charCodeAt(p) === 32) p++;
      const blank = p === lineEnd;
      const ind = p - s;
      if (!blank) {
        if (contentIndent === -1) {
          if (ind <= parentIndent) break;
          contentIndent = ind;
        } else if (ind < contentIndent) break;
        if (t.charCodeAt(p) === 9 && ind < contentIndent) throw new Unsupported('tab in block scalar');
        parts.push(t.slice(s + contentIndent, lineEnd));
        last = lineEnd;
      } else parts.push(lineEnd - s > contentIndent && contentIndent !== -1 ? t.slice(s + contentIndent, lineEnd) : '');
      s = e + 1;
    }
    while (parts.length && parts[parts.length - 1] === '') parts.pop();
    if (parts.some((x) => x.startsWith(' ') || x.startsWith('\t')) && m[1] === '>') throw new Unsupported('folded scalar with more-indented lines');
    let value = m[1] === '|' ? parts.join('\n') : foldLines(parts);
    if (m[2] !== '-' && value !== '') value += '\n';
    if (m[2] === '+') throw new Unsupported('keep chomping');
    // Skip the parsed lines in the line table.
    while (this.li + 1 < this.lines.length && this.lines[this.li + 1].start <= last) this.li++;
    this.next();
    return { kind: 'scalar', start: v, end: last, value, quoted: true, blockScalar: true };
  }
}

function foldLines(parts: string[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    if (i === 0) out = parts[0];
    else if (parts[i] === '') out += '\n';
    else out += parts[i - 1] === '' ? parts[i] : ' ' + parts[i];
  }
  return out;
}
