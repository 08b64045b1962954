/** Waiting on a cluster with timeouts that suit it: tens of milliseconds on the simulator, minutes on a real one. */
import type { KubeClient } from '../../src/kube/api';
import { kinds } from '../../src/kube/kinds';
import type { KubeObject } from '../../src/kube/types';

export interface Timeouts {
  /** A pod scheduled, its image pulled, running and ready. */
  podReadyMs: number;
  /** Something a controller or a garbage collector does (deletion, cleanup). */
  settleMs: number;
}

export const simulatorTimeouts: Timeouts = { podReadyMs: 20_000, settleMs: 20_000 };
export const realClusterTimeouts: Timeouts = { podReadyMs: 300_000, settleMs: 180_000 };

/** Polls `probe` until it returns something other than undefined or false. */
export async function until<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, what: string, timeoutMs: number, pollMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { name: string; state?: { waiting?: { reason?: string; message?: string } } }[];
}

/** Reasons a pod will not get ready by waiting longer. */
const hopeless = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CrashLoopBackOff']);

/** The first pod matching `selector` in `namespace` that is Ready; fails early, with the reason, when it cannot get there. */
export async function waitForPodReady(client: KubeClient, namespace: string, selector: string, timeoutMs: number): Promise<KubeObject> {
  let last = 'no pod yet';
  const ready = until(
    async () => {
      const pods = await client.listAll<KubeObject & { status?: PodStatus }>(kinds.Pod, namespace, { labelSelector: selector });
      for (const pod of pods.items) {
        if (pod.metadata.deletionTimestamp) continue;
        if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return pod;
        const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting?.reason && hopeless.has(c.state.waiting.reason));
        if (waiting) throw new Error(`pod ${namespace}/${pod.metadata.name} will not get ready: container ${waiting.name} is ${waiting.state?.waiting?.reason} (${waiting.state?.waiting?.message ?? 'no message'})`);
        last = `pod ${pod.metadata.name} is ${pod.status?.phase ?? 'without status'}`;
      }
      return undefined;
    },
    `a ready pod with ${selector} in ${namespace}`,
    timeoutMs,
    100,
  );
  return ready.catch((err: Error) => {
    throw err.message.startsWith('timed out') ? new Error(`${err.message} (last seen: ${last})`) : err;
  });
}
