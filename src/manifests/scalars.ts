/** Scalars as both fast parsers read them (plain ones resolved as YAML 1.1, as kubectl reads them; quoted ones) and the bail-out signals. */

/** Input outside the fast parser's subset: the document goes to the full YAML parser. */
export class Unsupported extends Error {}

/** Nesting deeper than the budget allows: the document is skipped, not handed on. */
export class TooDeep extends Error {}

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']);
const DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)$/;
const FLOAT = /^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)$/;
const MAYBE_NUMERIC = /^[-+.0-9][-+.0-9a-fA-FxXoO_:]*$/;
const JSON_ESCAPES = /\\[^"\\/bfnrtu]/;

/**
 * The index just past the closing quote of the quoted scalar opening at `p` (`"` with backslash
 * escapes, `'` with `''` for a quote), or -1 when it does not close before `end`.
 */
export function quoteEnd(text: string, p: number, end: number): number {
  const q = text.charCodeAt(p);
  for (let i = p + 1; i < end; i++) {
    const c = text.charCodeAt(i);
    if (q === 34 && c === 92) {
      i++;
      continue;
    }
    if (c === q) {
      if (q === 39 && text.charCodeAt(i + 1) === 39) {
        i++;
        continue;
      }
      return i + 1;
    }
  }
  return -1;
}

/** The value of the quoted scalar from `p` to `close` (as quoteEnd found it). */
export function unquote(text: string, p: number, close: number): string {
  const body = text.slice(p + 1, close - 1);
  if (text.charCodeAt(p) === 39) return body.includes("''") ? body.replace(/''/g, "'") : body;
  if (!body.includes('\\')) return body;
  if (JSON_ESCAPES.test(body)) throw new Unsupported('YAML-only escape');
  return JSON.parse(`"${body}"`) as string;
}

export function resolvePlain(s: string): string | number | boolean | null {
  const c = s.charCodeAt(0);
  // Fast exit: most plain scalars start with a letter that can begin no null, bool or number.
  if (s.length > 5 && ((c >= 97 && c <= 122) || (c >= 65 && c <= 90))) return s;
  if (NULLS.has(s)) return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  if (DECIMAL.test(s)) {
    if (s === '-0' || s.length > 15) throw new Unsupported('number edge case');
    return Number(s);
  }
  if (FLOAT.test(s)) return parseFloat(s);
  if (MAYBE_NUMERIC.test(s)) throw new Unsupported(`YAML 1.1 scalar form "${s}"`);
  return s;
}
