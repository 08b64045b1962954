/**
 * Ownership in the cluster: the labels and annotations every object Tether creates carries, and
 * the checks that keep Tether away from anything else.
 */

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'tether';
export const sandboxLabel = 'tether.dev/sandbox';
export const ownerLabel = 'tether.dev/owner';
/** On forked workloads, their pods and Services: the baseline workload's name. */
export const forkLabel = 'tether.dev/fork';
/** What an object does for the sandbox (see ObjectRole). */
export const roleLabel = 'tether.dev/role';

/** On the Lease: the sandbox's time to live after the last renewal, in seconds. */
export const ttlAnnotation = 'tether.dev/ttl-seconds';
/** On the Lease: "namespace" (the sandbox owns its namespace) or "shared". */
export const placementAnnotation = 'tether.dev/placement';
/** On the Lease: the baseline namespace. */
export const baselineAnnotation = 'tether.dev/baseline';
/** On forked workloads: "<namespace>/<name>" of the baseline they copy. */
export const forkedFromAnnotation = 'tether.dev/forked-from';
/** On the Lease: a hash of everything the plan applies, so an unchanged sandbox is not applied again. */
export const planHashAnnotation = 'tether.dev/plan-sha256';
/** On the Lease: the developer's name as typed (labels hold a slug of it). */
export const developerAnnotation = 'tether.dev/developer';

export type ObjectRole = 'namespace' | 'lease' | 'rbac' | 'fork' | 'service' | 'baseline-alias' | 'agent' | 'preview-gate' | 'check';

/** The Jobs (and their pods) of check runs: results, not part of any plan. */
export const checkRole: ObjectRole = 'check';

/** Roles of the Deployments that may run the sandbox's self-cleanup: it never deletes them itself. */
export const selfCleaningRoles: ReadonlySet<string> = new Set<ObjectRole>(['agent']);

/** On the agent's pods: the agent's name. The forks' and the gate's Services select its pod by it. */
export const agentLabel = 'tether.dev/agent';
/** On the agent's Deployment: the `local` forks it stands in for, comma-separated. */
export const localForksAnnotation = 'tether.dev/local-forks';

export const fieldManager = 'tether';

export function ownershipLabels(sandbox: string, owner: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, [sandboxLabel]: sandbox, [ownerLabel]: owner };
}

/** Tether created it: the managed-by label and both sandbox labels are present. */
/** Anything with labels: a listed object or a desired one. */
export interface Labelled {
  metadata: { labels?: Record<string, string> };
}

export function isTetherOwned(object: Labelled): boolean {
  const labels = object.metadata.labels ?? {};
  return labels[managedByLabel] === managedByValue && Boolean(labels[sandboxLabel]) && Boolean(labels[ownerLabel]);
}

/** Tether created it for this sandbox. */
export function belongsTo(object: Labelled, sandbox: string): boolean {
  return isTetherOwned(object) && object.metadata.labels?.[sandboxLabel] === sandbox;
}

/** Label selector for everything of one sandbox (or, without a name, of every sandbox). */
export function sandboxSelector(sandbox?: string): string {
  return sandbox ? `${managedByLabel}=${managedByValue},${sandboxLabel}=${sandbox}` : `${managedByLabel}=${managedByValue},${sandboxLabel}`;
}
