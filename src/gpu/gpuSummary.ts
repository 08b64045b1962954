/**
 * The GPU table in one line, for the status bar and the cluster explorer's tooltips:
 * "6/8 GPUs · 1/7 MIG slices · 1 waiting", with a per-resource tooltip.
 */
import { isMigProfile } from './gpuResources';
import type { GpuTable } from './table';

export interface GpuSummary {
  /** Empty when the cluster has no GPUs and no pod waits for one. */
  readonly text: string;
  readonly tooltip: string;
  /** True when pods wait for GPUs: worth a warning colour. */
  readonly attention: boolean;
}

/**
 * `capacityKnown`: false when nodes could not be read: what the readable pods hold is all there is
 * to say ("2 GPUs held · 1 waiting").
 */
export function gpuSummary(table: GpuTable, maxWaitingShown = 5, capacityKnown = true): GpuSummary {
  let gpus = 0;
  let gpusUsed = 0;
  let slices = 0;
  let slicesUsed = 0;
  for (const r of table.resources) {
    if (isMigProfile(r.resource)) {
      slices += r.allocatable;
      slicesUsed += r.requested;
    } else {
      gpus += r.allocatable;
      gpusUsed += r.requested;
    }
  }
  const waiting = table.waiting.length;
  const parts: string[] = [];
  if (!capacityKnown) {
    const held = table.holders.reduce((sum, p) => sum + p.gpus.filter((g) => !isMigProfile(g.resource)).reduce((n, g) => n + g.count, 0), 0);
    if (held > 0) parts.push(`${held} GPU${held === 1 ? '' : 's'} held`);
  }
  if (gpus > 0) parts.push(`${gpusUsed}/${gpus} GPUs`);
  if (slices > 0) parts.push(`${slicesUsed}/${slices} MIG slices`);
  if (waiting > 0) parts.push(`${waiting} waiting`);
  const lines = capacityKnown ? [] : ['Capacity unknown: nodes cannot be listed with your permissions.'];
  lines.push(...table.resources.map((r) => `${r.resource}: ${r.requested} requested of ${r.allocatable} on ${r.nodes} node${r.nodes === 1 ? '' : 's'}, ${r.free} free`));
  if (waiting > 0) {
    lines.push('', `Waiting for GPUs:`);
    for (const w of table.waiting.slice(0, maxWaitingShown)) lines.push(`${w.key}: ${w.reason}`);
    if (waiting > maxWaitingShown) lines.push(`and ${waiting - maxWaitingShown} more`);
  }
  return { text: parts.join(' · '), tooltip: lines.join('\n'), attention: waiting > 0 };
}
