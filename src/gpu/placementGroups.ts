/**
 * GPU nodes grouped by what placement checks without looking at labels: their scheduling taints
 * and the GPU resources they offer. Clusters have thousands of nodes but a handful of such
 * groups, so a waiting pod's taint check costs one test per group, not per node.
 */
import { formatTaint } from './placement';
import type { Taint } from './shapes';

/** The parts of a GPU node that placement looks at. */
export interface PlacementNode {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly taints: readonly Taint[];
  readonly allocatable: ReadonlyMap<string, number>;
}

export interface PlacementGroup {
  readonly taints: readonly Taint[];
  readonly resources: ReadonlySet<string>;
  readonly nodes: ReadonlyMap<string, PlacementNode>;
}

interface MutableGroup extends PlacementGroup {
  readonly nodes: Map<string, PlacementNode>;
}

export class PlacementGroups {
  private readonly groups = new Map<string, MutableGroup>();
  private readonly groupOf = new Map<string, string>();

  set(node: PlacementNode): void {
    this.delete(node.name);
    const resources = [...node.allocatable.keys()].sort();
    const signature = `${node.taints.map(formatTaint).sort().join(',')}|${resources.join(',')}`;
    let group = this.groups.get(signature);
    if (!group) this.groups.set(signature, (group = { taints: node.taints, resources: new Set(resources), nodes: new Map() }));
    group.nodes.set(node.name, node);
    this.groupOf.set(node.name, signature);
  }

  delete(name: string): void {
    const signature = this.groupOf.get(name);
    if (signature === undefined) return;
    this.groupOf.delete(name);
    const group = this.groups.get(signature);
    group?.nodes.delete(name);
    if (group?.nodes.size === 0) this.groups.delete(signature);
  }

  values(): IterableIterator<PlacementGroup> {
    return this.groups.values();
  }
}
