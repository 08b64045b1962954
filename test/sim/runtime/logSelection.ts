/**
 * Which container run a `pods/log` request reads, decided from the Pod's status as the kubelet
 * does it (validateContainerLogStatus in pkg/kubelet/kubelet_pods.go): `previous=true` reads the
 * run `lastState.terminated` names; otherwise the running container, else the terminated one, else
 * the last terminated one (a container in CrashLoopBackOff answers with the run that just
 * crashed). Anything else is the kubelet's 400 message. Pure.
 */
import type { KubeObject } from '../../../src/kube/types';

interface Terminated {
  containerID?: string;
}

interface ContainerStatusView {
  name: string;
  containerID?: string;
  state?: { waiting?: { reason?: string }; running?: unknown; terminated?: Terminated };
  lastState?: { terminated?: Terminated };
}

interface PodStatusView {
  containerStatuses?: ContainerStatusView[];
  initContainerStatuses?: ContainerStatusView[];
  ephemeralContainerStatuses?: ContainerStatusView[];
}

export type LogSelection = { containerID: string } | { refused: string };

export function selectLogRun(pod: KubeObject, container: string, previous: boolean): LogSelection {
  const status = (pod.status ?? {}) as PodStatusView;
  const all = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])];
  const names = `container "${container}" in pod "${pod.metadata.name}"`;
  const found = all.find((c) => c.name === container);
  if (!found) return { refused: `${names} is not available` };
  const last = found.lastState?.terminated;
  const { waiting, running, terminated } = found.state ?? {};
  if (previous) {
    return last?.containerID ? { containerID: last.containerID } : { refused: `previous terminated ${names} not found` };
  }
  if (running) return { containerID: found.containerID ?? '' };
  if (terminated) {
    // When the next run did not start, the terminated state has no ID: the last terminated run's log.
    const id = terminated.containerID || last?.containerID;
    return id ? { containerID: id } : { refused: `${names} is terminated` };
  }
  if (last) return last.containerID ? { containerID: last.containerID } : { refused: `${names} is terminated` };
  if (waiting) {
    switch (waiting.reason) {
      case 'ErrImagePull':
        return { refused: `${names} is waiting to start: image can't be pulled` };
      case 'ImagePullBackOff':
        return { refused: `${names} is waiting to start: trying and failing to pull image` };
      default:
        return { refused: `${names} is waiting to start: ${waiting.reason ?? ''}` };
    }
  }
  return { refused: `${names} is waiting to start - no logs yet` };
}
