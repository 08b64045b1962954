/**
 * The tree of the document the cursor is in, for what completion reads from it (a sibling's
 * value, the container's ports, the Service's selector). A key being typed is not YAML yet, so
 * when the document does not parse as written, it is parsed again with the cursor's line blanked
 * (offsets kept). Nodes along a cursor path are found by offset, one list item at a time.
 */
import { parseRegion } from '../parse';
import { get, type YNode } from '../tree';
import { DEFAULT_BUDGET } from '../types';
import { ITEM } from './cursor';

const BUDGET = { ...DEFAULT_BUDGET, maxFullParseBytes: 64 * 1024 };

function parse(text: string, start: number, end: number): YNode | undefined {
  const doc = parseRegion(text, { start, contentStart: start, end, markerContent: false }, 0, BUDGET, Date.now() + 50, []);
  return doc.root ?? undefined;
}

/** The root of the document [start, end) of `text`, or undefined when even the blanked text does not parse. */
export function documentTree(text: string, start: number, end: number, cursor: number): YNode | undefined {
  const root = parse(text, start, end);
  if (root) return root;
  const lineStart = text.lastIndexOf('\n', cursor - 1) + 1;
  let lineEnd = text.indexOf('\n', cursor);
  if (lineEnd < 0) lineEnd = text.length;
  const blanked = text.slice(0, lineStart) + ' '.repeat(lineEnd - lineStart) + text.slice(lineEnd);
  return parse(blanked, start, end);
}

/** The node at a cursor path: keys by name, ITEM as the list item holding `offset` (else the last before it). */
export function nodeAt(root: YNode | undefined, path: readonly string[], offset: number): YNode | undefined {
  let node = root;
  for (const segment of path) {
    if (!node) return undefined;
    if (segment === ITEM) {
      if (node.kind !== 'seq') return undefined;
      let pick: YNode | undefined;
      for (const item of node.items) if (item.start <= offset) pick = item;
      node = pick;
    } else node = get(node, segment);
  }
  return node;
}
