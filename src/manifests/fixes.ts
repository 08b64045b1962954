import type { TextEdit } from './types';

/** Applies non-overlapping edits (offsets into the original text) and returns the new text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.start < 0 || e.end < e.start || e.end > text.length) throw new Error(`edit [${e.start}, ${e.end}) is outside the text (length ${text.length})`);
    if (e.end > limit) throw new Error(`edits overlap at offset ${e.end}; apply them one fix at a time`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    limit = e.start;
  }
  return out;
}
