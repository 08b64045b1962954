import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ResourceTotals } from '../../../src/gpu/resourceTotals';
import type { GpuNodeRow, GpuResourceSummary } from '../../../src/gpu/table';

function row(name: string, slots: [string, number, number][]): GpuNodeRow {
  return {
    name,
    slots: slots.map(([resource, allocatable, requested]) => ({ resource, allocatable, requested, free: Math.max(0, allocatable - requested) })),
    taints: [],
    ready: true,
    unschedulable: false,
    pods: 0,
  };
}

/** The obvious full computation, to check the incremental one against. */
function bruteForce(rows: Iterable<GpuNodeRow>): GpuResourceSummary[] {
  const acc = new Map<string, { allocatable: number; requested: number; free: number; nodes: number; largestAllocatable: number; largestFree?: { node: string; free: number } }>();
  for (const r of [...rows].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    for (const s of r.slots) {
      const a = acc.get(s.resource) ?? { allocatable: 0, requested: 0, free: 0, nodes: 0, largestAllocatable: 0 };
      acc.set(s.resource, a);
      a.allocatable += s.allocatable;
      a.requested += s.requested;
      a.free += s.free;
      if (s.allocatable > 0) {
        a.nodes++;
        a.largestAllocatable = Math.max(a.largestAllocatable, s.allocatable);
        if (!a.largestFree || s.free > a.largestFree.free) a.largestFree = { node: r.name, free: s.free };
      }
    }
  }
  return [...acc].sort(([x], [y]) => (x < y ? -1 : 1)).map(([resource, a]) => ({ resource, ...a }));
}

test('sums, largest node and largest free slot', () => {
  const totals = new ResourceTotals();
  const rows = new Map<string, GpuNodeRow>();
  const put = (r: GpuNodeRow) => {
    totals.replace(rows.get(r.name), r);
    rows.set(r.name, r);
  };
  put(row('gpu-a', [['nvidia.com/gpu', 8, 8]]));
  put(row('gpu-b', [['nvidia.com/gpu', 4, 2], ['amd.com/gpu', 2, 0]]));
  const s = totals.summaries(() => rows.values());
  assert.deepEqual(s, bruteForce(rows.values()));
  assert.deepEqual(s[1], { resource: 'nvidia.com/gpu', allocatable: 12, requested: 10, free: 2, nodes: 2, largestAllocatable: 8, largestFree: { node: 'gpu-b', free: 2 } });
  assert.equal(totals.summaries(() => rows.values()), s, 'unchanged: same array');
  put(row('gpu-a', [['nvidia.com/gpu', 8, 0]]));
  const t = totals.summaries(() => rows.values());
  assert.equal(t[0], s[0], 'amd.com/gpu summary kept');
  assert.deepEqual(t[1].largestFree, { node: 'gpu-a', free: 8 });
  totals.replace(rows.get('gpu-a'), undefined);
  rows.delete('gpu-a');
  assert.deepEqual(totals.summaries(() => rows.values()), bruteForce(rows.values()));
});

test('matches a full recomputation over a random history', () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const resources = ['nvidia.com/gpu', 'amd.com/gpu', 'nvidia.com/mig-1g.10gb'];
  const totals = new ResourceTotals();
  const rows = new Map<string, GpuNodeRow>();
  for (let step = 0; step < 3000; step++) {
    const name = `n${rand(12)}`;
    const old = rows.get(name);
    if (rand(5) === 0) {
      totals.replace(old, undefined);
      rows.delete(name);
    } else {
      const slots: [string, number, number][] = resources.filter(() => rand(3) > 0).map((r) => [r, rand(9), rand(10)]);
      const next = row(name, slots);
      totals.replace(old, next);
      rows.set(name, next);
    }
    if (rand(3) === 0) assert.deepEqual(totals.summaries(() => rows.values()), bruteForce(rows.values()), `step ${step}`);
  }
});
