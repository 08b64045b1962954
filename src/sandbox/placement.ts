/**
 * Where a sandbox goes, decided by asking the API server (SelfSubjectAccessReview): its own
 * namespace when the user may create namespaces, otherwise name-prefixed objects in a namespace
 * they can use. And the permission preflight for a plan: what the sandbox features declare
 * (kube/permissions/features.ts) and the rules of the Role the plan creates (RBAC's escalation
 * rule), reported all at once with the Roles that grant what is missing.
 */
import { assertAllowed, checkAccess, featureChecks } from '../kube/access';
import type { KubeClient } from '../kube/api';
import { kinds, type KindInfo } from '../kube/kinds';
import { sandboxFeatures } from '../kube/permissions/features';
import { requiredOf, type Condition, type NeededCheck } from '../kube/permissions/needs';
import { checksOfRule } from '../kube/permissions/rules';
import type { PolicyRule } from '../kube/role';
import type { KubeObject } from '../kube/types';
import type { DesiredObject } from './desired';
import { knownKind } from './lifecycle/apply';
import { copiedFromAnnotation } from './forks/configCopies';
import { baselineAnnotation, isTetherOwned, roleLabel } from './labels';
import type { Placement, SandboxPlan } from './plan';

export interface PlacementChoice {
  placement: Placement;
  /** Said plainly to the user, e.g. why the sandbox shares a namespace. */
  reason: string;
}

export async function choosePlacement(client: KubeClient, options: { baselineNamespace: string; sharedNamespace?: string }, signal?: AbortSignal): Promise<PlacementChoice> {
  const [answer] = await checkAccess(client, [{ verb: 'create', resource: 'namespaces' }], signal);
  if (answer.allowed) return { placement: { mode: 'namespace' }, reason: 'You may create namespaces, so the sandbox gets a namespace of its own.' };
  const namespace = options.sharedNamespace ?? options.baselineNamespace;
  const why = answer.reason ? ` (${answer.reason})` : '';
  return {
    placement: { mode: 'shared', namespace },
    reason: `You may not create namespaces${why}, so the sandbox's objects are created in namespace "${namespace}" with your sandbox's name as prefix.`,
  };
}

/** The Deployments, StatefulSets and Services of the baseline namespace; sandboxes sharing it are not part of it. */
export async function readBaseline(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<KubeObject[]> {
  const listed = await Promise.all(
    (['Deployment', 'StatefulSet', 'Service'] as const).map(async (kind) => (await client.listAll<KubeObject>(kinds[kind], namespace, { signal })).items.map((o) => ({ ...o, kind }))),
  );
  return listed.flat().filter((o) => !isTetherOwned(o));
}

/** The conditions a plan's needs depend on: where it lives, which shareable host it has. */
export function planConditions(plan: SandboxPlan): Condition[] {
  const conditions: Condition[] = [plan.placement === 'namespace' ? 'ownNamespace' : 'sharedNamespace'];
  if (plan.objects.some((o) => o.kind === 'Ingress')) conditions.push('ingress');
  if (plan.objects.some((o) => o.kind === 'HTTPRoute')) conditions.push('gateway');
  return conditions;
}

/** Reading, by name, each baseline object the plan copies (configCopies.ts). */
function copyChecks(plan: SandboxPlan, why: string): NeededCheck[] {
  return plan.objects.flatMap((o) => {
    const from = o.metadata.annotations?.[copiedFromAnnotation];
    const info = knownKind(o.kind);
    if (!from || !info) return [];
    const [namespace, name] = from.split('/');
    return [{ verb: 'get', resource: info.plural, namespace, name, why }];
  });
}

/**
 * Everything bringing `plan` up, previewing and later deleting it needs, as declared for those
 * features (what they work without aside): writes of the kinds the plan holds, and the copies it
 * makes asked for by name.
 */
export function planChecks(plan: SandboxPlan): NeededCheck[] {
  const baseline = plan.objects.find((o) => o.kind === 'Lease')?.metadata.annotations?.[baselineAnnotation] ?? plan.namespace;
  const held = new Set(plan.objects.map((o) => knownKind(o.kind)).filter((k): k is KindInfo => Boolean(k)).map((k) => `${k.group}/${k.plural}`));
  const declared = requiredOf(sandboxFeatures.flatMap((f) => featureChecks(f, plan.namespace, planConditions(plan), baseline))).filter((c) => !c.onlyHeld || held.has(`${c.group ?? ''}/${c.resource}`));
  const copies = declared.find((c) => c.names === 'planned');
  return [...declared.filter((c) => c.names !== 'planned'), ...(copies ? copyChecks(plan, copies.why) : [])];
}

/**
 * The rules of the Role the plan gives its in-cluster agent, as checks: to create that Role the
 * user must hold each of them (or may escalate and bind Roles).
 */
export function planEscalation(plan: SandboxPlan): NeededCheck[] {
  const role = plan.objects.find((o) => o.kind === 'Role' && o.metadata.labels?.[roleLabel] === 'rbac') as (DesiredObject & { rules?: PolicyRule[] }) | undefined;
  const why = "to give the sandbox's self-cleanup its Role";
  return (role?.rules ?? []).flatMap((rule) => checksOfRule(rule, plan.namespace).map((c) => ({ ...c, why })));
}

/** Throws Forbidden, naming every missing permission and the Roles that grant them, before anything is written. */
export async function assertPlanAllowed(client: KubeClient, plan: SandboxPlan, signal?: AbortSignal): Promise<void> {
  await assertAllowed(client, { feature: 'sandbox', what: `Create sandbox "${plan.sandbox}"`, checks: planChecks(plan), escalation: planEscalation(plan), signal });
}

/**
 * Reading what a plan is made from (the baseline, the placement, the agent's key) was refused:
 * throws the refusal of everything the sandbox's features are known to need before there is a plan
 * (all but writing the kinds a plan holds), so every missing permission is named at once, with the
 * Roles that grant them. Throws `err` itself when that finds nothing missing.
 */
export async function refuseUnplanned(client: KubeClient, where: { sandbox: string; namespace: string; baseline: string }, err: unknown, signal?: AbortSignal): Promise<never> {
  const checks = requiredOf(sandboxFeatures.flatMap((f) => featureChecks(f, where.namespace, ['sharedNamespace'], where.baseline))).filter((c) => !c.onlyHeld && c.names !== 'planned');
  await assertAllowed(client, { feature: 'sandbox', what: `Create sandbox "${where.sandbox}"`, checks, signal });
  throw err;
}
