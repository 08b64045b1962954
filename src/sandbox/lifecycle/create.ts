/**
 * Creating or updating a sandbox end to end: choose where it goes, read the baseline, plan, check
 * permissions, apply. `ensureSandbox` is the fast path for an editor that asks again and again:
 * when the Lease says the same plan is already applied and alive, it only renews the Lease. A spec
 * is only accepted already parsed (parseSpec), so one with errors cannot get here.
 */
import type { KubeClient } from '../../kube/api';
import { systemClock } from '../../kube/clock';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply';
import { readReferencedConfig } from '../forks/configRead';
import type { DesiredObject } from '../desired';
import { LeaseHeartbeat } from './heartbeat';
import { requestedSandbox } from '../names';
import type { SandboxAgentSource } from '../agentRequest';
import { belongsTo, planHashAnnotation } from '../labels';
import { hasLapsed, leaseTiming } from './lease';
import { planSandbox, type SandboxPlan } from '../plan';
import { assertPlanAllowed, choosePlacement, readBaseline, refuseUnplanned } from '../placement';
import type { SandboxSpec } from '../spec';

export interface CreateSandboxInput {
  spec: SandboxSpec;
  developer: string;
  branch: string;
  /** Asked for by name (e.g. "pr-42") instead of `<developer>-<branch>`. */
  sandbox?: string;
  holderIdentity: string;
  /** Where to go when namespaces may not be created; default the baseline namespace. */
  sharedNamespace?: string;
  /**
   * The sandbox's agent (agentSecrets.ts sandboxAgentFor): its tunnel, shareable host, self-cleanup
   * and the end of the editor's one connection. Without it a sandbox has no local forks and no
   * shareable host, and is removed only when deleted.
   */
  agent?: SandboxAgentSource;
  leaseDurationSeconds?: number;
  now?: () => Date;
}

export interface CreatedSandbox {
  plan: SandboxPlan;
  result: ApplyResult;
  /** Why the sandbox went where it went, in plain words. */
  placementReason: string;
  /** ensureSandbox found the same plan applied and only renewed the Lease. */
  upToDate?: boolean;
}

interface Prepared {
  plan: SandboxPlan;
  placementReason: string;
  /** The same plan without the agent, for when the agent cannot be deployed. */
  withoutAgent(): SandboxPlan;
}

async function prepare(client: KubeClient, input: CreateSandboxInput, signal?: AbortSignal): Promise<Prepared> {
  try {
    return await prepareNow(client, input, signal);
  } catch (err) {
    if (!(err instanceof ExplainedError && err.reason === 'Forbidden') || err.access?.feature === 'sandbox') throw err;
    const baseline = input.spec.baseline.namespace;
    return refuseUnplanned(client, { sandbox: requestedSandbox(input), namespace: input.sharedNamespace ?? baseline, baseline }, err, signal);
  }
}

async function prepareNow(client: KubeClient, input: CreateSandboxInput, signal?: AbortSignal): Promise<Prepared> {
  const [choice, baseline] = await Promise.all([
    choosePlacement(client, { baselineNamespace: input.spec.baseline.namespace, sharedNamespace: input.sharedNamespace }, signal),
    readBaseline(client, input.spec.baseline.namespace, signal),
  ]);
  // Copies of referenced ConfigMaps and Secrets are made only for a namespace of its own (configCopies.ts).
  const config = choice.placement.mode === 'namespace' ? await readReferencedConfig(client, input.spec, baseline, signal) : [];
  const sandbox = requestedSandbox(input);
  const own = choice.placement.mode === 'namespace';
  const where = { sandbox, namespace: choice.placement.mode === 'shared' ? choice.placement.namespace : sandbox, ownNamespace: own };
  const agent = input.agent ? await input.agent.builder(where, signal) : undefined;
  const renewTime = (input.now ?? (() => new Date()))();
  const plan = (withAgent: boolean) =>
    planSandbox({
      spec: input.spec,
      baseline: [...baseline, ...config],
      placement: choice.placement,
      developer: input.developer,
      branch: input.branch,
      ...(input.sandbox ? { sandbox: input.sandbox } : {}),
      holderIdentity: input.holderIdentity,
      renewTime,
      leaseDurationSeconds: input.leaseDurationSeconds,
      ...(withAgent && agent ? { agent, share: input.agent?.share } : {}),
    });
  return { plan: plan(true), placementReason: choice.reason, withoutAgent: () => plan(false) };
}

