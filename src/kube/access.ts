/**
 * Preflight with SelfSubjectAccessReview: asks the API server whether the current user may do
 * each thing, so missing permissions are reported all at once, before anything is written, with
 * the Roles that grant them (kube/permissions/remedy.ts) merged with what the user already holds
 * (SelfSubjectRulesReview).
 */
import type { KubeClient } from './api';
import { ExplainedError } from './errors';
import { kinds, resourcePath } from './kinds';
import { familyOf, features } from './permissions/features';
import { checksOf, plainCheck, uniqueChecks, type Condition, type FeatureId, type Need } from './permissions/needs';
import { accessAdvice, describeNeed, grantStep, heldOf, roleNames, type AccessAdvice } from './permissions/remedy';
import type { AccessCheck, PolicyRule } from './role';

export type { AccessCheck } from './role';
export { minimalRole, minimalRules, describeCheck } from './role';

export interface AccessResult {
  check: AccessCheck;
  allowed: boolean;
  reason?: string;
}

interface ReviewStatus {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

const concurrency = 6;

async function review(client: KubeClient, check: AccessCheck, signal?: AbortSignal): Promise<AccessResult> {
  const resourceAttributes: Record<string, string> = { verb: check.verb, resource: check.resource };
  if (check.group) resourceAttributes.group = check.group;
  if (check.subresource) resourceAttributes.subresource = check.subresource;
  if (check.namespace) resourceAttributes.namespace = check.namespace;
  if (check.name) resourceAttributes.name = check.name;
  const answer = await client.request<ReviewStatus>({
    what: `Check whether you may ${check.verb} ${check.resource}${check.subresource ? `/${check.subresource}` : ''}`,
    method: 'POST',
    path: resourcePath(kinds.SelfSubjectAccessReview),
    body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec: { resourceAttributes } },
    signal,
  });
  const result: AccessResult = { check, allowed: answer?.status?.allowed === true };
  const reason = answer?.status?.reason || answer?.status?.evaluationError;
  if (reason) result.reason = reason;
  return result;
}

/** One result per check, in order. Failures of the review itself reject with an ExplainedError. */
export async function checkAccess(client: KubeClient, checks: AccessCheck[], signal?: AbortSignal): Promise<AccessResult[]> {
  const results: AccessResult[] = new Array(checks.length);
  let next = 0;
  const worker = async () => {
    while (next < checks.length) {
      const index = next++;
      results[index] = await review(client, checks[index], signal);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, checks.length) }, worker));
  return results;
}

interface RulesReviewStatus {
  status?: { resourceRules?: Array<{ verbs?: string[]; apiGroups?: string[]; resources?: string[]; resourceNames?: string[] }> };
}

/**
 * The rules the user holds in `namespace` (SelfSubjectRulesReview). Empty when the review cannot
 * be had: what it adds to a suggested Role is a courtesy, never a reason to fail.
 */
export async function heldRules(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<PolicyRule[]> {
  try {
    const answer = await client.request<RulesReviewStatus>({
      what: `Read what you may do in namespace "${namespace}"`,
      method: 'POST',
      path: resourcePath(kinds.SelfSubjectRulesReview),
      body: { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace } },
      signal,
    });
    return (answer?.status?.resourceRules ?? []).map((r) => ({ apiGroups: r.apiGroups ?? [], resources: r.resources ?? [], verbs: r.verbs ?? [], ...(r.resourceNames?.length ? { resourceNames: r.resourceNames } : {}) }));
  } catch {
    return [];
  }
}

interface SelfReviewStatus {
  status?: { userInfo?: { username?: string } };
}

/**
 * Who the API server takes the user for (SelfSubjectReview, Kubernetes 1.28 on; `kubectl auth
 * whoami`), e.g. "system:serviceaccount:dev:jane"; undefined when the server cannot say.
 */
export async function whoAmI(client: KubeClient, signal?: AbortSignal): Promise<string | undefined> {
  try {
    const answer = await client.request<SelfReviewStatus>({
      what: 'Ask the cluster who you are',
      method: 'POST',
      path: resourcePath(kinds.SelfSubjectReview),
      body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' },
      signal,
    });
    return answer?.status?.userInfo?.username || undefined;
  } catch {
    return undefined;
  }
}

/**
 * The advice for a feature's refusal: Roles granting `missing` merged with what the user holds of
 * the feature where they are suggested — `allowed` (checks the preflight found allowed), what a
 * SelfSubjectRulesReview shows of the feature's declared needs in those namespaces, and, when a
 * ClusterRole is suggested, what the user may do of them across the cluster — and who the user is
 * (`user`, or as the cluster says), so a binding can name them.
 */
