/**
 * Rows for the pods waiting for GPUs. A row is rebuilt only when its inputs changed: the pod,
 * the nodes (their taints and labels, via an epoch), the free capacity of the resources it needs,
 * or the scheduler's latest word on it. Otherwise the previous row object is kept.
 */
import type { PlacementGroup } from './placementGroups';
import type { PodFacts } from './podFacts';
import type { GpuResourceSummary, GpuWaitingRow } from './table';
import { capacityPhrases, placementObstacles, waitingReason } from './waitingReason';

export interface WaitingInputs {
  readonly groups: () => Iterable<PlacementGroup>;
  /** Changes whenever a node's taints, labels or resources may have changed. */
  readonly nodeEpoch: number;
  readonly summaries: ReadonlyMap<string, GpuResourceSummary>;
  readonly nodesKnown: boolean;
  readonly schedulerFor: (podKey: string, uid: string | undefined) => string | undefined;
}

interface Cached {
  readonly facts: PodFacts;
  readonly epoch: number;
  readonly obstacles: readonly string[];
  readonly capacity: string;
  readonly scheduler?: string;
  readonly row: GpuWaitingRow;
}

export class WaitingRows {
  private cache = new Map<string, Cached>();

  /** Rows for the given waiting pods, sorted by "namespace/name". */
  rows(waiting: Iterable<PodFacts>, inputs: WaitingInputs): GpuWaitingRow[] {
    const next = new Map<string, Cached>();
    const capacityMemo = new Map<string, string>();
    const out: GpuWaitingRow[] = [];
    for (const facts of waiting) {
      const key = facts.row.key;
      const prev = this.cache.get(key);
      const needs = facts.needs;
      let capacity = capacityMemo.get(needs);
      if (capacity === undefined) {
        capacity = capacityPhrases(facts, inputs.summaries, inputs.nodesKnown).join('; ');
        capacityMemo.set(needs, capacity);
      }
      const scheduler = inputs.schedulerFor(key, facts.row.uid) ?? facts.unschedulableMessage;
      const sameNodes = prev !== undefined && prev.facts === facts && prev.epoch === inputs.nodeEpoch;
      let entry: Cached;
      if (sameNodes && prev.capacity === capacity && prev.scheduler === scheduler) {
        entry = prev;
      } else {
        const obstacles = sameNodes ? prev.obstacles : placementObstacles(facts, inputs.groups());
        const reason = waitingReason(capacity ? [capacity] : [], obstacles, scheduler);
        entry = { facts, epoch: inputs.nodeEpoch, obstacles, capacity, scheduler, row: { ...facts.row, reason, scheduler } };
      }
      next.set(key, entry);
      out.push(entry.row);
    }
    this.cache = next;
    return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}
