/**
 * "Will it schedule?": a pod template against the cluster as the watch cache sees it now. Runs
 * the scheduler's main filters per node (spec.nodeName, nodeSelector, required node affinity,
 * taints and tolerations, free CPU, memory, GPUs and other resources, the pod count) and the
 * namespace's ResourceQuotas, and answers "fits on: …" or why not, per node.
 *
 * It is a prediction, not a promise: the scheduler may also weigh pod (anti-)affinity, topology
 * spread, volumes and ports, and the cluster moves on between the check and the apply.
 */
import { nodeAffinityMismatch, nodeSelectorMismatch, schedulingTaints, formatTaint, tolerates } from './placement';
import { formatQuantity } from './quantity';
import { podRequests, resourceNumbers } from './requests';
import { checkQuotas, type QuotaVerdict } from './quotaCheck';
import { quantityProblems, type PodTemplate } from './podTemplate';
import { isFinished, type NodeShape, type PodShape, type ResourceQuotaShape } from './shapes';

export interface PreflightCluster {
  readonly nodes: Iterable<NodeShape>;
  /** Requests of unfinished pods per node, including a "pods" count; see nodeUsage(). */
  readonly usage: ReadonlyMap<string, ReadonlyMap<string, number>>;
  readonly quotas?: Iterable<ResourceQuotaShape>;
}

export type ObstacleKind = 'pinned' | 'selector' | 'affinity' | 'taint' | 'resource';

export interface Obstacle {
  readonly kind: ObstacleKind;
  /** For kind "resource": which one. */
  readonly resource?: string;
  readonly text: string;
}

export interface NodeVerdict {
  readonly node: string;
  readonly fits: boolean;
  readonly obstacles: readonly Obstacle[];
  /** How many pods of this template the node could take now (0 when it does not fit). */
  readonly room: number;
}

export interface PreflightResult {
  /** The pod's effective requests (init containers as a maximum, overhead added). */
  readonly requests: readonly { readonly resource: string; readonly amount: number; readonly shown: string }[];
  readonly fitsOn: readonly string[];
  readonly nodes: readonly NodeVerdict[];
  readonly quotas: readonly QuotaVerdict[];
  /** Values in the template that are not valid and were ignored. */
  readonly problems: readonly string[];
  readonly replicas: { readonly wanted: number; readonly fitNow: number };
  /** One line: "fits on: gpu-a, gpu-b" or why not. */
  readonly summary: string;
}

/** Requests of the unfinished pods bound to each node, plus how many there are ("pods"). */
export function nodeUsage(pods: Iterable<PodShape>): Map<string, Map<string, number>> {
  const usage = new Map<string, Map<string, number>>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (!node || isFinished(pod)) continue;
    let used = usage.get(node);
    if (!used) usage.set(node, (used = new Map()));
    for (const [resource, n] of podRequests(pod.spec)) used.set(resource, (used.get(resource) ?? 0) + n);
    used.set('pods', (used.get('pods') ?? 0) + 1);
  }
  return usage;
}

export function preflight(template: PodTemplate, cluster: PreflightCluster, namespace = template.namespace ?? 'default'): PreflightResult {
  const spec = template.spec;
  const needs = podRequests(spec);
  const perPod = new Map(needs);
  perPod.set('pods', 1);
  const verdicts: NodeVerdict[] = [];
  for (const node of cluster.nodes) {
    const name = node.metadata?.name;
    if (!name) continue;
    verdicts.push(judgeNode(node, name, template, perPod, cluster.usage.get(name)));
  }
  verdicts.sort((a, b) => Number(b.fits) - Number(a.fits) || b.room - a.room || (a.node < b.node ? -1 : 1));
  const fitsOn = verdicts.filter((v) => v.fits).map((v) => v.node);
  const quotas = checkQuotas(template, namespace, cluster.quotas ?? []);
  const wanted = template.kind === 'DaemonSet' ? verdicts.length : template.replicas;
  const room = template.kind === 'DaemonSet' ? fitsOn.length : verdicts.reduce((sum, v) => sum + v.room, 0);
  const replicas = { wanted, fitNow: Math.min(wanted, room) };
  return {
    requests: [...needs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, amount]) => ({ resource, amount, shown: formatQuantity(resource, amount) })),
    fitsOn,
    nodes: verdicts,
    quotas,
    problems: quantityProblems(spec),
    replicas,
    summary: summarize(template, verdicts, fitsOn, quotas, replicas),
  };
}

