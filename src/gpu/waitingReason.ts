/**
 * Why a GPU pod is still waiting, in plain words: what it needs against the largest free slot,
 * which GPU nodes keep it out (taints, nodeSelector, node affinity), and what the scheduler said.
 * e.g. "needs 4 nvidia.com/gpu; the largest free slot is 2 on node gpu-b; 3 nodes have the taint
 * nvidia.com/gpu=present:NoSchedule that the pod does not tolerate".
 */
import { formatTaint, nodeAffinityMismatch, nodeSelectorMismatch, untoleratedTaint } from './placement';
import type { PodFacts } from './podFacts';
import { nodesPhrase, plainSchedulerMessage } from './schedulerMessage';
import type { PlacementGroup } from './placementGroups';
import type { GpuResourceSummary } from './table';

/**
 * Obstacles on the nodes that offer at least one of the GPU resources the pod needs: taints it
 * does not tolerate (grouped by taint), and nodes its nodeSelector or required affinity rules out.
 * Independent of free capacity, so callers may cache it until a node changes.
 */
export function placementObstacles(facts: PodFacts, groups: Iterable<PlacementGroup>): string[] {
  const byTaint = new Map<string, number>();
  let unmatched = 0;
  let example: { node: string; why: string } | undefined;
  const selective = facts.nodeSelector !== undefined || facts.affinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
  for (const group of groups) {
    let relevant = false;
    for (const resource of facts.gpus.keys()) if (group.resources.has(resource)) relevant = true;
    if (!relevant) continue;
    const taint = untoleratedTaint(group.taints, facts.tolerations);
    if (taint) {
      const text = formatTaint(taint);
      byTaint.set(text, (byTaint.get(text) ?? 0) + group.nodes.size);
      continue;
    }
    if (!selective) continue;
    for (const node of group.nodes.values()) {
      const mismatch =
        nodeSelectorMismatch(node.labels, facts.nodeSelector) ??
        nodeAffinityMismatch({ metadata: { name: node.name, labels: { ...node.labels } } }, facts.affinity);
      if (mismatch) {
        unmatched++;
        if (!example || node.name < example.node) example = { node: node.name, why: mismatch };
      }
    }
  }
  const out: string[] = [];
  for (const [taint, n] of [...byTaint].sort((a, b) => b[1] - a[1])) {
    out.push(
      taint === 'node.kubernetes.io/unschedulable:NoSchedule'
        ? `${nodesPhrase(n)} ${n === 1 ? 'is' : 'are'} cordoned`
        : `${nodesPhrase(n)} ${n === 1 ? 'has' : 'have'} the taint ${taint} that the pod does not tolerate`,
    );
  }
  if (unmatched > 0) {
    out.push(
      `${nodesPhrase(unmatched)} with its GPUs ${unmatched === 1 ? 'does' : 'do'} not match its nodeSelector or node affinity (${example?.node}: ${example?.why})`,
    );
  }
  return out;
}

/** What the pod needs against what the cluster has free, one phrase per GPU resource. */
export function capacityPhrases(
  facts: PodFacts,
  summaries: ReadonlyMap<string, GpuResourceSummary>,
  nodesKnown: boolean,
): string[] {
  const out: string[] = [];
  for (const { resource, count } of facts.row.gpus) {
    const needs = `needs ${count} ${resource}`;
    const summary = summaries.get(resource);
    if (!nodesKnown) out.push(needs);
    else if (!summary || summary.nodes === 0) out.push(`${needs}; no node offers ${resource}`);
    else if (count > summary.largestAllocatable) {
      out.push(`${needs}; no node has more than ${summary.largestAllocatable} in total`);
    } else if (!summary.largestFree || summary.largestFree.free < count) {
      const free = summary.largestFree;
      out.push(free && free.free > 0 ? `${needs}; the largest free slot is ${free.free} on node ${free.node}` : `${needs}; all ${summary.allocatable} are in use`);
    } else {
      out.push(`${needs}; node ${summary.largestFree.node} has ${summary.largestFree.free} free`);
    }
  }
  return out;
}

/** The full reason: capacity, then placement obstacles, then the scheduler's own verdict. */
export function waitingReason(capacity: readonly string[], obstacles: readonly string[], scheduler: string | undefined): string {
  const parts = [...capacity, ...obstacles];
  const verdict = plainSchedulerMessage(scheduler) ?? scheduler;
  if (verdict) parts.push(`scheduler: ${verdict}`);
  else if (obstacles.length === 0) parts.push('the scheduler has not reported on it yet');
  return parts.join('; ');
}
