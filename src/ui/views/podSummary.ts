/**
 * What a pod row says: phase, ready x/y, restarts, and the one reason that matters, with a health
 * level the tree maps to an icon and colour. Follows the precedence kubectl uses for its STATUS
 * column, then adds what kubectl hides: the last OOMKilled behind a CrashLoopBackOff and the
 * scheduler's message behind a Pending pod.
 */
import type { KubeObject } from '../../kube/types';
import { podGpus, type PodGpus } from '../../gpu/podGpus';

export type Health = 'ok' | 'progressing' | 'pending' | 'warning' | 'error' | 'succeeded' | 'terminating';

export interface PodSummary {
  phase: string;
  ready: number;
  total: number;
  restarts: number;
  /** Short tag for the row, e.g. "CrashLoopBackOff", "OOMKilled", "Unschedulable", "Init:0/2". */
  reason?: string;
  /** Longer explanation for the tooltip, e.g. the scheduler's message. */
  message?: string;
  /** A few words worth showing on the row itself, e.g. "1 Insufficient nvidia.com/gpu". */
  detail?: string;
  /** How the run behind `reason` ended, for the row: "exit 3", "exit 137", "signal 9". */
  exit?: string;
  health: Health;
  gpus: PodGpus;
}

interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { reason?: string; message?: string; exitCode?: number; signal?: number };
}

export interface ContainerStatus {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: PodCondition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
}

interface PodSpecSlim {
  containers?: Array<{ name: string }>;
  initContainers?: Array<{ name: string; restartPolicy?: string }>;
}

interface Problem {
  reason: string;
  message?: string;
  detail?: string;
  exit?: string;
  health: Health;
}

/**
 * The scheduler's verdict in a few words: "0/3 nodes are available: 1 node(s) had untolerated
 * taint {…}, 2 Insufficient nvidia.com/gpu. preemption: …" -> "1 node(s) had untolerated taint
 * {…}, 2 Insufficient nvidia.com/gpu".
 */
