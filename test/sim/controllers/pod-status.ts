/** Pod status pieces as the kubelet writes them: conditions with stable transition times, container states. */
import { timestamp } from '../defaults';

export type Dict = Record<string, unknown>;

export interface Condition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

/** Sets a condition, keeping lastTransitionTime when the status does not change. */
export function setCondition(status: Dict, type: string, value: 'True' | 'False', reason?: string, message?: string): void {
  const conditions = ((status.conditions as Condition[] | undefined) ?? []).slice();
  const index = conditions.findIndex((c) => c.type === type);
  const previous = index >= 0 ? conditions[index] : undefined;
  const next: Condition = {
    lastProbeTime: null,
    lastTransitionTime: previous && previous.status === value ? previous.lastTransitionTime : timestamp(),
    ...(message ? { message } : {}),
    ...(reason ? { reason } : {}),
    status: value,
    type,
  };
  if (index >= 0) conditions[index] = next;
  else conditions.push(next);
  const order = ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
  conditions.sort((a, b) => (order.indexOf(a.type) + 1 || 99) - (order.indexOf(b.type) + 1 || 99));
  status.conditions = conditions;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started: boolean;
  restartCount: number;
  state: Dict;
  lastState: Dict;
}

/** Ready/ContainersReady from the container statuses. */
export function setReadiness(status: Dict): void {
  const statuses = (status.containerStatuses as ContainerStatus[] | undefined) ?? [];
  const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
  if (unready.length === 0 && statuses.length > 0) {
    setCondition(status, 'Ready', 'True');
    setCondition(status, 'ContainersReady', 'True');
  } else {
    const message = `containers with unready status: [${unready.join(' ')}]`;
    setCondition(status, 'Ready', 'False', 'ContainersNotReady', message);
    setCondition(status, 'ContainersReady', 'False', 'ContainersNotReady', message);
  }
}

export function fakeDigest(seed: string): string {
  let h = 0x811c9dc5;
  let out = '';
  for (let round = 0; round < 8; round++) {
    for (const ch of `${seed}#${round}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += h.toString(16).padStart(8, '0');
  }
  return out;
}

export function qualifiedImage(image: string): string {
  const withTag = image.includes(':') || image.includes('@') ? image : `${image}:latest`;
  const first = withTag.split('/')[0];
  if (withTag.includes('/') && (first.includes('.') || first.includes(':'))) return withTag;
  return withTag.includes('/') ? `docker.io/${withTag}` : `docker.io/library/${withTag}`;
}
