/**
 * The in-cluster agent's Role for one sandbox, from the agent's declaration (features.ts): its
 * Lease by name, lists of the kinds it cleans up, deletes of exactly the objects the plan holds
 * (RBAC cannot select by label, so by name), and its own namespace when it owns one. The same
 * checks are what the developer must hold to create that Role (RBAC's escalation rule). Pure.
 */
import { kinds, type KindName } from '../kinds';
import { features } from './features';
import { checksOf, plainCheck, uniqueChecks, type AccessCheck, type Condition, type PolicyRule } from './needs';
import { rulesFor } from './rules';

export interface AgentRoleInput {
  namespace: string;
  leaseName: string;
  /** Names of the objects the sandbox holds in `namespace`, by kind (the agent's own included). */
  planned: ReadonlyMap<string, readonly string[]>;
  /** The sandbox owns its namespace: the agent deletes it too. */
  ownsNamespace: boolean;
}

/** Every permission the agent's Role grants, as access checks in its namespace. */
export function agentChecks(input: AgentRoleInput): AccessCheck[] {
  const conditions: Condition[] = [];
  if (input.ownsNamespace) conditions.push('ownNamespace');
  if (input.planned.has('Ingress')) conditions.push('ingress');
  if (input.planned.has('HTTPRoute')) conditions.push('gateway');
  const plurals = new Map(Object.values(kinds).map((k) => [`${k.group}/${k.plural}`, k.kind as KindName]));
  const out: AccessCheck[] = [];
  for (const check of checksOf(features.agent.needs, { namespace: input.namespace, conditions })) {
    const plain = plainCheck(check);
    if (check.names === 'lease') out.push({ ...plain, name: input.leaseName });
    else if (check.names === 'planned') {
      const kind = plurals.get(`${check.group ?? ''}/${check.resource}`) ?? '';
      for (const name of [...new Set(input.planned.get(kind) ?? [])].sort()) out.push({ ...plain, name });
    } else out.push(plain);
  }
  return uniqueChecks(out);
}

/** The rules of the agent's Role. */
export function agentRules(input: AgentRoleInput): PolicyRule[] {
  return rulesFor(agentChecks(input));
}
