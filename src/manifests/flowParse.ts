import { quoteEnd, resolvePlain, TooDeep, unquote, Unsupported } from './scalars';
import type { YMap, YNode, YPair, YScalar, YSeq } from './tree';

/** One-line flow collections: [a, b], {k: v}, nested, with plain or quoted scalars. */
export class FlowParser {
  pos: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly maxDepth: number,
  ) {
    this.pos = start;
  }

  private depth = 0;

  value(): YNode {
    if (++this.depth > this.maxDepth) throw new TooDeep();
    try {
      return this.valueAt();
    } finally {
      this.depth--;
    }
  }

  private valueAt(): YNode {
    this.ws();
    const t = this.text;
    const ch = t.charCodeAt(this.pos);
    if (ch === 91) return this.seq();
    if (ch === 123) return this.map();
    if (ch === 34 || ch === 39) return this.quoted();
    return this.plain();
  }

  private ws(): void {
    while (this.pos < this.end && this.text.charCodeAt(this.pos) === 32) this.pos++;
    if (this.pos >= this.end) throw new Unsupported('flow collection spans lines');
  }

  private seq(): YSeq {
    const start = this.pos++;
    const items: YNode[] = [];
    this.ws();
    while (this.text.charCodeAt(this.pos) !== 93) {
      items.push(this.value());
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.ws();
      } else if (c !== 93) throw new Unsupported('unexpected character in flow sequence');
    }
    this.pos++;
    return { kind: 'seq', start, end: this.pos, items };
  }

  private map(): YMap {
    const start = this.pos++;
    const pairs: YPair[] = [];
    this.ws();
    while (this.text.charCodeAt(this.pos) !== 125) {
      const key = this.value();
      if (key.kind !== 'scalar') throw new Unsupported('complex flow key');
      this.ws();
      if (this.text.charCodeAt(this.pos) !== 58) throw new Unsupported('flow map entry without ":"');
      this.pos++;
      this.ws();
      const c0 = this.text.charCodeAt(this.pos);
      const value: YNode = c0 === 44 || c0 === 125 ? { kind: 'scalar', start: this.pos, end: this.pos, value: null, quoted: false } : this.value();
      pairs.push({ key, value, start: key.start, end: value.end });
      this.ws();
      const c = this.text.charCodeAt(this.pos);
      if (c === 44) {
        this.pos++;
        this.ws();
      } else if (c !== 125) throw new Unsupported('unexpected character in flow mapping');
    }
    this.pos++;
    return { kind: 'map', start, end: this.pos, pairs };
  }

  private quoted(): YScalar {
    const start = this.pos;
    const close = quoteEnd(this.text, start, this.end);
    if (close < 0) throw new Unsupported('unterminated quoted scalar');
    this.pos = close;
    return { kind: 'scalar', start, end: close, value: unquote(this.text, start, close), quoted: true };
  }

  private plain(): YScalar {
    const t = this.text;
    const start = this.pos;
    let e = start;
    while (e < this.end) {
      const c = t.charCodeAt(e);
      if (c === 44 || c === 93 || c === 125 || c === 91 || c === 123) break;
      if (c === 58 && (t.charCodeAt(e + 1) === 32 || t.charCodeAt(e + 1) === 44 || t.charCodeAt(e + 1) === 125 || t.charCodeAt(e + 1) === 93)) break;
      if (c === 35 && t.charCodeAt(e - 1) === 32) throw new Unsupported('comment inside a flow collection');
      e++;
    }
    let s = e;
    while (s > start && t.charCodeAt(s - 1) === 32) s--;
    const raw = t.slice(start, s);
    if (raw === '' || /^[&*!|>%@`?-]/.test(raw) && !/^-[0-9.]/.test(raw)) throw new Unsupported('indicator in flow scalar');
    this.pos = e;
    return { kind: 'scalar', start, end: s, value: resolvePlain(raw), quoted: false };
  }
}
