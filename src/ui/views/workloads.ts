/**
 * Pods grouped under the workload that runs them, through controller ownerReferences:
 * Pod -> ReplicaSet -> Deployment, Pod -> StatefulSet, Pod -> DaemonSet, Pod -> Job, and a
 * CronJob's Jobs under the CronJob (each Job holding its own pods). A ReplicaSet that is not known
 * (ReplicaSets may not be listed) leads to its Deployment by name and pod-template-hash. Pods whose
 * owner is none of these (or who have none) are bare pods. Pure.
 */
import type { KubeObject, OwnerReference } from '../../kube/types';

export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob' | 'Job' | 'ReplicaSet';

/** Display order of workload kinds in a namespace. */
export const workloadKinds: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Job', 'ReplicaSet'];

/** The objects of one namespace the explorer watches, keyed however the cache keys them. */
export interface NamespaceObjects {
  pods: ReadonlyMap<string, KubeObject>;
  replicaSets: ReadonlyMap<string, KubeObject>;
  deployments: ReadonlyMap<string, KubeObject>;
  statefulSets: ReadonlyMap<string, KubeObject>;
  daemonSets: ReadonlyMap<string, KubeObject>;
  jobs: ReadonlyMap<string, KubeObject>;
  cronJobs: ReadonlyMap<string, KubeObject>;
}

export interface WorkloadGroup {
  kind: WorkloadKind;
  name: string;
  /** Undefined while the owner is not (yet) in the cache; the group still shows its pods. */
  object?: KubeObject;
  pods: KubeObject[];
  /** A CronJob's Jobs, newest first, each with its pods (the CronJob itself holds no pods). */
  jobs?: WorkloadGroup[];
}

export interface GroupedNamespace {
  workloads: WorkloadGroup[];
  barePods: KubeObject[];
}

export function controllerOf(obj: KubeObject): OwnerReference | undefined {
  const refs = obj.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? (refs.length === 1 ? refs[0] : undefined);
}

function byName(objects: ReadonlyMap<string, KubeObject>): Map<string, KubeObject> {
  const out = new Map<string, KubeObject>();
  for (const o of objects.values()) out.set(o.metadata.name, o);
  return out;
}

/** Kubernetes names are lowercase ASCII, so code-unit order is kubectl's order (and much cheaper). */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const compareNames = (a: { metadata: { name: string } }, b: { metadata: { name: string } }): number =>
  byCodeUnits(a.metadata.name, b.metadata.name);

export function groupWorkloads(objs: NamespaceObjects): GroupedNamespace {
  const replicaSets = byName(objs.replicaSets);
  const groups = new Map<string, WorkloadGroup>();
  const group = (kind: WorkloadKind, name: string): WorkloadGroup => {
    const key = `${kind}/${name}`;
    let g = groups.get(key);
    if (!g) {
      g = { kind, name, pods: [] };
      groups.set(key, g);
    }
    return g;
  };
  /** Jobs a CronJob started, by Job name; they are rows under their CronJob, not in the namespace. */
  const cronJobRuns = new Map<string, WorkloadGroup>();
  const cronJobRun = (job: string, cronJob: string): WorkloadGroup => {
    let g = cronJobRuns.get(job);
    if (!g) {
      g = { kind: 'Job', name: job, pods: [] };
      cronJobRuns.set(job, g);
      const parent = group('CronJob', cronJob);
      (parent.jobs ??= []).push(g);
    }
    return g;
  };

  const owned: Array<[WorkloadKind, ReadonlyMap<string, KubeObject>]> = [
    ['Deployment', objs.deployments],
    ['StatefulSet', objs.statefulSets],
    ['DaemonSet', objs.daemonSets],
    ['CronJob', objs.cronJobs],
  ];
  for (const [kind, map] of owned) for (const o of map.values()) group(kind, o.metadata.name).object = o;
  const jobs = byName(objs.jobs);
  for (const job of objs.jobs.values()) {
    const cronJob = cronJobOf(job);
    if (cronJob) cronJobRun(job.metadata.name, cronJob).object = job;
    else group('Job', job.metadata.name).object = job;
  }

  const barePods: KubeObject[] = [];
  for (const pod of objs.pods.values()) {
    const owner = controllerOf(pod);
    if (owner?.kind === 'Job') {
      const job = jobs.get(owner.name);
      const cronJob = job && cronJobOf(job);
      (cronJob ? cronJobRun(owner.name, cronJob) : group('Job', owner.name)).pods.push(pod);
      continue;
    }
    const target = owner && resolveWorkload(owner, replicaSets, pod, objs.deployments);
    if (target) group(target.kind, target.name).pods.push(pod);
    else barePods.push(pod);
  }

  const workloads = [...groups.values()];
  for (const g of [...workloads, ...cronJobRuns.values()]) g.pods.sort(compareNames);
  for (const g of workloads) g.jobs?.sort(newestFirst);
  workloads.sort((a, b) => workloadKinds.indexOf(a.kind) - workloadKinds.indexOf(b.kind) || byCodeUnits(a.name, b.name));
  barePods.sort(compareNames);
  return { workloads, barePods };
}

