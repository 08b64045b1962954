/**
 * Preflight with SelfSubjectAccessReview: asks the API server whether the current user may do
 * each thing, so missing permissions are reported all at once with the Role that grants them.
 */
import type { KubeClient } from './api';
import { kinds, resourcePath } from './kinds';
import type { AccessCheck } from './role';

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
