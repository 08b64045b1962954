/**
 * Running all checks of a sandbox: each through runCheck (one Job per check and run), at most
 * `concurrency` at once, in the order tether.yaml lists them. Every state change is reported as
 * it happens, so a dashboard can show pending -> running -> passed/failed live. A check whose
 * Job could not even be run (refused apply, timeout) fails with that reason; the others go on.
 * Aborting stops the polling: running and pending checks end as "cancelled" (their Jobs stay
 * until their TTL or the sandbox's deletion takes them).
 */
import type { KubeClient } from '../../kube/api';
import { systemClock, type Clock } from '../../kube/clock';
import { isCancellation } from '../../kube/errors';
import type { KubeObject } from '../../kube/types';
import { runCheck, type CheckResult, type RunCheckOptions } from './checkRun';
import type { SandboxPlan } from '../plan';
import type { CheckSpec } from '../spec';

export type CheckState = 'pending' | 'running' | 'passed' | 'failed' | 'cancelled';

export interface CheckProgress {
  name: string;
  state: CheckState;
  /** The Job's name once it is known (after the run). */
  job?: string;
  /** ms since epoch when the check started. */
  startedAt?: number;
  durationMs?: number;
  reason?: string;
  /** The end of the check's log (finished checks). */
  log?: string;
}

export interface SuiteResult {
  runId: string;
  checks: CheckProgress[];
  passed: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
}

export type RunOne = (client: KubeClient, plan: SandboxPlan, check: CheckSpec, options: RunCheckOptions) => Promise<CheckResult>;

export interface SuiteOptions {
  /** The sandbox Lease as it is in the cluster: the owner of every check Job. */
  lease: KubeObject;
  /** How many checks run at once; default 3. */
  concurrency?: number;
  runId?: string;
  pollMs?: number;
  logLines?: number;
  signal?: AbortSignal;
  clock?: Clock;
  /** Called with a copy of a check's progress whenever it changes. */
  onUpdate?: (progress: CheckProgress) => void;
  /** Runs one check; runCheck unless given. */
  run?: RunOne;
}

export const defaultSuiteConcurrency = 3;

/** The progress a suite starts from: every check pending. */
export function pendingChecks(checks: readonly CheckSpec[]): CheckProgress[] {
  return checks.map((c) => ({ name: c.name, state: 'pending' }));
}

export function progressOf(result: CheckResult, startedAt: number): CheckProgress {
  const progress: CheckProgress = { name: result.name, state: result.passed ? 'passed' : 'failed', job: result.job, startedAt, durationMs: result.durationMs, log: result.log };
  if (result.reason) progress.reason = result.reason;
  return progress;
}

export async function runCheckSuite(client: KubeClient, plan: SandboxPlan, checks: readonly CheckSpec[], options: SuiteOptions): Promise<SuiteResult> {
  const clock = options.clock ?? systemClock;
  const run = options.run ?? runCheck;
  const runId = options.runId ?? clock.now().toString(36);
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? defaultSuiteConcurrency));
  const progress = pendingChecks(checks);
  const started = clock.now();
  const update = (i: number, next: CheckProgress) => {
    progress[i] = next;
    options.onUpdate?.({ ...next });
  };
  let nextIndex = 0;
  const worker = async () => {
    while (nextIndex < checks.length && !options.signal?.aborted) {
      const i = nextIndex++;
      const check = checks[i];
      const startedAt = clock.now();
      update(i, { name: check.name, state: 'running', startedAt });
      try {
        const result = await run(client, plan, check, { lease: options.lease, runId, pollMs: options.pollMs, logLines: options.logLines, signal: options.signal, clock });
        update(i, progressOf(result, startedAt));
      } catch (err) {
        const durationMs = clock.now() - startedAt;
        if (isCancellation(err) || options.signal?.aborted) update(i, { name: check.name, state: 'cancelled', startedAt, durationMs, reason: 'the run was cancelled' });
        else update(i, { name: check.name, state: 'failed', startedAt, durationMs, reason: err instanceof Error ? err.message : String(err) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  progress.forEach((p, i) => {
    if (p.state === 'pending') update(i, { name: p.name, state: 'cancelled', reason: 'the run was cancelled before it started' });
  });
  return {
    runId,
    checks: progress,
    passed: progress.filter((p) => p.state === 'passed').length,
    failed: progress.filter((p) => p.state === 'failed').length,
    cancelled: progress.some((p) => p.state === 'cancelled'),
    durationMs: clock.now() - started,
  };
}
