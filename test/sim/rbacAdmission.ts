/**
 * RBAC's escalation check on writes of Roles, ClusterRoles and their bindings, as the API server's
 * policy-based storage does it (pkg/registry/rbac: role/policybased, rolebinding/policybased and
 * escalation_check.go): a user may create or update a role only with rules they hold themselves
 * (in the role's namespace), unless they may `escalate` roles; a binding only when they may `bind`
 * its role or hold all its rules. `system:masters` is never checked; an update that only touches
 * what the garbage collector changes (owner references, finalizers) is not either.
 */
import type { KubeObject } from '../../src/kube/types';
import type { UserInfo } from './auth';
import { isPrivileged, type Authorizer } from './authorizer';
import { rbacGroup } from './rbac';
import type { PolicyRule } from './rbacRules';
import type { ResourceInfo } from './resources';
import { ApiError, failure, forbiddenBecause } from './status';

type Rbac = KubeObject & { rules?: PolicyRule[] | null; roleRef?: { apiGroup?: string; kind: string; name: string }; subjects?: unknown[]; aggregationRule?: unknown };

const roleKinds = new Set(['Role', 'ClusterRole']);
const bindingKinds = new Set(['RoleBinding', 'ClusterRoleBinding']);

/** Everything but what the garbage collector may change. */
function contentOf(object: Rbac): string {
  const { labels, annotations } = object.metadata;
  return JSON.stringify([object.rules, object.aggregationRule, object.roleRef, object.subjects, labels, annotations]);
}

/**
 * The check for a write of `info` by `user` (`name` is the URL's, empty for a create), or undefined
 * when there is nothing to check. It runs on the object as it will be stored.
 */
export function rbacWriteCheck(authorizer: Authorizer, user: UserInfo, info: ResourceInfo, name: string | undefined): ((object: KubeObject, existing?: KubeObject) => void) | undefined {
  if (isPrivileged(user) || (!roleKinds.has(info.kind) && !bindingKinds.has(info.kind))) return undefined;
  return (input, existing) => {
    const object = input as Rbac;
    if (existing && contentOf(object) === contentOf(existing as Rbac)) return;
    const namespace = info.namespaced ? (object.metadata.namespace ?? '') : '';
    if (roleKinds.has(info.kind)) {
      const escalate = authorizer.authorize(user, { verb: 'escalate', resourceRequest: true, group: rbacGroup, resource: info.plural, namespace: namespace || undefined, name });
      if (escalate.allowed) return;
      const why = authorizer.rbac.escalation(user, namespace, object.rules ?? []);
      if (why) throw forbiddenBecause({ group: rbacGroup, resource: info.plural }, object.metadata.name, why);
      return;
    }
    const ref = object.roleRef;
    if (!ref) return;
    const bind = authorizer.authorize(user, {
      verb: 'bind',
      resourceRequest: true,
      group: ref.apiGroup ?? '',
      resource: ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles',
      namespace: namespace || undefined,
      name: ref.name,
    });
    if (bind.allowed) return;
    const { rules } = authorizer.rbac.roleRefRules(ref, namespace);
    if (!rules) {
      const plural = ref.kind === 'ClusterRole' ? 'clusterroles' : 'roles';
      throw new ApiError(failure(404, 'NotFound', `${plural}.${rbacGroup} ${JSON.stringify(ref.name)} not found`, { name: ref.name, group: rbacGroup, kind: plural }));
    }
    const why = authorizer.rbac.escalation(user, namespace, rules);
    if (why) throw forbiddenBecause({ group: rbacGroup, resource: info.plural }, object.metadata.name, why);
  };
}
