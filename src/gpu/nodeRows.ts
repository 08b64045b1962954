/**
 * Node rows of the GPU table.
 */
import type { GpuNodeRow, GpuSlot } from './table';
import type { Taint } from './shapes';

export interface NodeRowInput {
  readonly name: string;
  readonly model?: string;
  readonly allocatable: ReadonlyMap<string, number>;
  /** GPUs in the node's capacity but not in its allocatable, per resource. */
  readonly unavailable: ReadonlyMap<string, number>;
  readonly taints: readonly Taint[];
  readonly ready: boolean;
  readonly unschedulable: boolean;
}

/** One node's row: a slot per GPU resource it offers or that pods bound to it request. */
export function buildNodeRow(
  node: NodeRowInput,
  bound: { readonly requested: ReadonlyMap<string, number>; readonly pods: number } | undefined,
): GpuNodeRow {
  const names = new Set([...node.allocatable.keys(), ...node.unavailable.keys()]);
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
    ...(node.unavailable.size > 0
      ? { unavailable: [...node.unavailable].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, count]) => ({ resource, count })) }
      : {}),
  };
}
