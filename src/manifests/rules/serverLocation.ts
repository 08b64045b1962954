/**
 * Where a server validation error is in the YAML: its field path walked through the engine's tree
 * (map keys, list indexes, keys of string maps), anchored on the value, the offending key of a
 * map, or, for a field the server filled in by defaulting or found missing, on the nearest field
 * the user wrote.
 */
import type { FieldError } from '../server/fieldErrors';
import type { PathSegment } from '../server/fieldPath';
import { pairOf, type YNode, type YScalar } from '../tree';

export interface Location {
  start: number;
  end: number;
  /** The node the full path names, when the manifest has it. */
  node?: YNode;
}

interface Step {
  node: YNode;
  /** The key that introduced this node (for maps and lists, the field name to highlight). */
  key?: YScalar;
}

function walk(root: YNode, segments: readonly PathSegment[]): { steps: Step[]; complete: boolean } {
  const steps: Step[] = [{ node: root }];
  let cur: YNode = root;
  for (const seg of segments) {
    let next: Step | undefined;
    if (seg.kind === 'index') {
      const item = cur.kind === 'seq' ? cur.items[seg.index] : undefined;
      if (item) next = { node: item };
    } else {
      const pair = pairOf(cur, seg.kind === 'child' ? seg.name : seg.key);
      if (pair) next = { node: pair.value, key: pair.key };
    }
    if (!next) return { steps, complete: false };
    steps.push(next);
    cur = next.node;
  }
  return { steps, complete: true };
}

/** The node at a path, when the manifest has it. */
export function nodeAt(root: YNode, segments: readonly PathSegment[]): YNode | undefined {
  const { steps, complete } = walk(root, segments);
  return complete ? steps[steps.length - 1].node : undefined;
}

function span(node: { start: number; end: number }): Location {
  return { start: node.start, end: node.end };
}

/**
 * The most telling part of a step: the value itself for scalars, its key for maps and lists, the
 * first key of a list item, or the whole (empty) item; the fallback only for the document root.
 */
function stepSpan(step: Step, fallback: YNode, isRoot: boolean): Location {
  if (step.node.kind === 'scalar') return span(step.node);
  if (step.key) return span(step.key);
  if (step.node.kind === 'map' && step.node.pairs.length) return span(step.node.pairs[0].key);
  return span(isRoot ? fallback : step.node);
}

export function locate(root: YNode, e: FieldError, kindNode: YNode): Location {
  const segments = (e.at ?? e.path).segments();
  const { steps, complete } = walk(root, segments);
  const last = steps[steps.length - 1];
  if (!complete) {
    // Missing or defaulted: point at the closest field the manifest has.
    return steps.length > 1 ? stepSpan(last, kindNode, false) : span(kindNode);
  }
  const node = last.node;
  // Errors about one key or value of a map (labels, selectors, data) name it as their value.
  if (node.kind === 'map' && typeof e.value === 'string') {
    const byKey = node.pairs.find((p) => String(p.key.value) === e.value);
    if (byKey) return { ...span(byKey.key), node };
    const byValue = node.pairs.find((p) => p.value.kind === 'scalar' && p.value.value === e.value);
    if (byValue) return { ...span(byValue.value), node };
  }
  const seg = segments[segments.length - 1];
  if (seg?.kind === 'key' && typeof e.value === 'string' && e.value === seg.key && last.key) return { ...span(last.key), node };
  return { ...stepSpan(last, kindNode, steps.length === 1), node };
}
