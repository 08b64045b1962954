/**
 * Why a container has not started yet, in words for the places that show its log: the pod is not
 * scheduled (and the scheduler's reason), it waits for its init containers, or the container
 * itself waits (ContainerCreating, ImagePullBackOff and their messages). A container that has run
 * once has a log, so it gets no such sentence. Pure.
 */
import type { KubeObject } from '../../kube/types';
import { podSpecOf, podStatusOf, shortSchedulingReason, type ContainerStatus } from './podSummary';

/** True once the container has run (it runs, it ended, or an earlier run did). */
function hasRun(c: ContainerStatus | undefined): boolean {
  return Boolean(c && (c.state?.running || c.state?.terminated || c.lastState?.terminated || (c.restartCount ?? 0) > 0));
}

function waitingText(c: ContainerStatus | undefined): string | undefined {
  const waiting = c?.state?.waiting;
  if (!waiting?.reason) return undefined;
  return waiting.message ? `${waiting.reason} — ${waiting.message}` : waiting.reason;
}

/**
 * "Container train has not started: the pod is Pending, no node can take it (4 Insufficient
 * nvidia.com/gpu)"; undefined once it has run (or when the pod does not name that container).
 * `container` may be left out for a pod with one container, as for pods/log.
 */
export function containerNotStarted(pod: KubeObject, container?: string): string | undefined {
  const spec = podSpecOf(pod);
  const status = podStatusOf(pod);
  const regular = spec.containers ?? [];
  const inits = spec.initContainers ?? [];
  const name = container ?? (regular.length === 1 ? regular[0].name : undefined);
  if (!name) return undefined;
  const isInit = inits.some((c) => c.name === name);
  if (!isInit && !regular.some((c) => c.name === name)) return undefined;
  const statuses = isInit ? status.initContainerStatuses : status.containerStatuses;
  const own = statuses?.find((c) => c.name === name);
  if (hasRun(own)) return undefined;
  const lead = `Container ${name} has not started`;

  if (status.phase === 'Succeeded' || status.phase === 'Failed') {
    return `${lead}: the pod ${status.phase === 'Failed' ? 'failed' : 'finished'} before it ran${status.reason ? ` (${status.reason}${status.message ? `: ${status.message}` : ''})` : ''}`;
  }
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  const nodeName = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
  if (scheduled?.status === 'False') {
    const why = shortSchedulingReason(scheduled.message) ?? scheduled.reason ?? 'Unschedulable';
    return `${lead}: the pod is Pending, no node can take it (${why})`;
  }
  if (!nodeName) return `${lead}: the pod is Pending, waiting for the scheduler to place it`;

  const waiting = waitingText(own);
  if (!isInit) {
    // Regular containers start once every init container (other than sidecars) has finished.
    const pendingInit = inits.filter((c) => c.restartPolicy !== 'Always').find((c) => {
      const s = status.initContainerStatuses?.find((x) => x.name === c.name);
      return s?.state?.terminated?.exitCode !== 0;
    });
    if (pendingInit) {
      const initStatus = status.initContainerStatuses?.find((x) => x.name === pendingInit.name);
      const initWaiting = waitingText(initStatus);
      const state = initStatus?.state?.running ? 'running' : initStatus?.state?.terminated ? `exited with ${initStatus.state.terminated.exitCode}` : (initWaiting ?? 'not started');
      return `${lead}: it waits for init container ${pendingInit.name} (${state})`;
    }
  }
  return `${lead}: ${waiting ?? `the pod is scheduled on ${nodeName}; the container is being created`}`;
}