/** The CronJob that started a Job, if one did. */
function cronJobOf(job: KubeObject): string | undefined {
  const owner = controllerOf(job);
  return owner?.kind === 'CronJob' ? owner.name : undefined;
}

/** A CronJob's runs, the latest on top (Job names end in the scheduled minute, so names break ties). */
function newestFirst(a: WorkloadGroup, b: WorkloadGroup): number {
  const at = (g: WorkloadGroup) => g.object?.metadata.creationTimestamp ?? '';
  return byCodeUnits(at(b), at(a)) || byCodeUnits(b.name, a.name);
}

/**
 * The Deployment a pod's ReplicaSet belongs to when the ReplicaSet itself is not known (the user
 * may not list ReplicaSets): a Deployment's ReplicaSet is named `<deployment>-<pod-template-hash>`
 * and its pods carry that hash as a label. A Deployment in view must also select the pod.
 */
function deploymentByHash(owner: OwnerReference, pod: KubeObject, deployments: ReadonlyMap<string, KubeObject>): string | undefined {
  const hash = pod.metadata.labels?.['pod-template-hash'];
  if (!hash || !owner.name.endsWith(`-${hash}`)) return undefined;
  const name = owner.name.slice(0, -hash.length - 1);
  if (!name) return undefined;
  const deployment = [...deployments.values()].find((d) => d.metadata.name === name);
  if (!deployment) return deployments.size === 0 ? name : undefined;
  const selector = (deployment.spec as { selector?: { matchLabels?: Record<string, string> } } | undefined)?.selector?.matchLabels ?? {};
  return Object.entries(selector).every(([k, v]) => pod.metadata.labels?.[k] === v) ? name : undefined;
}

function resolveWorkload(owner: OwnerReference, replicaSets: Map<string, KubeObject>, pod: KubeObject, deployments: ReadonlyMap<string, KubeObject>): { kind: WorkloadKind; name: string } | undefined {
  switch (owner.kind) {
    case 'ReplicaSet': {
      const up = replicaSets.get(owner.name);
      const top = up && controllerOf(up);
      if (top?.kind === 'Deployment') return { kind: 'Deployment', name: top.name };
      const byHash = up ? undefined : deploymentByHash(owner, pod, deployments);
      return byHash ? { kind: 'Deployment', name: byHash } : { kind: 'ReplicaSet', name: owner.name };
    }
    case 'StatefulSet':
    case 'DaemonSet':
      return { kind: owner.kind, name: owner.name };
    default:
      return undefined;
  }
}

interface WorkloadStatus {
  replicas?: number;
  readyReplicas?: number;
  desiredNumberScheduled?: number;
  numberReady?: number;
  succeeded?: number;
  failed?: number;
  /** A CronJob's running Jobs: object references, not a count. */
  active?: unknown[] | number;
  conditions?: Array<{ type: string; status: string }>;
  lastScheduleTime?: string;
}

interface WorkloadSpec {
  replicas?: number;
  completions?: number;
  schedule?: string;
  suspend?: boolean;
}

/** Rollout state of a workload in a few words, e.g. "2/3 ready", "complete", "*\/5 * * * *". */
export function workloadProgress(g: WorkloadGroup): { text: string; settled: boolean; failed: boolean } {
  const status = (g.object?.status ?? {}) as WorkloadStatus;
  const spec = (g.object?.spec ?? {}) as WorkloadSpec;
  if (!g.object) return { text: `${g.pods.length} pod${g.pods.length === 1 ? '' : 's'}`, settled: true, failed: false };
  switch (g.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet': {
      const want = spec.replicas ?? 1;
      const ready = status.readyReplicas ?? 0;
      return { text: `${ready}/${want} ready`, settled: ready >= want, failed: false };
    }
    case 'DaemonSet': {
      const want = status.desiredNumberScheduled ?? 0;
      const ready = status.numberReady ?? 0;
      return { text: `${ready}/${want} ready`, settled: ready >= want, failed: false };
    }
    case 'Job': {
      const cond = (type: string) => status.conditions?.some((c) => c.type === type && c.status === 'True');
      if (cond('Failed')) return { text: 'failed', settled: true, failed: true };
      if (cond('Complete')) return { text: 'complete', settled: true, failed: false };
      return { text: `${status.succeeded ?? 0}/${spec.completions ?? 1} done`, settled: false, failed: false };
    }
    case 'CronJob': {
      const active = Array.isArray(status.active) ? status.active.length : 0;
      const text = `${spec.schedule ?? ''}${spec.suspend ? ' (suspended)' : ''}${active ? ` · ${active} active` : ''}`;
      return { text, settled: true, failed: false };
    }
  }
}
