/**
 * Cluster totals per GPU resource, kept up to date as node rows are replaced: sums move in O(1)
 * per slot; the largest free slot and the largest node are rescanned only for a resource whose
 * current leader changed.
 */
import type { GpuNodeRow, GpuResourceSummary } from './table';

interface Acc {
  allocatable: number;
  requested: number;
  free: number;
  nodes: number;
  slots: number;
  largestAllocatable: number;
  largestFree?: { node: string; free: number };
  stale: boolean;
  summary?: GpuResourceSummary;
}

/** Ties go to the node whose name sorts first, so the answer does not depend on history. */
function better(free: number, node: string, than: { node: string; free: number } | undefined): boolean {
  return !than || free > than.free || (free === than.free && node < than.node);
}

export class ResourceTotals {
  private readonly acc = new Map<string, Acc>();
  private changed = true;
  private last: GpuResourceSummary[] = [];

  /** Account for one node's row changing from `old` to `next` (either may be absent). */
  replace(old: GpuNodeRow | undefined, next: GpuNodeRow | undefined): void {
    if (old === next) return;
    this.changed = true;
    if (old) this.remove(old, next?.name === old.name ? next : undefined);
    if (next) this.add(next);
  }

  private remove(old: GpuNodeRow, next: GpuNodeRow | undefined): void {
    for (const slot of old.slots) {
      const a = this.accFor(slot.resource);
      a.allocatable -= slot.allocatable;
      a.requested -= slot.requested;
      a.free -= slot.free;
      a.slots--;
      a.summary = undefined;
      if (slot.allocatable <= 0) continue;
      a.nodes--;
      const after = next?.slots.find((s) => s.resource === slot.resource);
      const stillBig = after !== undefined && after.allocatable >= slot.allocatable;
      if (slot.allocatable >= a.largestAllocatable && !stillBig) a.stale = true;
      const stillLeads = after !== undefined && after.allocatable > 0 && after.free >= slot.free;
      if (a.largestFree?.node === old.name && !stillLeads) a.stale = true;
    }
  }

  private add(next: GpuNodeRow): void {
    for (const slot of next.slots) {
      const a = this.accFor(slot.resource);
      a.allocatable += slot.allocatable;
      a.requested += slot.requested;
      a.free += slot.free;
      a.slots++;
      if (slot.allocatable > 0) {
        a.nodes++;
        if (!a.stale) {
          a.largestAllocatable = Math.max(a.largestAllocatable, slot.allocatable);
          if (better(slot.free, next.name, a.largestFree)) a.largestFree = { node: next.name, free: slot.free };
        }
      }
      a.summary = undefined;
    }
  }

  /** The summaries, sorted by resource; unchanged resources keep their objects. */
  summaries(rows: () => Iterable<GpuNodeRow>): GpuResourceSummary[] {
    if (!this.changed) return this.last;
    this.changed = false;
    const stale = [...this.acc].filter(([, a]) => a.stale);
    if (stale.length > 0) this.rescan(new Map(stale), rows());
    const out: GpuResourceSummary[] = [];
    for (const [resource, a] of [...this.acc].sort(([x], [y]) => (x < y ? -1 : 1))) {
      if (a.slots === 0) {
        this.acc.delete(resource);
        continue;
      }
      a.summary ??= {
        resource,
        allocatable: a.allocatable,
        requested: a.requested,
        free: a.free,
        nodes: a.nodes,
        largestAllocatable: a.largestAllocatable,
        ...(a.largestFree ? { largestFree: { ...a.largestFree } } : {}),
      };
      out.push(a.summary);
    }
    this.last = out;
    return out;
  }

  private rescan(stale: Map<string, Acc>, rows: Iterable<GpuNodeRow>): void {
    for (const a of stale.values()) {
      a.largestAllocatable = 0;
      a.largestFree = undefined;
      a.stale = false;
    }
    for (const row of rows) {
      for (const slot of row.slots) {
        const a = stale.get(slot.resource);
        if (!a || slot.allocatable <= 0) continue;
        a.largestAllocatable = Math.max(a.largestAllocatable, slot.allocatable);
        if (better(slot.free, row.name, a.largestFree)) a.largestFree = { node: row.name, free: slot.free };
      }
    }
  }

  private accFor(resource: string): Acc {
    let a = this.acc.get(resource);
    if (!a) this.acc.set(resource, (a = { allocatable: 0, requested: 0, free: 0, nodes: 0, slots: 0, largestAllocatable: 0, stale: false }));
    return a;
  }
}
