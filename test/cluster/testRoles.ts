/**
 * The Roles test identities get (withServiceAccount): what a developer using Tether in one
 * namespace holds, as the README documents it, and narrower sets for single features.
 */
import type { PolicyRule } from '../../src/kube/role';

const everyVerb = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];

/**
 * The README's `tether-developer` Role: sandboxes, tunnels and previews in one namespace. The tests
 * that use it found what an earlier version of it lacked: Jobs (checks, and deleting a sandbox
 * lists them), ServiceAccounts (a sandbox's relay has one) and listing Roles and RoleBindings.
 */
export const developerRules: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['pods', 'services', 'configmaps', 'secrets', 'events'], verbs: everyVerb },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
  { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets'], verbs: everyVerb },
  { apiGroups: ['batch'], resources: ['jobs'], verbs: everyVerb },
  { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { apiGroups: ['gateway.networking.k8s.io'], resources: ['httproutes'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: everyVerb },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
];

/**
 * What the README says a tunnel alone needs: Deployments, ConfigMaps, Secrets and Services (get,
 * list, create, patch, delete), pods (get, list) and pods/portforward (get, create).
 */
export const tunnelRules: readonly PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps', 'secrets', 'services'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list', 'create', 'patch', 'delete'] },
  { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
  { apiGroups: [''], resources: ['pods/portforward'], verbs: ['get', 'create'] },
];

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
