/**
 * The engine's own YAML tree: maps, sequences and scalars with source offsets. Aliases and merge
 * keys are resolved when the tree is built (parse.ts), so rules and the schema validator see plain
 * data and never meet a cycle.
 */
export type Scalar = string | number | boolean | null;

export interface YScalar {
  kind: 'scalar';
  start: number;
  end: number;
  value: Scalar;
  /** Written with quotes or as a block scalar: always a string. */
  quoted: boolean;
  /** Written as a literal or folded block scalar (| or >). */
  blockScalar?: boolean;
}

export interface YPair {
  key: YScalar;
  value: YNode;
  start: number;
  end: number;
}

export interface YMap {
  kind: 'map';
  start: number;
  end: number;
  pairs: YPair[];
}

export interface YSeq {
  kind: 'seq';
  start: number;
  end: number;
  items: YNode[];
}

export type YNode = YScalar | YMap | YSeq;

export function pairOf(node: YNode | undefined, key: string): YPair | undefined {
  if (!node || node.kind !== 'map') return undefined;
  for (const p of node.pairs) if (p.key.value === key) return p;
  return undefined;
}

export function get(node: YNode | undefined, key: string): YNode | undefined {
  return pairOf(node, key)?.value;
}

/** Follows a path of keys and indices. */
export function at(node: YNode | undefined, ...path: (string | number)[]): YNode | undefined {
  let cur = node;
  for (const k of path) {
    if (!cur) return undefined;
    if (typeof k === 'number') cur = cur.kind === 'seq' ? cur.items[k] : undefined;
    else cur = get(cur, k);
  }
  return cur;
}

export function asMap(node: YNode | undefined): YMap | undefined {
  return node?.kind === 'map' ? node : undefined;
}

export function asSeq(node: YNode | undefined): YNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

export function str(node: YNode | undefined): string | undefined {
  return node?.kind === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

/** A map of string to scalar (labels, selectors, resource lists) as plain data. */
export function stringMap(node: YNode | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (node?.kind !== 'map') return out;
  for (const p of node.pairs) {
    const v = str(p.value);
    if (v !== undefined) out[String(p.key.value)] = v;
  }
  return out;
}

export function isNull(node: YNode | undefined): boolean {
  return !node || (node.kind === 'scalar' && node.value === null);
}

/** Moves a subtree by `delta` characters, in place (a cached document reused at a new offset). */
export function shiftTree(node: YNode, delta: number): void {
  node.start += delta;
  node.end += delta;
  if (node.kind === 'map') {
    for (const p of node.pairs) {
      p.start += delta;
      p.end += delta;
      shiftTree(p.key, delta);
      shiftTree(p.value, delta);
    }
  } else if (node.kind === 'seq') {
    for (const i of node.items) shiftTree(i, delta);
  }
}