export async function adviseAccess(client: KubeClient, feature: FeatureId, missing: readonly AccessCheck[], allowed: readonly AccessCheck[] = [], signal?: AbortSignal, user?: string): Promise<AccessAdvice> {
  const namespaces = [...new Set(missing.map((c) => c.namespace).filter((ns): ns is string => Boolean(ns)))];
  const conditions: Condition[] = ['sharedNamespace', 'ingress', 'gateway', 'statefulSet', 'daemonSet'];
  const needs = familyOf(feature).flatMap((f) => features[f].needs);
  const [who, declared, clusterWide] = await Promise.all([
    user ?? whoAmI(client, signal),
    Promise.all(namespaces.map(async (namespace) => heldOf(checksOf(needs, { namespace, conditions }).filter((c) => c.namespace === namespace), await heldRules(client, namespace, signal)))),
    missing.some((c) => !c.namespace) ? heldClusterWide(client, needs, conditions, signal) : [],
  ]);
  return { ...accessAdvice(feature, missing, uniqueChecks([...allowed, ...declared.flat(), ...clusterWide]), who), merged: true };
}

/**
 * What the user holds of `needs` across the cluster (lists in every namespace, kinds outside
 * namespaces), asked one by one: no review lists cluster-wide grants. A ClusterRole suggested for
 * the feature keeps them, so applying it never takes one away. Empty when the cluster cannot say.
 */
async function heldClusterWide(client: KubeClient, needs: readonly Need[], conditions: readonly Condition[], signal?: AbortSignal): Promise<AccessCheck[]> {
  const candidates = uniqueChecks(checksOf(needs, { namespace: '', conditions }).filter((c) => c.namespace === undefined && !c.name).map(plainCheck));
  const results = await checkAccess(client, candidates, signal).catch(() => [] as AccessResult[]);
  return results.filter((r) => r.allowed).map((r) => r.check);
}

export interface PreflightRequest {
  feature: FeatureId;
  /** What is about to be done, e.g. `Create sandbox "jane-main"`. */
  what: string;
  checks: readonly (AccessCheck & { why?: string })[];
  /**
   * Checks that are needed only unless the user may `escalate` and `bind` Roles in their namespace:
   * the rules of a Role Tether creates (RBAC lets nobody grant what they do not hold).
   */
  escalation?: readonly (AccessCheck & { why?: string })[];
  signal?: AbortSignal;
}

/** The checks of the escalation set that the plain checks do not already ask (unnamed, same verb and resource). */
function escalationOnly(request: PreflightRequest): AccessCheck[] {
  const asked = new Set(request.checks.map((c) => JSON.stringify([c.verb, c.group ?? '', c.resource, c.subresource ?? '', c.namespace ?? ''])));
  return (request.escalation ?? []).filter((c) => !asked.has(JSON.stringify([c.verb, c.group ?? '', c.resource, c.subresource ?? '', c.namespace ?? ''])));
}

/** Whether the user may `escalate` and `bind` Roles in every namespace the escalation checks are in. */
async function mayEscalate(client: KubeClient, escalation: readonly AccessCheck[], signal?: AbortSignal): Promise<boolean> {
  const namespaces = [...new Set(escalation.map((c) => c.namespace).filter((ns): ns is string => Boolean(ns)))];
  if (namespaces.length === 0) return false;
  const checks = namespaces.flatMap((namespace) => (['escalate', 'bind'] as const).map((verb) => ({ verb, group: 'rbac.authorization.k8s.io', resource: 'roles', namespace })));
  return (await checkAccess(client, checks, signal)).every((r) => r.allowed);
}

/**
 * Asks the API server about every check (and the escalation checks, unless the user may escalate
 * and bind) and throws Forbidden naming each missing permission, with the advice attached, when
 * anything is missing. Nothing is written either way.
 */
export async function assertAllowed(client: KubeClient, request: PreflightRequest): Promise<void> {
  const checks = uniqueChecks(request.checks);
  const extra = escalationOnly(request);
  const [results, extraResults] = await Promise.all([
    checkAccess(client, checks, request.signal),
    extra.length ? checkAccess(client, extra, request.signal) : Promise.resolve([] as AccessResult[]),
  ]);
  const escalationMissing = extraResults.filter((r) => !r.allowed).map((r) => r.check);
  const exempt = escalationMissing.length > 0 && (await mayEscalate(client, escalationMissing, request.signal));
  const missing = [...results.filter((r) => !r.allowed).map((r) => r.check), ...(exempt ? [] : escalationMissing)];
  if (missing.length === 0) return;
  const allowed = [...results, ...extraResults].filter((r) => r.allowed).map((r) => r.check);
  const advice = await adviseAccess(client, request.feature, missing, allowed, request.signal);
  throw new ExplainedError({
    reason: 'Forbidden',
    what: request.what,
    why: `you may not ${missing.map(describeNeed).join('; ')}${escalationMissing.length > 0 && !exempt ? ' (a Role Tether creates may grant only what you hold yourself)' : ''}`,
    remedy: `Nothing was changed. Ask a cluster admin to apply ${roleNames(advice)}, which grant${advice.roles.length === 1 ? 's' : ''} exactly what is missing (and what you hold of it already), and bind it to you`,
    step: grantStep(advice),
    status: 403,
    access: advice,
  });
}

/** The preflight of a feature as declared, in `namespace` (and `baseline`) under `conditions`. */
export function featureChecks(feature: FeatureId, namespace: string, conditions: Condition[] = [], baseline?: string): ReturnType<typeof checksOf> {
  return checksOf(features[feature].needs, { namespace, conditions, ...(baseline ? { baseline } : {}) });
}
