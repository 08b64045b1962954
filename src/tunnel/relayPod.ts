/**
 * Finding the relay pod to connect to: the newest Running, Ready, not-terminating pod that matches
 * the relay's selector. When none is ready, the answer says why in plain words (no pod yet, pending
 * with the scheduler's reason, crashing, image pull failing).
 */
import type { KubeClient } from '../kube/api';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';

interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string; message?: string }; terminated?: { reason?: string; exitCode?: number } };
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  containerStatuses?: ContainerStatus[];
}

/** The identity of the pod a connection went to; a different uid or more restarts mean it was replaced. */
export interface RelayPodRef {
  name: string;
  uid: string;
  restarts: number;
  node?: string;
}

/** `stuck`: the pod cannot start until someone acts (its image cannot be pulled, its agent crash-loops). */
export type RelayPodLookup = { ready: RelayPodRef } | { ready?: undefined; why: string; stuck?: boolean };

/** Waiting reasons a pod does not leave by itself. */
const stuckReasons = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CrashLoopBackOff', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

/** The pod cannot start until someone acts: see stuckReasons. */
export function isStuck(pod: KubeObject): boolean {
  return (statusOf(pod).containerStatuses ?? []).some((c) => stuckReasons.has(c.state?.waiting?.reason ?? ''));
}

function statusOf(pod: KubeObject): PodStatus {
  return (pod.status ?? {}) as PodStatus;
}

function isReady(pod: KubeObject): boolean {
  const status = statusOf(pod);
  return status.phase === 'Running' && (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function podRef(pod: KubeObject): RelayPodRef {
  const restarts = (statusOf(pod).containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  return { name: pod.metadata.name, uid: pod.metadata.uid, restarts, ...(node ? { node } : {}) };
}

/** Why a pod that exists is not ready, in a few words. */
export function notReadyReason(pod: KubeObject): string {
  const status = statusOf(pod);
  const name = `relay pod "${pod.metadata.name}"`;
  if (pod.metadata.deletionTimestamp) return `${name} is shutting down`;
  for (const c of status.containerStatuses ?? []) {
    const waiting = c.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating') {
      return `${name} is waiting: ${waiting.reason}${waiting.message ? ` (${waiting.message})` : ''}`;
    }
    if (c.state?.terminated) return `${name}'s agent exited (${c.state.terminated.reason ?? `exit code ${c.state.terminated.exitCode}`})`;
  }
  if (status.phase === 'Pending') {
    const unscheduled = status.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
    if (unscheduled?.message) return `${name} cannot be scheduled: ${unscheduled.message}`;
    return `${name} is starting`;
  }
  if (status.phase && status.phase !== 'Running') return `${name} is ${status.phase}`;
  return `${name} is not ready yet`;
}

/** The pod to port-forward to, or why there is none. Errors of the list call propagate (explained). */
export async function findRelayPod(client: KubeClient, namespace: string, selector: string, signal?: AbortSignal): Promise<RelayPodLookup> {
  const { items } = await client.list<KubeObject>(kinds.Pod, namespace, { labelSelector: selector, signal });
  const live = items.filter((p) => !p.metadata.deletionTimestamp);
  const ready = live.filter(isReady).sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''));
  if (ready.length > 0) return { ready: podRef(ready[0]) };
  if (items.length === 0) return { why: `no relay pod matches ${selector} in namespace "${namespace}" (the relay Deployment may have been deleted or be scaled to 0)` };
  const candidate = live[0] ?? items[0];
  return isStuck(candidate) ? { why: notReadyReason(candidate), stuck: true } : { why: notReadyReason(candidate) };
}

/**
 * What happened to the pod a dropped connection went to: undefined when it is still the same pod
 * and nothing changed, otherwise a sentence.
 */
export async function relayPodChange(client: KubeClient, namespace: string, previous: RelayPodRef, signal?: AbortSignal): Promise<string | undefined> {
  let pod: KubeObject;
  try {
    pod = await client.get<KubeObject>(kinds.Pod, namespace, previous.name, signal);
  } catch (err) {
    if ((err as { reason?: string }).reason === 'NotFound') return `the relay pod "${previous.name}" was deleted (the Deployment replaces it, for example after a reschedule or node drain)`;
    throw err;
  }
  if (pod.metadata.uid !== previous.uid) return `the relay pod "${previous.name}" was replaced by a new one`;
  if (pod.metadata.deletionTimestamp) return `the relay pod "${previous.name}" is being deleted (rescheduled or its node is draining)`;
  const now = podRef(pod);
  if (now.restarts > previous.restarts) return `the relay agent in pod "${previous.name}" restarted (${now.restarts} restart${now.restarts === 1 ? '' : 's'} so far)`;
  return undefined;
}