export function shortSchedulingReason(message: string | undefined): string | undefined {
  if (!message) return undefined;
  const m = /nodes are available:\s*(.*?)(?:\.\s+preemption:|\.?$)/s.exec(message);
  const text = (m ? m[1] : message).trim().replace(/\.$/, '');
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

/** Waiting reasons that will not fix themselves. */
const failingWaits = new Set([
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export function podStatusOf(pod: KubeObject): PodStatus {
  return (pod.status ?? {}) as PodStatus;
}

export function podSpecOf(pod: KubeObject): PodSpecSlim {
  return (pod.spec ?? {}) as PodSpecSlim;
}

/** "exit 3", "signal 9"; nothing for a clean exit. */
function exitText(t: NonNullable<ContainerState['terminated']> | undefined): string | undefined {
  if (!t) return undefined;
  if (t.exitCode !== undefined) return t.exitCode === 0 ? undefined : `exit ${t.exitCode}`;
  return t.signal !== undefined ? `signal ${t.signal}` : undefined;
}

function terminationText(t: NonNullable<ContainerState['terminated']>): string {
  const code = t.exitCode !== undefined ? `exit code ${t.exitCode}` : t.signal !== undefined ? `signal ${t.signal}` : '';
  return [t.reason, code].filter(Boolean).join(', ');
}

/** The reason one container is unwell, or undefined when it is fine or just starting. */
function containerProblem(c: ContainerStatus): Problem | undefined {
  const waiting = c.state?.waiting;
  const lastTerminated = c.lastState?.terminated;
  if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing') {
    const failing = failingWaits.has(waiting.reason);
    if (waiting.reason === 'CrashLoopBackOff' && lastTerminated?.reason === 'OOMKilled') {
      return {
        reason: 'OOMKilled',
        message: `Container ${c.name} was killed for using more memory than its limit (${terminationText(lastTerminated)}) and is in CrashLoopBackOff: ${waiting.message ?? ''}`.trim(),
        exit: exitText(lastTerminated),
        health: 'error',
      };
    }
    const last = lastTerminated ? ` Last run ended: ${terminationText(lastTerminated)}.` : '';
    return {
      reason: waiting.reason,
      message: `Container ${c.name}: ${waiting.reason}${waiting.message ? ` — ${waiting.message}` : ''}.${last}`,
      exit: waiting.reason === 'CrashLoopBackOff' ? exitText(lastTerminated) : undefined,
      health: failing ? 'error' : 'warning',
    };
  }
  const terminated = c.state?.terminated;
  if (terminated) {
    const failed = (terminated.exitCode ?? 0) !== 0 || terminated.reason === 'OOMKilled';
    return {
      reason: terminated.reason ?? (terminated.signal !== undefined ? `Signal:${terminated.signal}` : `ExitCode:${terminated.exitCode ?? 0}`),
      message: `Container ${c.name} terminated: ${terminationText(terminated)}${terminated.message ? ` — ${terminated.message}` : ''}`,
      exit: exitText(terminated),
      health: failed ? 'error' : 'succeeded',
    };
  }
  return undefined;
}

function initProblem(pod: KubeObject, status: PodStatus): Problem | undefined {
  const inits = (podSpecOf(pod).initContainers ?? []).filter((c) => c.restartPolicy !== 'Always');
  const statuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < statuses.length; i++) {
    const c = statuses[i];
    if (inits.length && !inits.some((s) => s.name === c.name)) continue; // sidecars are reported with the rest
    const t = c.state?.terminated;
    if (t && t.exitCode === 0) continue;
    const problem = containerProblem(c);
    if (problem) {
      const reason = t ? `Init:${t.reason ?? `ExitCode:${t.exitCode}`}` : `Init:${problem.reason}`;
      return { reason, message: problem.message, exit: problem.exit, health: problem.health === 'succeeded' ? 'pending' : problem.health };
    }
    const done = statuses.filter((s) => s.state?.terminated?.exitCode === 0).length;
    return { reason: `Init:${done}/${inits.length || statuses.length}`, health: 'pending' };
  }
  return undefined;
}

export function summarizePod(pod: KubeObject): PodSummary {
  const status = podStatusOf(pod);
  const containers = status.containerStatuses ?? [];
  const specCount = podSpecOf(pod).containers?.length ?? 0;
  const base = {
    phase: status.phase ?? 'Unknown',
    ready: containers.filter((c) => c.ready).length,
    total: Math.max(specCount, containers.length),
    restarts: [...containers, ...(status.initContainerStatuses ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0),
    gpus: podGpus(pod),
  };
  const with_ = (r: Omit<Problem, 'reason'> & { reason?: string }): PodSummary => ({ ...base, ...r });

  if (pod.metadata.deletionTimestamp) return with_({ reason: 'Terminating', health: 'terminating' });
  if (status.reason) return with_({ reason: status.reason, message: status.message, health: 'error' });

  if (base.phase === 'Succeeded') return with_({ reason: 'Completed', health: 'succeeded' });

  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') {
    return with_({ reason: scheduled.reason ?? 'Unschedulable', message: scheduled.message, detail: shortSchedulingReason(scheduled.message), health: 'warning' });
  }

  const init = initProblem(pod, status);
  if (init) return with_(init);

  let worst: Problem | undefined;
  for (const c of containers) {
    const p = containerProblem(c);
    if (!p) continue;
    if (!worst || rank(p.health) > rank(worst.health)) worst = p;
  }
  if (worst && !(base.phase === 'Running' && worst.health === 'succeeded' && base.ready === base.total)) {
    return with_(base.phase === 'Failed' && worst.health === 'succeeded' ? { ...worst, health: 'error' } : worst);
  }
  if (base.phase === 'Failed') return with_({ reason: 'Failed', message: status.message, health: 'error' });
  if (base.phase === 'Pending') return with_({ reason: containers.length ? 'ContainerCreating' : undefined, health: 'pending' });
  if (base.phase === 'Running' && base.ready < base.total) {
    const readyCondition = status.conditions?.find((c) => c.type === 'Ready');
    return with_({ reason: 'NotReady', message: readyCondition?.message, health: 'progressing' });
  }
  if (base.phase === 'Running') return with_({ health: 'ok' });
  return with_({ health: 'warning' });
}

function rank(h: Health): number {
  return ['succeeded', 'ok', 'progressing', 'pending', 'terminating', 'warning', 'error'].indexOf(h);
}

/** One line for the tree row, e.g. "CrashLoopBackOff · exit 3 · 0/1 · 3 restarts · 5m". */
export function describePodRow(s: PodSummary, age: string | undefined): string {
  const parts = [s.detail ? `${s.reason ?? s.phase}: ${s.detail}` : (s.reason ?? s.phase)];
  if (s.exit) parts.push(s.exit);
  parts.push(`${s.ready}/${s.total}`);
  if (s.restarts > 0) parts.push(`${s.restarts} restart${s.restarts === 1 ? '' : 's'}`);
  if (age) parts.push(age);
  return parts.join(' · ');
}

/** What a container row says: its state and readiness. */
export function summarizeContainer(c: ContainerStatus | undefined): { text: string; health: Health; message?: string } {
  if (!c) return { text: 'not started', health: 'pending' };
  const problem = containerProblem(c);
  const restarts = c.restartCount ? ` · ${c.restartCount} restart${c.restartCount === 1 ? '' : 's'}` : '';
  if (problem) return { text: `${problem.reason}${problem.exit ? ` · ${problem.exit}` : ''}${restarts}`, health: problem.health, message: problem.message };
  if (c.state?.running) return { text: `${c.ready ? 'ready' : 'running, not ready'}${restarts}`, health: c.ready ? 'ok' : 'progressing' };
  return { text: `waiting${restarts}`, health: 'pending' };
}

/**
 * True when a container has restarted and is not running now (CrashLoopBackOff, OOMKilled): its
 * current log is empty or just starting, and the previous run's log holds the reason.
 */
export function hasPreviousRun(pod: KubeObject, container: string): boolean {
  const status = podStatusOf(pod);
  const c = [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].find((s) => s.name === container);
  return !!c && (c.restartCount ?? 0) > 0 && !c.state?.running;
}
