/**
 * Values read from the cluster's nodes: label keys and values for node selectors and node
 * affinity (GPU product labels first), the resources nodes advertise (GPUs first, with what is
 * free now when the cluster's pods are being watched), and the taints of GPU nodes. Without a
 * cluster, the well-known names.
 */
import { isGpuResource } from '../rules/gpu';
import { quantityValue } from '../schema/formats';
import type { NodeFacts } from '../types';
import { clusterOrigin, type ValueCandidate, type ValueSources } from './sources';

export type NodeQuery =
  | { type: 'labelKey' }
  | { type: 'labelValue'; key?: string }
  | { type: 'resourceName' }
  | { type: 'taintKey' }
  | { type: 'taintValue'; key?: string };

const WELL_KNOWN_LABELS = ['kubernetes.io/hostname', 'kubernetes.io/os', 'kubernetes.io/arch', 'topology.kubernetes.io/zone', 'topology.kubernetes.io/region', 'node.kubernetes.io/instance-type', 'nvidia.com/gpu.product'];
const GPU_MODEL_LABELS = new Set(['nvidia.com/gpu.product', 'nvidia.com/mig.product', 'amd.com/gpu.product-name', 'cloud.google.com/gke-accelerator', 'k8s.amazonaws.com/accelerator', 'accelerator']);
const STANDARD_RESOURCES: readonly [string, string][] = [
  ['cpu', 'CPU cores: 500m, 2'],
  ['memory', 'bytes: 512Mi, 4Gi'],
  ['ephemeral-storage', 'local scratch space: 10Gi'],
];
const NOT_REQUESTED = new Set(['pods']);

function labelRank(key: string): number {
  if (GPU_MODEL_LABELS.has(key)) return 0;
  if (/^(nvidia\.com|amd\.com|gpu\.intel\.com)\//.test(key) || key.includes('gpu')) return 1;
  return 3;
}

function isGpuNode(n: NodeFacts): boolean {
  return Object.entries(n.allocatable).some(([r, q]) => isGpuResource(r) && quantityValue(q) > 0);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function offline(query: NodeQuery): ValueCandidate[] {
  switch (query.type) {
    case 'labelKey':
      return WELL_KNOWN_LABELS.map((value) => ({ value, kind: 'label', detail: 'well-known node label', rank: labelRank(value), source: 'template', origin: 'well-known Kubernetes and NVIDIA labels' }));
    case 'resourceName':
      return [{ value: 'nvidia.com/gpu', kind: 'resource', detail: 'NVIDIA GPUs (device plugin)', rank: 0, source: 'template', origin: 'the NVIDIA device plugin\'s resource name' }];
    case 'taintKey':
      return [{ value: 'nvidia.com/gpu', kind: 'value', detail: 'the usual GPU node taint', rank: 0, source: 'template', origin: 'the GPU operator\'s usual taint' }];
    default:
      return [];
  }
}

function resourceCandidates(src: ValueSources, nodes: readonly NodeFacts[]): ValueCandidate[] {
  const cluster = src.cluster!;
  const totals = new Map<string, { total: number; nodes: number; largest: number }>();
  for (const n of nodes) {
    for (const [r, q] of Object.entries(n.allocatable)) {
      const v = quantityValue(q);
      if (!(v > 0) || NOT_REQUESTED.has(r) || STANDARD_RESOURCES.some(([s]) => s === r)) continue;
      const t = totals.get(r) ?? { total: 0, nodes: 0, largest: 0 };
      t.total += v;
      t.nodes++;
      t.largest = Math.max(t.largest, v);
      totals.set(r, t);
    }
  }
  return [...totals].map(([resource, t]) => {
    const gpu = isGpuResource(resource);
    const free = gpu ? cluster.freeNow(resource) : undefined;
    const freeText = free ? ` · ${free.free} free now${free.largestFree ? ` (${free.largestFree.free} on ${free.largestFree.node})` : ''}` : '';
    return {
      value: resource,
      kind: 'resource',
      detail: `${t.total} allocatable on ${plural(t.nodes, 'node')}${t.nodes > 1 ? `, at most ${t.largest} on one` : ''}${freeText}`,
      documentation: gpu ? 'A GPU resource: whole units, and the request must equal the limit.' : undefined,
      rank: gpu ? 0 : 2,
      source: 'cluster',
      origin: `${clusterOrigin(cluster)} nodes`,
    };
  });
}

/** Candidates from the cluster's nodes (or well-known names without a cluster). */
export function nodeCandidates(src: ValueSources, query: NodeQuery): ValueCandidate[] {
  const standard: ValueCandidate[] = query.type === 'resourceName'
    ? STANDARD_RESOURCES.map(([value, detail], i) => ({ value, kind: 'resource', detail, rank: 1 + i / 10, source: 'schema', origin: 'Kubernetes resources' }))
    : [];
  const cluster = src.cluster;
  const nodes = cluster?.nodes();
  if (cluster && nodes === undefined) src.pending();
  if (!cluster || !nodes || nodes.length === 0) return [...standard, ...offline(query)];
  const origin = `${clusterOrigin(cluster)} nodes`;
  switch (query.type) {
    case 'labelKey':
    case 'labelValue': {
      const values = new Map<string, Map<string, number>>();
      for (const n of nodes) {
        for (const [k, v] of Object.entries(n.labels)) {
          const m = values.get(k) ?? new Map<string, number>();
          m.set(v, (m.get(v) ?? 0) + 1);
          values.set(k, m);
        }
      }
      if (query.type === 'labelKey') {
        return [...values].map(([key, m]) => ({ value: key, kind: 'label', detail: `${plural([...m.values()].reduce((a, b) => a + b, 0), 'node')}: ${[...m.keys()].slice(0, 3).join(', ')}`, rank: labelRank(key), source: 'cluster', origin }));
      }
      if (!query.key) return [];
      return [...(values.get(query.key) ?? [])].map(([value, count]) => ({ value, kind: 'label', detail: `${query.key}=${value} on ${plural(count, 'node')}`, rank: 1, source: 'cluster', origin }));
    }
    case 'resourceName':
      return [...standard, ...resourceCandidates(src, nodes)];
    case 'taintKey':
    case 'taintValue': {
      const out: ValueCandidate[] = [];
      for (const n of nodes) {
        const gpu = isGpuNode(n);
        for (const t of n.taints) {
          if (query.type === 'taintKey') out.push({ value: t.key, kind: 'value', detail: `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect} on ${gpu ? 'GPU node ' : ''}${n.name}`, rank: gpu ? 0 : 2, source: 'cluster', origin });
          else if (t.key === query.key && t.value) out.push({ value: t.value, kind: 'value', detail: `${t.key}=${t.value}:${t.effect} on ${n.name}`, rank: gpu ? 0 : 2, source: 'cluster', origin });
        }
      }
      return out;
    }
  }
}
