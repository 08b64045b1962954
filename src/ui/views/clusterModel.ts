/**
 * The Cluster view as plain data: contexts -> namespaces -> workloads -> pods -> containers, plus
 * message rows (loading, errors, hints). Pure: built from cached objects, mapped to TreeItems in
 * clusterItems.ts. Node ids are stable across rebuilds so VS Code keeps expansion and selection.
 * Ages are not in the nodes: the mapper reads them at render time, so a row whose age moves on
 * is re-rendered as it is, without rebuilding (and re-registering) anything.
 */
import type { KubeObject } from '../../kube/types';
import type { Explanation } from '../../kube/errors';
import type { ContextSummary } from '../../kube/config';
import { failureHeadline, isClusterWide } from '../../kube/failureCause';
import { hasPreviousRun, summarizeContainer, summarizePod, podSpecOf, podStatusOf, type Health, type PodSummary } from './podSummary';
import { groupWorkloads, workloadProgress, type NamespaceObjects, type WorkloadGroup, type WorkloadKind } from './workloads';
import { editorRemedy } from '../stepWords';

export const managedByLabel = 'app.kubernetes.io/managed-by';

export interface ContextNode {
  type: 'context';
  id: string;
  context: ContextSummary;
  selected: boolean;
}

export interface NamespaceNode {
  type: 'namespace';
  id: string;
  context: string;
  name: string;
}

export interface WorkloadNode {
  type: 'workload';
  id: string;
  context: string;
  namespace: string;
  kind: WorkloadKind;
  name: string;
  object?: KubeObject;
  /** Its progress, e.g. "2/3 ready", "* * * * * · 1 active"; the row adds the age. */
  description: string;
  /** metadata.creationTimestamp of the workload, for its age. */
  createdAt?: string;
  health: Health;
  pods: PodNode[];
  /** A CronJob's Jobs (rows under it, newest first), each with its pods; empty for other kinds. */
  jobs: WorkloadNode[];
}

export interface PodNode {
  type: 'pod';
  id: string;
  context: string;
  namespace: string;
  name: string;
  object: KubeObject;
  summary: PodSummary;
  managed: boolean;
}

export interface ContainerNode {
  type: 'container';
  id: string;
  context: string;
  namespace: string;
  pod: string;
  name: string;
  init: boolean;
  text: string;
  health: Health;
  message?: string;
  /** Restarted and not running: logs should start with the previous run's. */
  previousRun: boolean;
}

export type MessageAction = 'retry' | 'selectContext' | 'filterNamespaces';

export interface MessageNode {
  type: 'message';
  id: string;
  severity: 'error' | 'warning' | 'info' | 'loading';
  label: string;
  error?: Explanation;
  action?: { kind: MessageAction; context?: string };
}

export type ClusterNode = ContextNode | NamespaceNode | WorkloadNode | PodNode | ContainerNode | MessageNode;

/** Nodes that stand for one Kubernetes object (what describe, copy and delete act on). */
export type ObjectNode = WorkloadNode | PodNode;

const nodeId = (...parts: string[]): string => JSON.stringify(parts);

export function isManagedByTether(obj: KubeObject | undefined): boolean {
  return obj?.metadata.labels?.[managedByLabel] === 'tether';
}

export function contextNode(context: ContextSummary, selected: boolean): ContextNode {
  return { type: 'context', id: nodeId(context.name), context, selected };
}

export function namespaceNode(context: string, name: string): NamespaceNode {
  return { type: 'namespace', id: nodeId(context, name), context, name };
}

export function messageNode(
  parentId: string,
  severity: MessageNode['severity'],
  label: string,
  extra: Pick<MessageNode, 'error' | 'action'> = {},
): MessageNode {
  return { type: 'message', id: nodeId(parentId, 'message', severity, label), severity, label, ...extra };
}

/**
 * A message row for a failure: its text says what failed (or, when the cluster itself could not
 * be read, only that); the tooltip (mapper) says why and what next.
 */
export function errorNode(parentId: string, error: Explanation, context?: string): MessageNode {
  const action: MessageNode['action'] =
    error.reason === 'UnknownContext' ? { kind: 'selectContext', context } : { kind: 'retry', context };
  const label = isClusterWide(error) ? `${failureHeadline({ ...error, context: error.context ?? context })}: ${error.why}` : `${error.what}: ${error.why}`;
  return messageNode(parentId, 'error', label, { error, action });
}

/**
 * The rows of a context whose cluster could not be read: the failure, then the next step as a row
 * of its own (click to retry). Other failures are one row; the tooltip has the next step.
 */
export function failureNodes(parentId: string, error: Explanation, context?: string): MessageNode[] {
  const row = errorNode(parentId, error, context);
  if (!isClusterWide(error)) return [row];
  return [row, messageNode(parentId, 'info', `Next: ${editorRemedy(error)}`, { action: row.action })];
}

export function podNode(context: string, namespace: string, pod: KubeObject): PodNode {
  return {
    type: 'pod',
    id: nodeId(context, namespace, 'Pod', pod.metadata.name),
    context,
    namespace,
    name: pod.metadata.name,
    object: pod,
    summary: summarizePod(pod),
    managed: isManagedByTether(pod),
  };
}

/**
 * Pod rows reused across rebuilds: a pod object the watch has not replaced keeps its summary, so a
 * refresh of a namespace with thousands of pods only summarizes the pods that changed. Owned by
 * the tree provider; entries go with the objects (WeakMap).
 */
export class PodNodeCache {
  private readonly nodes = new WeakMap<KubeObject, PodNode>();

