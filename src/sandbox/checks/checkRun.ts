/**
 * Running a check: apply its Job (owned by the sandbox's Lease), wait until it succeeds, fails or
 * runs out of time, and collect what the dashboard shows — pass/fail, duration, the reason and the
 * end of the log.
 */
import type { KubeClient } from '../../kube/api';
import { sleep, systemClock, type Clock } from '../../kube/clock';
import { ExplainedError } from '../../kube/errors';
import { assertAllowed, featureChecks } from '../../kube/access';
import { kinds, resourcePath } from '../../kube/kinds';
import { requiredOf } from '../../kube/permissions/needs';
import type { KubeObject } from '../../kube/types';
import { serverSideApply } from '../lifecycle/apply';
import { checkJob } from './checks';
import type { SandboxPlan } from '../plan';
import type { CheckSpec } from '../spec';

export interface CheckResult {
  name: string;
  job: string;
  passed: boolean;
  durationMs: number;
  /** Why it failed, in words (from the Job's Failed condition or the pod's state). */
  reason?: string;
  /** The last lines of the check's log. */
  log: string;
}

export interface RunCheckOptions {
  /** The sandbox Lease as applied (ApplyResult.lease): the Job's owner. */
  lease: KubeObject;
  runId?: string;
  pollMs?: number;
  logLines?: number;
  signal?: AbortSignal;
  clock?: Clock;
}

interface JobStatus {
  succeeded?: number;
  failed?: number;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

interface PodView extends KubeObject {
  status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number; reason?: string } } }[] };
}

export async function runCheck(client: KubeClient, plan: SandboxPlan, check: CheckSpec, options: RunCheckOptions): Promise<CheckResult> {
  const clock = options.clock ?? systemClock;
  const runId = options.runId ?? clock.now().toString(36);
  const job = checkJob(plan, check, runId);
  const { lease } = options;
  job.metadata.ownerReferences = [{ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', name: lease.metadata.name, uid: lease.metadata.uid }];
  const started = clock.now();
  await serverSideApply(client, job, false, options.signal);
  const name = job.metadata.name;
  const deadline = started + (check.timeoutSeconds + 30) * 1000;
  let status: JobStatus = {};
  for (;;) {
    const current = await client.get<KubeObject & { status?: JobStatus }>(kinds.Job, plan.namespace, name, options.signal);
    status = current.status ?? {};
    if (status.conditions?.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True')) break;
    if (clock.now() > deadline) {
      throw new ExplainedError({ reason: 'Timeout', what: `Run check "${check.name}"`, why: `its Job "${name}" did not finish within ${check.timeoutSeconds} s and the cluster did not stop it`, remedy: 'Look at the Job\'s pods and events in the sandbox' });
    }
    await sleep(clock, options.pollMs ?? 500, options.signal);
  }
  const durationMs = clock.now() - started;
  const passed = status.conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
  const pods = (await client.listAll<PodView>(kinds.Pod, plan.namespace, { labelSelector: `job-name=${name}`, signal: options.signal })).items;
  const pod = pods.sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '')).at(-1);
  const log = pod ? await podLog(client, plan.namespace, pod.metadata.name, options.logLines ?? 50, options.signal) : '';
  const result: CheckResult = { name: check.name, job: name, passed, durationMs, log };
  if (!passed) {
    const failed = status.conditions?.find((c) => c.type === 'Failed' && c.status === 'True');
    const exit = pod?.status?.containerStatuses?.[0]?.state?.terminated;
    const exitText = exit?.exitCode !== undefined ? `the check exited with code ${exit.exitCode}${exit.reason ? ` (${exit.reason})` : ''}` : undefined;
    result.reason = [exitText, failed?.message ?? failed?.reason].filter(Boolean).join('; ') || 'the Job failed';
  }
  return result;
}

async function podLog(client: KubeClient, namespace: string, pod: string, lines: number, signal?: AbortSignal): Promise<string> {
  try {
    const response = await client.stream({ what: `Read the log of pod "${pod}"`, path: `${resourcePath(kinds.Pod, namespace, pod)}/log`, query: { tailLines: lines }, signal });
    const chunks: Buffer[] = [];
    for await (const chunk of response) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  } catch (err) {
    if (err instanceof ExplainedError) return `(no log: ${err.why})`;
    throw err;
  }
}

/** The checks' preflight: throws Forbidden naming every missing permission, with the Role that grants them, before any Job is created. */
export function assertChecksAllowed(client: KubeClient, plan: Pick<SandboxPlan, 'sandbox' | 'namespace'>, signal?: AbortSignal): Promise<void> {
  return assertAllowed(client, { feature: 'checks', what: `Run the checks of sandbox "${plan.sandbox}"`, checks: requiredOf(featureChecks('checks', plan.namespace)), signal });
}
