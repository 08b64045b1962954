/**
 * Node rows of the GPU table and the per-resource cluster summary built from them.
 */
import type { GpuNodeRow, GpuResourceSummary, GpuSlot } from './table';
import type { Taint } from './shapes';

export interface NodeRowInput {
  readonly name: string;
  readonly model?: string;
  readonly allocatable: ReadonlyMap<string, number>;
  readonly taints: readonly Taint[];
  readonly ready: boolean;
  readonly unschedulable: boolean;
}

/** One node's row: a slot per GPU resource it offers or that pods bound to it request. */
export function buildNodeRow(
  node: NodeRowInput,
  bound: { readonly requested: ReadonlyMap<string, number>; readonly pods: number } | undefined,
): GpuNodeRow {
  const names = new Set(node.allocatable.keys());
  if (bound) for (const resource of bound.requested.keys()) names.add(resource);
  const slots: GpuSlot[] = [...names].sort().map((resource) => {
    const allocatable = node.allocatable.get(resource) ?? 0;
    const requested = bound?.requested.get(resource) ?? 0;
    return { resource, allocatable, requested, free: Math.max(0, allocatable - requested) };
  });
  return {
    name: node.name,
    model: node.model,
    slots,
    taints: node.taints,
    ready: node.ready,
    unschedulable: node.unschedulable,
    pods: bound?.pods ?? 0,
  };
}

/** Cluster totals per GPU resource, with the largest free slot and the largest node. */
export function summarize(rows: readonly GpuNodeRow[]): GpuResourceSummary[] {
  const acc = new Map<
    string,
    { allocatable: number; requested: number; free: number; nodes: number; largestAllocatable: number; largestFree?: { node: string; free: number } }
  >();
  for (const row of rows) {
    for (const slot of row.slots) {
      let a = acc.get(slot.resource);
      if (!a) acc.set(slot.resource, (a = { allocatable: 0, requested: 0, free: 0, nodes: 0, largestAllocatable: 0 }));
      a.allocatable += slot.allocatable;
      a.requested += slot.requested;
      a.free += slot.free;
      if (slot.allocatable > 0) a.nodes++;
      if (slot.allocatable > a.largestAllocatable) a.largestAllocatable = slot.allocatable;
      if (slot.allocatable > 0 && (!a.largestFree || slot.free > a.largestFree.free)) a.largestFree = { node: row.name, free: slot.free };
    }
  }
  return [...acc]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([resource, a]) => ({ resource, ...a }));
}
