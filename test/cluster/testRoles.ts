/**
 * The Roles test identities get (withServiceAccount): what a developer using Tether in one
 * namespace holds — exactly the README's shared-namespace Role, generated from the features'
 * declared needs (src/kube/permissions) — and narrower sets for single features.
 */
import { profileRules } from '../../src/kube/permissions/profiles';
import { rulesFor } from '../../src/kube/permissions/rules';
import type { PolicyRule } from '../../src/kube/role';
import { tunnelAccessChecks } from '../../src/tunnel/sessionStart';

/** The README's `tether-developer` Role for a shared namespace, as generated. */
export const developerRules: readonly PolicyRule[] = profileRules('developer-shared').rules;

/** What Tunnel Workload declares it needs (a Deployment's), in the Role's own namespace. */
export const tunnelRules: readonly PolicyRule[] = rulesFor(tunnelAccessChecks('x').map(({ namespace: _ns, ...c }) => c));

/** `rules` without one verb on one resource: the permission a test takes away. */
export function rulesWithout(rules: readonly PolicyRule[], group: string, resource: string, verb: string): PolicyRule[] {
  return rules.flatMap((rule) => {
    if (!rule.apiGroups.includes(group) || !rule.resources.includes(resource) || !rule.verbs.includes(verb)) return [rule];
    const rest = rule.resources.filter((r) => r !== resource);
    const verbs = rule.verbs.filter((v) => v !== verb);
    return [...(rest.length > 0 ? [{ ...rule, resources: rest }] : []), ...(verbs.length > 0 ? [{ ...rule, resources: [resource], verbs }] : [])];
  });
}

/** `developerRules` without one verb on one resource. */
export function developerRulesWithout(group: string, resource: string, verb: string): PolicyRule[] {
  return rulesWithout(developerRules, group, resource, verb);
}