  node(context: string, namespace: string, pod: KubeObject): PodNode {
    const cached = this.nodes.get(pod);
    if (cached && cached.context === context) return cached;
    const fresh = podNode(context, namespace, pod);
    this.nodes.set(pod, fresh);
    return fresh;
  }
}

const healthRank: Health[] = ['succeeded', 'ok', 'progressing', 'pending', 'terminating', 'warning', 'error'];

function worst(healths: Health[]): Health | undefined {
  let out: Health | undefined;
  for (const h of healths) if (!out || healthRank.indexOf(h) > healthRank.indexOf(out)) out = h;
  return out;
}

/** Children of one namespace: workloads (each holding its pods, a CronJob its Jobs), then bare pods. */
export function buildNamespaceChildren(
  context: string,
  namespace: string,
  objs: NamespaceObjects,
  cache: PodNodeCache = new PodNodeCache(),
): Array<WorkloadNode | PodNode> {
  const { workloads, barePods } = groupWorkloads(objs);
  const out: Array<WorkloadNode | PodNode> = workloads.map((g) => workloadNode(context, namespace, g, cache));
  for (const p of barePods) out.push(cache.node(context, namespace, p));
  return out;
}

function workloadNode(context: string, namespace: string, g: WorkloadGroup, cache: PodNodeCache): WorkloadNode {
  const pods = g.pods.map((p) => cache.node(context, namespace, p));
  const jobs = (g.jobs ?? []).map((j) => workloadNode(context, namespace, j, cache));
  const progress = workloadProgress(g);
  const podHealth = worst(pods.map((p) => p.summary.health).filter((h) => h !== 'succeeded' || g.kind === 'Job'));
  // A CronJob is as well as its latest run; older runs are history.
  const latest = jobs[0]?.health;
  const health: Health = progress.failed
    ? 'error'
    : g.kind === 'CronJob'
      ? latest && latest !== 'succeeded' ? latest : 'ok'
      : podHealth === 'error' || podHealth === 'warning'
        ? podHealth
        : progress.settled
          ? g.kind === 'Job' && progress.text === 'complete' ? 'succeeded' : 'ok'
          : 'progressing';
  return {
    type: 'workload',
    id: nodeId(context, namespace, g.kind, g.name),
    context,
    namespace,
    kind: g.kind,
    name: g.name,
    object: g.object,
    description: progress.text,
    createdAt: g.object?.metadata.creationTimestamp,
    health,
    pods,
    jobs,
  };
}

/** Every pod under a workload row, its Jobs' pods included. */
export function podsOf(node: WorkloadNode): PodNode[] {
  return node.jobs.length ? [...node.pods, ...node.jobs.flatMap(podsOf)] : node.pods;
}

/** Containers of a pod: init containers first (marked), then the regular ones. */
export function buildContainerChildren(pod: PodNode): ContainerNode[] {
  const spec = podSpecOf(pod.object);
  const status = podStatusOf(pod.object);
  const make = (name: string, init: boolean): ContainerNode => {
    const statuses = init ? status.initContainerStatuses : status.containerStatuses;
    const s = summarizeContainer(statuses?.find((c) => c.name === name));
    return {
      type: 'container',
      id: nodeId(pod.context, pod.namespace, 'Pod', pod.name, init ? 'init' : 'container', name),
      context: pod.context,
      namespace: pod.namespace,
      pod: pod.name,
      name,
      init,
      text: s.text,
      health: s.health,
      message: s.message,
      previousRun: hasPreviousRun(pod.object, name),
    };
  };
  return [
    ...(spec.initContainers ?? []).map((c) => make(c.name, true)),
    ...(spec.containers ?? []).map((c) => make(c.name, false)),
  ];
}

/**
 * One line summing up a namespace's pods for its row, e.g. "12 pods · 2 failing · 1 GPU held · 8
 * waiting": GPUs of pods bound to a node apart from those of pods still waiting for one; finished
 * pods hold none.
 */
export function namespaceSummary(children: Array<WorkloadNode | PodNode>): string {
  const pods = children.flatMap((c) => (c.type === 'pod' ? [c] : podsOf(c)));
  const failing = pods.filter((p) => p.summary.health === 'error').length;
  let held = 0;
  let waiting = 0;
  for (const p of pods) {
    const gpus = p.summary.gpus.total;
    if (gpus === 0 || p.summary.phase === 'Succeeded' || p.summary.phase === 'Failed') continue;
    if ((p.object.spec as { nodeName?: string } | undefined)?.nodeName) held += gpus;
    else waiting += gpus;
  }
  const parts = [`${pods.length} pod${pods.length === 1 ? '' : 's'}`];
  if (failing) parts.push(`${failing} failing`);
  const unit = (n: number) => `GPU${n === 1 ? '' : 's'}`;
  if (held) parts.push(`${held} ${unit(held)} held`);
  if (waiting) parts.push(held ? `${waiting} waiting` : `${waiting} ${unit(waiting)} waiting`);
  return parts.join(' · ');
}

/** Every row of a namespace that shows an age: workloads, a CronJob's Jobs, pods. */
export function* agedRows(children: ReadonlyArray<WorkloadNode | PodNode>): Generator<WorkloadNode | PodNode> {
  for (const c of children) {
    yield c;
    if (c.type === 'workload') {
      yield* agedRows(c.jobs);
      yield* c.pods;
    }
  }
}

/** When a row was created, for its age. */
export function createdAt(row: WorkloadNode | PodNode): string | undefined {
  return row.type === 'pod' ? row.object.metadata.creationTimestamp : row.createdAt;
}
