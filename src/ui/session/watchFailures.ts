/**
 * What the Cluster view's failing watches amount to, as one failure per place: every refusal in a
 * namespace named at once (not only the first), with the permissions they need as the explorer
 * declares them, and whether the view works around all of them (pods grouped without their
 * ReplicaSets, the kubeconfig's namespace shown without the namespace list) — a limit to say once,
 * not an error. Pure.
 */
import { ExplainedError } from '../../kube/errors';
import { kinds, type KindName } from '../../kube/kinds';
import { features } from '../../kube/permissions/features';
import { checksOf, plainCheck } from '../../kube/permissions/needs';
import { describeCheck, type AccessCheck } from '../../kube/role';

/** A watch that is failing, with the permissions it needs (for the Role a refusal offers). */
export interface WatchFailure {
  error: ExplainedError;
  needs: AccessCheck[];
  /** Every refusal in it has a way around: the view shows less, not nothing. */
  partial?: boolean;
}

/** The explorer's declared list and watch of `kind` in `namespace` (all namespaces: undefined). */
export function explorerNeeds(kind: KindName, namespace: string | undefined): Array<AccessCheck & { fallback?: string }> {
  const info = kinds[kind];
  return checksOf(features.explorer.needs, { namespace: namespace ?? '' })
    .filter((c) => c.resource === info.plural && (c.group ?? '') === info.group && (c.verb === 'list' || c.verb === 'watch'))
    .map((c) => {
      const { namespace: _ns, ...rest } = c;
      return { ...plainCheck(namespace ? c : rest), ...(c.fallback ? { fallback: c.fallback } : {}) };
    });
}

/**
 * One failure for the failing watches of a place: a failure that is not a refusal is shown as it
 * is (an unreachable cluster says only that); refusals are named together.
 */
export function combinedFailure(where: { context: string; namespace?: string }, failing: ReadonlyArray<{ kind: KindName; error: ExplainedError }>): WatchFailure | undefined {
  if (failing.length === 0) return undefined;
  const other = failing.find((f) => f.error.reason !== 'Forbidden');
  if (other) return { error: other.error, needs: explorerNeeds(other.kind, where.namespace).map(plainCheck) };
  const needs = failing.flatMap((f) => explorerNeeds(f.kind, where.namespace));
  const partial = needs.every((n) => n.fallback);
  if (failing.length === 1 && !partial) return { error: failing[0].error, needs: needs.map(plainCheck) };
  const lists = needs.filter((n) => n.verb === 'list');
  const instead = [...new Set(lists.map((n) => n.fallback).filter(Boolean))];
  const first = failing[0].error;
  const error = new ExplainedError({
    reason: 'Forbidden',
    what: where.namespace ? `Show namespace "${where.namespace}"` : `Show the namespaces of context "${where.context}"`,
    why: `you may not ${lists.map(describeCheck).join(', ')}${instead.length ? `, so ${instead.join('; ')}` : ''}`,
    remedy: 'Ask a cluster admin for the Role Tether suggests, and bind it to you',
    status: 403,
    ...(first.server ? { server: first.server } : {}),
    context: where.context,
  });
  return { error, needs: needs.map(plainCheck), ...(partial ? { partial } : {}) };
}
