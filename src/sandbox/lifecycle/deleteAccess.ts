/**
 * The preflight of Delete Sandbox: what deleting the sandbox as found takes, from the feature's
 * declaration (kube/permissions/features.ts), asked of the API server before the first delete so
 * every missing permission is named at once with the Role that grants it, and nothing is deleted
 * half-way.
 */
import { assertAllowed, featureChecks } from '../../kube/access';
import type { KubeClient } from '../../kube/api';
import { requiredOf, type Condition, type NeededCheck } from '../../kube/permissions/needs';
import { cleanupKinds } from './cleanupKinds';

export interface DeleteScope {
  sandbox: string;
  namespace: string;
  /** The kinds the sandbox holds there, and those it may hold (their list was refused). */
  kinds: Iterable<string>;
  /** The sandbox owns its namespace, which goes last. */
  ownsNamespace: boolean;
}

/**
 * Listing every kind a sandbox may hold (but those only a shareable host makes, whose refusal
 * means there are none), reading and deleting the kinds it holds, and its namespace when it owns
 * one. A sandbox in a shared namespace needs nothing outside it.
 */
export function deleteChecks(scope: DeleteScope): NeededCheck[] {
  const conditions: Condition[] = ['ingress', 'gateway', ...(scope.ownsNamespace ? (['ownNamespace'] as const) : [])];
  const held = new Set(scope.kinds);
  return requiredOf(featureChecks('delete', scope.namespace, conditions)).filter((c) => {
    const kind = cleanupKinds.find((k) => k.plural === c.resource && k.group === (c.group ?? ''));
    if (!kind) return c.resource === 'namespaces';
    return c.verb === 'list' ? !kind.optional : held.has(kind.kind);
  });
}

/** Throws Forbidden naming every permission the delete lacks, before anything is deleted. */
export function assertDeleteAllowed(client: KubeClient, scope: DeleteScope, signal?: AbortSignal): Promise<void> {
  return assertAllowed(client, { feature: 'delete', what: `Delete sandbox "${scope.sandbox}"`, checks: deleteChecks(scope), signal });
}
