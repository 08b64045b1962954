/**
 * What the GPU index keeps of one pod that asks for GPUs: its request, where it runs, who owns
 * it, and what it needs to be placed. Everything else of the pod is dropped.
 */
import { mentionsAny, podRequests, type ResourceFilter } from './requests';
import { isFinished, podKeyOf, type NodeAffinity, type PodShape, type Toleration } from './shapes';
import type { GpuOwner, GpuPodRow } from './table';

export interface PodFacts {
  readonly row: GpuPodRow;
  readonly gpus: ReadonlyMap<string, number>;
  /** What it asks for as one string ("nvidia.com/gpu=4"), for grouping pods with equal needs. */
  readonly needs: string;
  readonly tolerations?: readonly Toleration[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  readonly affinity?: NodeAffinity;
  /** The PodScheduled=False condition's message, which outlives the scheduler's events. */
  readonly unschedulableMessage?: string;
}

/** Facts of a pod that holds or waits for GPUs; undefined for pods without GPUs or finished ones. */
export function podFacts(pod: PodShape, isGpu: ResourceFilter): PodFacts | undefined {
  if (isFinished(pod) || !mentionsAny(pod.spec, isGpu)) return undefined;
  const gpus = podRequests(pod.spec, isGpu);
  if (gpus.size === 0) return undefined;
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const conditions = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
  const scheduled = conditions.find((c) => c?.type === 'PodScheduled');
  const row: GpuPodRow = {
    key: podKeyOf(meta),
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid,
    node: spec.nodeName || undefined,
    phase: pod.status?.phase,
    ready: conditions.some((c) => c?.type === 'Ready' && c.status === 'True'),
    gpus: [...gpus].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, count]) => ({ resource, count })),
    owner: ownerOf(pod),
    createdAt: meta.creationTimestamp,
  };
  return {
    row,
    gpus,
    needs: row.gpus.map((g) => `${g.resource}=${g.count}`).join(','),
    tolerations: Array.isArray(spec.tolerations) ? spec.tolerations : undefined,
    nodeSelector: spec.nodeSelector && typeof spec.nodeSelector === 'object' ? spec.nodeSelector : undefined,
    affinity: spec.affinity?.nodeAffinity,
    unschedulableMessage: scheduled?.status === 'False' ? scheduled.message : undefined,
  };
}

/**
 * The workload that owns the pod: its controller reference, with a ReplicaSet named
 * `<deployment>-<pod-template-hash>` reported as the Deployment it belongs to.
 */
export function ownerOf(pod: PodShape): GpuOwner | undefined {
  const refs = Array.isArray(pod.metadata?.ownerReferences) ? pod.metadata.ownerReferences : [];
  const ref = refs.find((r) => r?.controller) ?? refs[0];
  if (!ref) return undefined;
  const hash = pod.metadata?.labels?.['pod-template-hash'];
  if (ref.kind === 'ReplicaSet' && hash && ref.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: ref.name.slice(0, -(hash.length + 1)) };
  }
  return { kind: ref.kind, name: ref.name };
}
