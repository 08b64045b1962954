/**
 * The references written in a resource: every value that names another object (with the kind and
 * namespace it names) or a port, found by walking the tree with the slot table.
 */
import type { Resource } from '../resource';
import { str, type YMap, type YNode, type YScalar } from '../tree';
import { ITEM } from '../complete/cursor';
import { CLUSTER_SCOPED_REFS, refKind, valueSlot } from './slots';
import { namespaceOf } from './workspaceIndex';

export interface ObjectTarget {
  kind: string;
  name: string;
  /** '' for cluster-scoped kinds; undefined when the referring document names no namespace. */
  namespace: string | undefined;
}

export type RefOccurrence =
  | { type: 'object'; target: ObjectTarget; node: YScalar; resource: Resource }
  | { type: 'port'; of: 'selected' | 'container' | 'backendService'; port: string; node: YScalar; resource: Resource; path: readonly string[] };

const MAX_NODES = 20_000;

/** References in `r`, in document order. */
export function occurrencesIn(r: Resource): RefOccurrence[] {
  const out: RefOccurrence[] = [];
  let budget = MAX_NODES;
  const visit = (node: YNode, path: string[], parent: YMap | undefined): void => {
    if (--budget < 0) return;
    if (node.kind === 'map') {
      for (const p of node.pairs) visit(p.value, [...path, String(p.key.value)], node);
      return;
    }
    if (node.kind === 'seq') {
      for (const item of node.items) visit(item, [...path, ITEM], undefined);
      return;
    }
    const value = str(node);
    if (!value) return;
    const slot = valueSlot(r.kind, path);
    if (slot?.type === 'object') {
      const kind = refKind(slot, slot.kindFrom ? str(parent?.pairs.find((p) => p.key.value === slot.kindFrom)?.value) : undefined);
      if (!kind) return;
      const namespace = CLUSTER_SCOPED_REFS.has(kind) ? '' : namespaceOf(r);
      out.push({ type: 'object', target: { kind, name: value, namespace }, node, resource: r });
    } else if (slot?.type === 'port' && typeof node.value === 'string') {
      out.push({ type: 'port', of: slot.of, port: value, node, resource: r, path });
    }
  };
  visit(r.root, [], undefined);
  return out;
}
