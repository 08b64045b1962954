/**
 * The pod template inside a manifest object: a Pod's own spec, or the template of a Deployment,
 * StatefulSet, DaemonSet, ReplicaSet, Job or CronJob, with how many replicas it asks for.
 */
import { quantityOrError } from './quantity';
import type { ContainerShape, PodSpecShape } from './shapes';

export interface PodTemplate {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly spec: PodSpecShape;
  /** Pods that run at once: spec.replicas, a Job's parallelism, 1 for a Pod. DaemonSets: one per node. */
  readonly replicas: number;
}

interface ManifestLike {
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown };
  spec?: Record<string, unknown>;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function count(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : fallback;
}

/** The pod template of a manifest object, or undefined for kinds that do not run pods. */
export function podTemplateOf(object: unknown): PodTemplate | undefined {
  const o = record(object) as ManifestLike | undefined;
  if (!o || typeof o.kind !== 'string') return undefined;
  const spec = record(o.spec) ?? {};
  const name = typeof o.metadata?.name === 'string' ? o.metadata.name : '';
  const namespace = typeof o.metadata?.namespace === 'string' ? o.metadata.namespace : undefined;
  const base = { kind: o.kind, name, namespace };
  switch (o.kind) {
    case 'Pod':
      return { ...base, spec: spec as PodSpecShape, replicas: 1 };
    case 'Deployment':
    case 'StatefulSet':
    case 'ReplicaSet':
      return { ...base, spec: templateSpec(spec.template), replicas: count(spec.replicas, 1) };
    case 'DaemonSet':
      return { ...base, spec: templateSpec(spec.template), replicas: 1 };
    case 'Job':
      return { ...base, spec: templateSpec(spec.template), replicas: count(spec.parallelism, 1) };
    case 'CronJob': {
      const job = record(record(spec.jobTemplate)?.spec) ?? {};
      return { ...base, spec: templateSpec(job.template), replicas: count(job.parallelism, 1) };
    }
    default:
      return undefined;
  }
}

function templateSpec(template: unknown): PodSpecShape {
  return (record(record(template)?.spec) ?? {}) as PodSpecShape;
}

/** Quantities in the template that are not Kubernetes quantities, each explained. */
export function quantityProblems(spec: PodSpecShape): string[] {
  const problems: string[] = [];
  const check = (list: unknown, what: string) => {
    const r = record(list);
    if (!r) return;
    for (const [resource, value] of Object.entries(r)) {
      const result = quantityOrError(value, `${what} ${resource}`);
      if (result instanceof Error) problems.push(result.message);
    }
  };
  const containers = (list: unknown, noun: string) => {
    if (!Array.isArray(list)) return;
    for (const c of list as ContainerShape[]) {
      const label = `${noun} ${c?.name ?? '(unnamed)'}`;
      check(c?.resources?.requests, `${label}: request`);
      check(c?.resources?.limits, `${label}: limit`);
    }
  };
  containers(spec.containers, 'container');
  containers(spec.initContainers, 'init container');
  check(spec.overhead, 'pod overhead');
  return problems;
}
