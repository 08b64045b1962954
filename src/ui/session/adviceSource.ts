/**
 * Advice for a refusal with the cluster's help: the Roles that grant what was missing, merged with
 * what the user holds of the feature there (SelfSubjectRulesReview), read through the selected
 * context's client (or the refused request's). The access module loads on first use.
 */
import type { AdviceSource } from '../roleRemedy';
import type { ClusterExplorer } from './explorer';

export function adviceSource(explorer: Pick<ClusterExplorer, 'kube' | 'selectedContext'>): AdviceSource {
  return async (feature, missing, context, user) => {
    const name = context ?? explorer.selectedContext;
    const { accessAdvice } = await import('../../kube/permissions/remedy');
    if (!name) return accessAdvice(feature, missing, [], user);
    const client = (await explorer.kube()).client(name);
    const { adviseAccess } = await import('../../kube/access');
    return adviseAccess(client, feature, missing, [], AbortSignal.timeout(10_000), user);
  };
}
