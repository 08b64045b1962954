/**
 * Pure: a process pod's container records -> the Pod `status` a kubelet would write
 * (containerStatuses, phase, conditions), shaped like the recorded samples.
 */

export interface TerminatedState {
  exitCode: number;
  reason: string;
  message?: string;
  signal?: number;
  startedAt: Date;
  finishedAt: Date;
  containerID: string;
}

export type ContainerState =
  | { kind: 'waiting'; reason: string; message?: string }
  | { kind: 'running'; startedAt: Date }
  | ({ kind: 'terminated' } & TerminatedState);

export interface ContainerRecord {
  name: string;
  image: string;
  containerID: string;
  state: ContainerState;
  lastTerminated?: TerminatedState;
  restartCount: number;
  ready: boolean;
  /** True once the container has stopped for good (restart policy says no more runs). */
  final: boolean;
}

export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

interface Condition {
  type: string;
  status: 'True' | 'False';
  lastProbeTime: null;
  lastTransitionTime: string;
  reason?: string;
  message?: string;
}

export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function terminatedJson(t: TerminatedState): Record<string, unknown> {
  return {
    containerID: t.containerID,
    exitCode: t.exitCode,
    ...(t.signal !== undefined ? { signal: t.signal } : {}),
    reason: t.reason,
    ...(t.message ? { message: t.message } : {}),
    startedAt: rfc3339(t.startedAt),
    finishedAt: rfc3339(t.finishedAt),
  };
}

function stateJson(state: ContainerState): Record<string, unknown> {
  switch (state.kind) {
    case 'waiting':
      return { waiting: { reason: state.reason, ...(state.message ? { message: state.message } : {}) } };
    case 'running':
      return { running: { startedAt: rfc3339(state.startedAt) } };
    case 'terminated':
      return { terminated: terminatedJson(state) };
  }
}

export function containerStatusJson(record: ContainerRecord): Record<string, unknown> {
  const hasRun = record.state.kind !== 'waiting' || record.lastTerminated !== undefined;
  return {
    ...(hasRun ? { containerID: record.containerID } : {}),
    image: record.image,
    imageID: '',
    lastState: record.lastTerminated ? { terminated: terminatedJson(record.lastTerminated) } : {},
    name: record.name,
    ready: record.ready,
    restartCount: record.restartCount,
    started: record.state.kind === 'running',
    state: stateJson(record.state),
  };
}

export function podPhase(records: readonly ContainerRecord[]): PodPhase {
  if (records.length > 0 && records.every((r) => r.final && r.state.kind === 'terminated')) {
    return records.some((r) => r.state.kind === 'terminated' && r.state.exitCode !== 0) ? 'Failed' : 'Succeeded';
  }
  const started = records.some((r) => r.state.kind !== 'waiting' || r.restartCount > 0 || r.lastTerminated !== undefined);
  return started ? 'Running' : 'Pending';
}

function condition(type: string, ok: boolean, previous: Condition[], now: string, reason?: string, message?: string): Condition {
  const status = ok ? 'True' : 'False';
  const before = previous.find((c) => c.type === type);
  return {
    type,
    status,
    lastProbeTime: null,
    lastTransitionTime: before && before.status === status ? before.lastTransitionTime : now,
    ...(ok ? {} : { reason, message }),
  };
}

/** Mutates a Pod status in place from the container records. */
export function applyPodStatus(status: Record<string, unknown>, records: readonly ContainerRecord[], now: Date): void {
  const stamp = rfc3339(now);
  const phase = podPhase(records);
  const previous = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
  const unready = records.filter((r) => !r.ready).map((r) => r.name);
  const completed = phase === 'Succeeded' || phase === 'Failed';
  const reason = completed ? 'PodCompleted' : 'ContainersNotReady';
  const message = completed ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const allReady = unready.length === 0 && !completed;
  status.phase = phase;
  status.conditions = [
    condition('Initialized', true, previous, stamp),
    condition('Ready', allReady, previous, stamp, reason, message),
    condition('ContainersReady', allReady, previous, stamp, reason, message),
    condition('PodScheduled', true, previous, stamp),
  ];
  status.containerStatuses = records.map(containerStatusJson);
  status.startTime ??= stamp;
  status.qosClass ??= 'BestEffort';
}