function judgeNode(
  node: NodeShape,
  name: string,
  template: PodTemplate,
  perPod: ReadonlyMap<string, number>,
  used: ReadonlyMap<string, number> | undefined,
): NodeVerdict {
  const spec = template.spec;
  const obstacles: Obstacle[] = [];
  if (spec.nodeName && spec.nodeName !== name) {
    obstacles.push({ kind: 'pinned', text: `the pod is pinned to node ${spec.nodeName} by spec.nodeName` });
  }
  const selector = nodeSelectorMismatch(node.metadata?.labels, spec.nodeSelector);
  if (selector) obstacles.push({ kind: 'selector', text: selector });
  const affinity = nodeAffinityMismatch(node, spec.affinity?.nodeAffinity);
  if (affinity) obstacles.push({ kind: 'affinity', text: affinity });
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const taint of schedulingTaints(node)) {
    if (!tolerations.some((t) => t && tolerates(t, taint))) {
      obstacles.push({ kind: 'taint', text: `taint ${formatTaint(taint)} is not tolerated` });
    }
  }
  const allocatable = resourceNumbers(node.status?.allocatable ?? node.status?.capacity);
  let room = Infinity;
  for (const [resource, need] of perPod) {
    const total = allocatable.get(resource);
    const free = Math.max(0, (total ?? 0) - (used?.get(resource) ?? 0));
    room = Math.min(room, Math.floor(free / need + 1e-9));
    if (need <= free + 1e-9) continue;
    let text: string;
    if (resource === 'pods') text = `already runs ${used?.get('pods') ?? 0} pods, its maximum of ${total ?? 0}`;
    else if (total === undefined || total === 0) text = `needs ${formatQuantity(resource, need)} ${resource}; the node has none`;
    else text = `needs ${formatQuantity(resource, need)} ${resource}, ${formatQuantity(resource, free)} of ${formatQuantity(resource, total)} free`;
    obstacles.push({ kind: 'resource', resource, text });
  }
  const fits = obstacles.length === 0;
  return { node: name, fits, obstacles, room: fits ? room : 0 };
}

function summarize(
  template: PodTemplate,
  verdicts: readonly NodeVerdict[],
  fitsOn: readonly string[],
  quotas: readonly QuotaVerdict[],
  replicas: PreflightResult['replicas'],
): string {
  const overQuota = quotas.filter((q) => !q.fits);
  const quotaText = overQuota.map((q) => q.text).join('; ');
  if (verdicts.length === 0) {
    const base = 'no nodes are visible (listing nodes may not be allowed), so placement cannot be checked';
    return overQuota.length > 0 ? `${base}; quota: ${quotaText}` : base;
  }
  let line: string;
  if (fitsOn.length > 0) {
    const shown = fitsOn.slice(0, 5).join(', ');
    line = `fits on: ${shown}${fitsOn.length > 5 ? ` and ${fitsOn.length - 5} more` : ''}`;
    if (replicas.wanted > 1 && replicas.fitNow < replicas.wanted) {
      line += ` (room for ${replicas.fitNow} of ${replicas.wanted} ${template.kind === 'DaemonSet' ? 'nodes' : 'replicas'} now)`;
    }
  } else {
    const counts = new Map<string, number>();
    for (const v of verdicts) {
      for (const key of new Set(v.obstacles.map(categoryOf))) counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const why = [...counts].sort((a, b) => b[1] - a[1]).map(([key, n]) => `${n} ${categoryPhrase(key, n)}`);
    line = `fits on no node (${verdicts.length} checked): ${why.join(', ')}`;
  }
  return overQuota.length > 0 ? `${line}; but quota: ${quotaText}` : line;
}

/** Nodes with the same kind of problem are counted together: "resource:nvidia.com/gpu", "taint", … */
function categoryOf(o: Obstacle): string {
  return o.kind === 'resource' ? `resource:${o.resource}` : o.kind;
}

function categoryPhrase(category: string, n: number): string {
  const one = n === 1;
  if (category.startsWith('resource:')) {
    const resource = category.slice('resource:'.length);
    if (resource === 'pods') return one ? 'is full of pods' : 'are full of pods';
    return `${one ? 'has' : 'have'} too little free ${resource}`;
  }
  switch (category) {
    case 'pinned':
      return `${one ? 'is' : 'are'} not the node named in spec.nodeName`;
    case 'selector':
      return `${one ? 'does' : 'do'} not match its nodeSelector`;
    case 'affinity':
      return `${one ? 'fails' : 'fail'} its required node affinity`;
    default:
      return `${one ? 'has' : 'have'} a taint it does not tolerate`;
  }
}
