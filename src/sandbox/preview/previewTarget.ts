/**
 * Where a preview connection goes: the entry Service -> its selector -> a ready pod -> the pod port
 * the Service port targets (a named targetPort resolved in that pod's containers). When no pod is
 * ready, the error names the pod and why, from its status.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { entryServicePort } from './entryPort';

export interface PreviewEntry {
  namespace: string;
  service: string;
  /** The Service port to enter through; default its first. */
  port?: number;
}

export interface PreviewTarget {
  pod: string;
  /** The container port in the pod. */
  port: number;
}

interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  ports?: { name?: string; port: number; targetPort?: number | string }[];
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: { name: string; ready?: boolean; restartCount?: number; state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } } }[];
}

export function isPodReady(pod: KubeObject): boolean {
  const status = (pod.status ?? {}) as PodStatus;
  return !pod.metadata.deletionTimestamp && status.phase === 'Running' && (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Why a pod is not ready, in a few words, from its status. */
export function podProblem(pod: KubeObject): string {
  const status = (pod.status ?? {}) as PodStatus;
  const name = `pod "${pod.metadata.name}"`;
  if (pod.metadata.deletionTimestamp) return `${name} is shutting down`;
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    const restarts = c.restartCount ? `, ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}` : '';
    if (waiting?.reason && waiting.reason !== 'ContainerCreating') return `${name} is waiting: container "${c.name}" ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}${restarts}`;
    if (c.state?.terminated) return `${name}: container "${c.name}" exited (${c.state.terminated.reason ?? `exit code ${c.state.terminated.exitCode}`})${restarts}`;
  }
  if (status.phase === 'Pending') {
    const unscheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled) return `${name} cannot be scheduled: ${unscheduled.message ?? unscheduled.reason ?? 'no node fits'}`;
    return `${name} is starting (Pending)`;
  }
  if (status.phase && status.phase !== 'Running') return `${name} is ${status.phase}`;
  const notReady = status.conditions?.find((c) => c.type === 'Ready' && c.status !== 'True');
  return `${name} is running but not ready${notReady?.message ? ` (${notReady.message})` : ' (its readiness probe fails)'}`;
}

function selects(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

/** The container port a Service port targets in `pod`. */
export function targetPortIn(pod: KubeObject, target: number | string): number | undefined {
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod.spec as { containers?: { ports?: { name?: string; containerPort: number }[] }[] } | undefined)?.containers ?? []);
  return containers.flatMap((c) => c.ports ?? []).find((p) => p.name === target)?.containerPort;
}

/** Resolves the entry to one ready pod and port; throws an ExplainedError that names the problem. */
export async function resolvePreviewTarget(client: KubeClient, entry: PreviewEntry, signal?: AbortSignal): Promise<PreviewTarget> {
  const what = `Open the preview through Service "${entry.service}" in namespace "${entry.namespace}"`;
  const service = await client.get<KubeObject>(kinds.Service, entry.namespace, entry.service, signal).catch((err: unknown) => {
    if (err instanceof ExplainedError && err.reason === 'NotFound') {
      throw new ExplainedError({ reason: 'NotFound', what, why: 'that Service does not exist', remedy: 'Check preview.service in tether.yaml, or create the sandbox again', step: { code: 'preview' } });
    }
    throw err;
  });
  const spec = (service.spec ?? {}) as ServiceSpec;
  const ports = spec.ports ?? [];
  const servicePort = entryServicePort(ports, entry.port);
  if (!servicePort) {
    const known = ports.map((p) => p.port).join(', ') || 'none';
    throw new ExplainedError({ reason: 'Invalid', what, why: entry.port === undefined ? 'the Service has no ports' : `the Service has no port ${entry.port} (it has: ${known})`, remedy: 'Fix preview.port in tether.yaml' });
  }
  const selector = spec.selector ?? {};
  if (Object.keys(selector).length === 0) {
    throw new ExplainedError({ reason: 'Invalid', what, why: `the Service has no selector${spec.type === 'ExternalName' ? ' (it is an ExternalName alias of a baseline service that is not forked)' : ''}, so there is no pod to forward to`, remedy: 'Point preview.service at a forked workload\'s Service in tether.yaml' });
  }
  const labelSelector = Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(',');
  const { items } = await client.list<KubeObject>(kinds.Pod, entry.namespace, { labelSelector, signal });
  const pods = items.filter((p) => selects(selector, p.metadata.labels));
  const ready = pods.filter(isPodReady).sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  const target = servicePort.targetPort ?? servicePort.port;
  for (const pod of ready) {
    const port = targetPortIn(pod, target);
    if (port !== undefined) return { pod: pod.metadata.name, port };
  }
  if (ready.length > 0) {
    throw new ExplainedError({ reason: 'Invalid', what, why: `the Service targets port "${target}", which no container of pod "${ready[0].metadata.name}" names`, remedy: 'Fix the targetPort of the Service or the container port names' });
  }
  if (pods.length === 0) {
    throw new ExplainedError({ reason: 'Unreachable', what, why: `no pod matches its selector ${labelSelector} (the fork's Deployment may still be creating it, or have failed to)`, remedy: 'Wait a moment and try again; the Sandboxes view shows the fork\'s pods' });
  }
  const live = pods.filter((p) => !p.metadata.deletionTimestamp);
  const reasons = (live.length > 0 ? live : pods).slice(0, 3).map(podProblem);
  throw new ExplainedError({ reason: 'Unreachable', what, why: `no pod behind it is ready: ${reasons.join('; ')}`, remedy: 'The preview answers once one is ready', step: { code: 'showLogs' } });
}
