/** Plain-scalar resolution (YAML 1.1, as kubectl reads it) and the fast parser's bail-out signals. */

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
export const JSON_ESCAPES = /\\[^"\\/bfnrtu]/;

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
