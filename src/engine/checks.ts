/**
 * Running a sandbox's checks from any front door: the checks of tether.yaml, as Jobs in the
 * developer's sandbox of that name, against the sandbox as the cluster has it (checkPlan.ts), every
 * state change reported as it happens.
 */
import type { KubeClient } from '../kube/api';
import { checkTargetFrom } from '../sandbox/checks/checkPlan';
import { runCheckSuite, type CheckProgress, type SuiteResult } from '../sandbox/checks/checkSuite';
import type { SandboxSpec } from '../sandbox/spec';
import type { EngineDeps } from './engine';
import { locateSandbox } from './status';

export interface ChecksAsk {
  spec: SandboxSpec;
  sandbox: string;
  concurrency?: number;
  pollMs?: number;
  onUpdate?: (progress: CheckProgress) => void;
  signal?: AbortSignal;
}

export interface ChecksResult extends SuiteResult {
  sandbox: string;
  namespace: string;
}

export async function runChecks(deps: EngineDeps, client: KubeClient, ask: ChecksAsk): Promise<ChecksResult> {
  const where = await locateSandbox(deps, client, ask.sandbox, `Run the checks of sandbox "${ask.sandbox}"`, ask.signal);
  const target = await checkTargetFrom(client, { sandbox: where.sandbox, namespace: where.namespace }, ask.spec, ask.signal);
  const result = await runCheckSuite(client, target.plan, target.checks, { lease: target.lease, concurrency: ask.concurrency, pollMs: ask.pollMs, onUpdate: ask.onUpdate, signal: ask.signal, clock: deps.host.clock });
  deps.logger.info(`[checks] ${where.sandbox}: ${result.passed} passed, ${result.failed} failed${result.cancelled ? ', cancelled' : ''} (run ${result.runId})`);
  return { ...result, sandbox: where.sandbox, namespace: where.namespace };
}