/**
 * The plan when every permission it needs is there. When only the agent's objects are not allowed
 * (its service account, Role and RoleBinding, say) and nothing needs the agent (no local fork, no
 * shareable host), the plan without it, saying what that costs; otherwise the explained Forbidden.
 */
async function allowedPlan(client: KubeClient, prepared: Prepared, signal?: AbortSignal): Promise<SandboxPlan> {
  const { plan } = prepared;
  try {
    await assertPlanAllowed(client, plan, signal);
    return plan;
  } catch (err) {
    const optional = plan.agent && plan.agent.localForks.length === 0 && !plan.share;
    if (!optional || !(err instanceof ExplainedError && err.reason === 'Forbidden')) throw err;
    const without = prepared.withoutAgent();
    await assertPlanAllowed(client, without, signal).catch(() => {
      throw err;
    });
    without.notes = without.notes.filter((n) => !n.startsWith('No agent runs'));
    without.notes.push(`The sandbox runs no agent, because you may not create its objects (${err.why.replace(/^you may not /, '')}); so it is removed only when it is deleted, not when its TTL runs out, and each preview connection opens a port-forward of its own.`);
    return without;
  }
}

async function applyPrepared(client: KubeClient, prepared: Prepared, options: ApplyOptions): Promise<CreatedSandbox> {
  const plan = await allowedPlan(client, prepared, options.signal);
  const result = await applyPlan(client, plan, options);
  return { plan, placementReason: prepared.placementReason, result };
}

export async function createSandbox(client: KubeClient, input: CreateSandboxInput, options: ApplyOptions = {}): Promise<CreatedSandbox> {
  return applyPrepared(client, await prepare(client, input, options.signal), options);
}

/** Like createSandbox, but a sandbox whose Lease carries the same plan and has not lapsed is only renewed. */
export async function ensureSandbox(client: KubeClient, input: CreateSandboxInput, options: ApplyOptions = {}): Promise<CreatedSandbox> {
  const prepared = await prepare(client, input, options.signal);
  const { plan } = prepared;
  const planned = plan.objects.find((o) => o.kind === 'Lease') as DesiredObject;
  let current: KubeObject | undefined;
  try {
    current = await client.get<KubeObject>(kinds.Lease, plan.namespace, plan.leaseName, options.signal);
  } catch (err) {
    if (!(err instanceof ExplainedError && err.reason === 'NotFound')) throw err;
  }
  const now = (input.now ?? (() => new Date()))().getTime();
  const same = current && belongsTo(current, plan.sandbox) && !current.metadata.deletionTimestamp && current.metadata.annotations?.[planHashAnnotation] === plan.hash && !hasLapsed(leaseTiming(current, input.spec.ttlSeconds), now);
  if (!current || !same) return applyPrepared(client, prepared, options);
  // The renewal carries the same time the lapse was judged by (input.now when given).
  const heartbeat = new LeaseHeartbeat(client, planned, { clock: { ...systemClock, now: () => now } });
  try {
    if (!(await heartbeat.renew(options.signal))) return applyPrepared(client, prepared, options);
  } finally {
    heartbeat.dispose();
  }
  options.onProgress?.({ phase: 'done', created: 0, updated: 0, pruned: 0 });
  return { plan, placementReason: prepared.placementReason, result: { created: [], updated: [], pruned: [], lease: current }, upToDate: true };
}
