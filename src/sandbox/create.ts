/**
 * Creating or updating a sandbox end to end: choose where it goes, read the baseline, plan, check
 * permissions, apply. A spec is only accepted already parsed (parseSpec), so one with errors
 * cannot get here.
 */
import type { KubeClient } from '../kube/api';
import { applyPlan, type ApplyOptions, type ApplyResult } from './apply';
import type { JanitorBuilder } from './janitor';
import { planSandbox, type RelayBuilder, type SandboxPlan } from './plan';
import { assertPlanAllowed, choosePlacement, readBaseline } from './placement';
import type { SandboxSpec } from './spec';

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
  leaseDurationSeconds?: number;
  now?: () => Date;
}

export interface CreatedSandbox {
  plan: SandboxPlan;
  result: ApplyResult;
  /** Why the sandbox went where it went, in plain words. */
  placementReason: string;
}

export async function createSandbox(client: KubeClient, input: CreateSandboxInput, options: ApplyOptions = {}): Promise<CreatedSandbox> {
  const { signal } = options;
  const [choice, baseline] = await Promise.all([
    choosePlacement(client, { baselineNamespace: input.spec.baseline.namespace, sharedNamespace: input.sharedNamespace }, signal),
    readBaseline(client, input.spec.baseline.namespace, signal),
  ]);
  const plan = planSandbox({
    spec: input.spec,
    baseline,
    placement: choice.placement,
    developer: input.developer,
    branch: input.branch,
    holderIdentity: input.holderIdentity,
    renewTime: (input.now ?? (() => new Date()))(),
    leaseDurationSeconds: input.leaseDurationSeconds,
    relay: input.relay,
    janitor: input.janitor,
  });
  await assertPlanAllowed(client, plan, signal);
  const result = await applyPlan(client, plan, options);
  return { plan, result, placementReason: choice.reason };
}
