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
import type { JanitorBuilder } from './janitor';
import { sandboxName } from '../names';
import type { PreviewGateBuilder } from '../preview/previewGateObjects';
import type { SandboxLocationChoice } from '../preview/previewKey';
import { belongsTo, planHashAnnotation } from '../labels';
import { hasLapsed, leaseTiming } from './lease';
import { planSandbox, type SandboxPlan } from '../plan';
import type { RelayBuilder } from '../relayRequest';
import { assertPlanAllowed, choosePlacement, readBaseline } from '../placement';
import type { SandboxSpec } from '../spec';

export interface CreateSandboxInput {
  spec: SandboxSpec;
  developer: string;
  branch: string;
  holderIdentity: string;
  /** Where to go when namespaces may not be created; default the baseline namespace. */
  sharedNamespace?: string;
  relay?: RelayBuilder;
  /** The self-cleanup for sandboxes without a relay (janitorBuilder). */
  janitor?: JanitorBuilder;
  /** With a preview domain: the gate's builder, made once the placement is known (previewKey.ts previewGateFor). */
  previewGate?: (where: SandboxLocationChoice, signal?: AbortSignal) => Promise<PreviewGateBuilder>;
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

async function prepare(client: KubeClient, input: CreateSandboxInput, signal?: AbortSignal): Promise<{ plan: SandboxPlan; placementReason: string }> {
  const [choice, baseline] = await Promise.all([
    choosePlacement(client, { baselineNamespace: input.spec.baseline.namespace, sharedNamespace: input.sharedNamespace }, signal),
    readBaseline(client, input.spec.baseline.namespace, signal),
  ]);
  // Copies of referenced ConfigMaps and Secrets are made only for a namespace of its own (configCopies.ts).
  const config = choice.placement.mode === 'namespace' ? await readReferencedConfig(client, input.spec, baseline, signal) : [];
  const sandbox = sandboxName(input.developer, input.branch);
  const own = choice.placement.mode === 'namespace';
  const where = { sandbox, namespace: choice.placement.mode === 'shared' ? choice.placement.namespace : sandbox, ownNamespace: own };
  const previewGate = input.previewGate ? await input.previewGate(where, signal) : undefined;
  const plan = planSandbox({
    spec: input.spec,
    baseline: [...baseline, ...config],
    placement: choice.placement,
    developer: input.developer,
    branch: input.branch,
    holderIdentity: input.holderIdentity,
    renewTime: (input.now ?? (() => new Date()))(),
    leaseDurationSeconds: input.leaseDurationSeconds,
    relay: input.relay,
    janitor: input.janitor,
    previewGate,
  });
  return { plan, placementReason: choice.reason };
}

async function applyPrepared(client: KubeClient, prepared: { plan: SandboxPlan; placementReason: string }, options: ApplyOptions): Promise<CreatedSandbox> {
  await assertPlanAllowed(client, prepared.plan, options.signal);
  const result = await applyPlan(client, prepared.plan, options);
  return { ...prepared, result };
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
  return { ...prepared, result: { created: [], updated: [], pruned: [], lease: current }, upToDate: true };
}
