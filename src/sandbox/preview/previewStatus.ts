/**
 * What a sandbox's pods are doing, for the preview's answer, the Sandboxes view and the
 * language-model tools: one line of status per pod, and the last error lines of their logs.
 */
import type { KubeClient } from '../../kube/api';
import { isCancellation } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { streamPodLog } from '../../workloads/podLogStream';
import { agentLabel, roleLabel, sandboxSelector } from '../labels';
import { isPodReady, podProblem } from './previewTarget';

export interface SandboxPod {
  name: string;
  /** "agent" for the sandbox's agent, "fork" for a forked workload's pod, else its role label. */
  role: string;
  phase: string;
  ready: boolean;
  restarts: number;
  /** Why it is not ready, when it is not. */
  problem?: string;
}

export function summarizePod(pod: KubeObject): SandboxPod {
  const status = (pod.status ?? {}) as { phase?: string; containerStatuses?: { restartCount?: number }[] };
  const labels = pod.metadata.labels ?? {};
  const ready = isPodReady(pod);
  const summary: SandboxPod = {
    name: pod.metadata.name,
    role: labels[agentLabel] ? 'agent' : (labels[roleLabel] ?? 'fork'),
    phase: pod.metadata.deletionTimestamp ? 'Terminating' : (status.phase ?? 'Unknown'),
    ready,
    restarts: (status.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0),
  };
  if (!ready) summary.problem = podProblem(pod);
  return summary;
}

/** The sandbox's pods, newest first. */
export async function sandboxPods(client: KubeClient, namespace: string, sandbox: string, signal?: AbortSignal): Promise<{ pods: SandboxPod[]; objects: KubeObject[] }> {
  const { items } = await client.list<KubeObject>(kinds.Pod, namespace, { labelSelector: sandboxSelector(sandbox), signal });
  const objects = [...items].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  return { pods: objects.map(summarizePod), objects };
}

const errorPattern = /\b(error|err|exception|fatal|panic|fail(ed|ure)?|refused|unhandled|traceback|crash)\b/i;

/** The lines of a log that look like errors, last `max` of them. */
export function errorLines(lines: readonly string[], max = 10): string[] {
  return lines.filter((l) => errorPattern.test(l)).slice(-max);
}

/** Reads the tail of one pod's log (first container); resolves to [] when it cannot be read. */
async function tail(client: KubeClient, namespace: string, pod: string, tailLines: number, signal?: AbortSignal): Promise<string[]> {
  const lines: string[] = [];
  const done = new Promise<void>((resolve) => {
    const sink = { lines: (batch: string[]) => lines.push(...batch), end: () => resolve(), fail: () => resolve() };
    streamPodLog(client, { namespace, pod }, { follow: false, tailLines }, sink, signal ?? new AbortController().signal).catch((err: unknown) => {
      if (isCancellation(err)) return resolve();
      resolve();
    });
  });
  await done;
  return lines;
}

/** The last error lines from the logs of `pods` (each prefixed with its pod), at most `max` in all. */
export async function lastLogErrors(client: KubeClient, namespace: string, pods: readonly KubeObject[], options: { max?: number; tailLines?: number; signal?: AbortSignal } = {}): Promise<string[]> {
  const max = options.max ?? 20;
  const perPod = await Promise.all(
    pods.slice(0, 5).map(async (p) => errorLines(await tail(client, namespace, p.metadata.name, options.tailLines ?? 200, options.signal), max).map((l) => `${p.metadata.name}: ${l}`)),
  );
  return perPod.flat().slice(-max);
}

interface EventObject extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { kind?: string; name?: string };
}

/** The newest events about `names` (the sandbox's pods and workloads), as "Warning BackOff pod/x: message (3×)". */
export function eventLines(events: readonly KubeObject[], names: ReadonlySet<string>, max = 5): string[] {
  const when = (e: EventObject) => e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? '';
  return (events as EventObject[])
    .filter((e) => e.involvedObject?.name && names.has(e.involvedObject.name))
    .sort((a, b) => when(a).localeCompare(when(b)))
    .slice(-max)
    .map((e) => `${e.type ?? 'Normal'} ${e.reason ?? ''} ${(e.involvedObject?.kind ?? '').toLowerCase()}/${e.involvedObject?.name}: ${e.message ?? ''}${e.count && e.count > 1 ? ` (${e.count}×)` : ''}`);
}

/** Recent events of the sandbox's objects in `namespace`. */
export async function recentEvents(client: KubeClient, namespace: string, names: ReadonlySet<string>, signal?: AbortSignal): Promise<string[]> {
  const { items } = await client.list<KubeObject>(kinds.Event, namespace, { limit: 500, signal });
  return eventLines(items, names);
}
