/**
 * Settles the schema and server findings of one resource, so that each problem is reported once
 * and in the form the server would give it.
 *
 * A value the server cannot even decode (a string where an integer goes, a malformed quantity,
 * bad base64) fails the request before validation runs, so server-* findings about that field
 * (and ones it caused, such as a targetPort defaulted from an undecodable port) are dropped: the
 * decode error is what the server says first. Elsewhere in the object, server findings stay, as
 * the server reports them once the value is fixed. A schema finding at the very place of a server
 * error says the same thing less precisely and is dropped.
 */
import type { Finding } from './types';
import type { YNode } from './tree';

const DECODE_ERRORS = new Set(['schema-type', 'schema-quantity']);

/** The span of the field holding the value at [start, end): from its key to the value's end. */
function fieldSpan(node: YNode, start: number, end: number): [number, number] | undefined {
  if (node.start > start || node.end < end) return undefined;
  if (node.kind === 'map') {
    for (const pair of node.pairs) {
      if (pair.value.start === start && pair.value.end === end) return [pair.key.start, end];
      const inner = fieldSpan(pair.value, start, end);
      if (inner) return inner;
    }
  } else if (node.kind === 'seq') {
    for (const item of node.items) {
      if (item.start === start && item.end === end) return [start, end];
      const inner = fieldSpan(item, start, end);
      if (inner) return inner;
    }
  }
  return undefined;
}

/** `enabled`: whether a rule is on; a schema finding stays when the server rule that repeats it is off. */
export function settleSchemaAndServer(root: YNode, out: Finding[], first: number, enabled: (ruleId: string) => boolean): void {
  const undecodable: [number, number][] = [];
  const server = new Set<string>();
  for (let i = first; i < out.length; i++) {
    const f = out[i];
    if (DECODE_ERRORS.has(f.ruleId)) undecodable.push(fieldSpan(root, f.start, f.end) ?? [f.start, f.end]);
    else if (f.ruleId.startsWith('server-') && f.severity === undefined && enabled(f.ruleId)) server.add(`${f.start}:${f.end}`);
  }
  if (undecodable.length === 0 && server.size === 0) return;
  const drop = (f: Finding): boolean => {
    if (f.ruleId.startsWith('server-')) return undecodable.some(([s, e]) => f.start < e && f.end > s);
    return f.ruleId.startsWith('schema-') && !DECODE_ERRORS.has(f.ruleId) && server.has(`${f.start}:${f.end}`);
  };
  let w = first;
  for (let i = first; i < out.length; i++) if (!drop(out[i])) out[w++] = out[i];
  out.length = w;
}
