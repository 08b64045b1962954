/**
 * The RBAC authorizer over the simulator's stored Roles, RoleBindings, ClusterRoles and
 * ClusterRoleBindings, as kube-apiserver's (rbac.go and the DefaultRuleResolver of
 * pkg/registry/rbac/validation/rule.go): ClusterRoleBindings apply everywhere, RoleBindings in
 * their namespace; subjects are users, groups and ServiceAccounts; a binding whose role is
 * missing is a resolution error that denials report.
 */
import type { KubeObject } from '../../src/kube/types';
import type { UserInfo } from './auth';
import { compactRules, compactString, goQuoted, ruleAllows, uncovered, type PolicyRule, type RequestAttributes } from './rbacRules';
import type { ResourceRegistry } from './resources';
import type { ObjectStore } from './store';

export const rbacGroup = 'rbac.authorization.k8s.io';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}

type Binding = KubeObject & { subjects?: Subject[]; roleRef?: RoleRef };
type Role = KubeObject & { rules?: PolicyRule[] | null };

/** Visited for each rule that applies (with where it came from) or each resolution error. */
type Visitor = (source: string | undefined, rule: PolicyRule | undefined, error: string | undefined) => boolean;

export interface Decision {
  allowed: boolean;
  /** "RBAC: allowed by …" when allowed; resolution errors ("RBAC: …") when not, or empty. */
  reason: string;
}

/** system:serviceaccount:<namespace>:<name> */
export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

function appliesTo(user: UserInfo, subject: Subject, namespace: string): boolean {
  switch (subject.kind) {
    case 'User':
      return user.name === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const saNamespace = subject.namespace || namespace;
      return saNamespace !== '' && user.name === serviceAccountUser(saNamespace, subject.name);
    }
    default:
      return false;
  }
}

export class RbacAuthorizer {
  constructor(
    private readonly store: ObjectStore,
    private readonly registry: ResourceRegistry,
  ) {}

  /** The rules of a binding's role, or the API server's NotFound wording when it is missing. */
  roleRefRules(ref: RoleRef, bindingNamespace: string): { rules?: PolicyRule[]; error?: string } {
    if (ref.kind === 'Role') {
      const role = this.store.get(this.registry.kind('Role'), bindingNamespace, ref.name) as Role | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `role.${rbacGroup} ${JSON.stringify(ref.name)} not found` };
    }
    if (ref.kind === 'ClusterRole') {
      const role = this.store.get(this.registry.kind('ClusterRole'), undefined, ref.name) as Role | undefined;
      return role ? { rules: role.rules ?? [] } : { error: `clusterrole.${rbacGroup} ${JSON.stringify(ref.name)} not found` };
    }
    return { error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
  }

  private visit(user: UserInfo, namespace: string, visitor: Visitor): void {
    for (const binding of this.store.list(this.registry.kind('ClusterRoleBinding')) as Binding[]) {
      const subject = (binding.subjects ?? []).find((s) => appliesTo(user, s, ''));
      if (!subject || !binding.roleRef) continue;
      const { rules, error } = this.roleRefRules(binding.roleRef, '');
      if (error) {
        if (!visitor(undefined, undefined, error)) return;
        continue;
      }
      const source = `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, '')}`;
      for (const rule of rules ?? []) if (!visitor(source, rule, undefined)) return;
    }
    if (!namespace) return;
    for (const binding of this.store.list(this.registry.kind('RoleBinding'), namespace) as Binding[]) {
      const subject = (binding.subjects ?? []).find((s) => appliesTo(user, s, namespace));
      if (!subject || !binding.roleRef) continue;
      const { rules, error } = this.roleRefRules(binding.roleRef, namespace);
      if (error) {
        if (!visitor(undefined, undefined, error)) return;
        continue;
      }
      const source = `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${namespace}`)} of ${binding.roleRef.kind} ${JSON.stringify(binding.roleRef.name)} to ${describeSubject(subject, namespace)}`;
      for (const rule of rules ?? []) if (!visitor(source, rule, undefined)) return;
    }
  }

  authorize(user: UserInfo, a: RequestAttributes): Decision {
    let allowedBy: string | undefined;
    const errors: string[] = [];
    this.visit(user, a.namespace ?? '', (source, rule, error) => {
      if (rule && ruleAllows(a, rule)) {
        allowedBy = source;
        return false;
      }
      if (error) errors.push(error);
      return true;
    });
    if (allowedBy !== undefined) return { allowed: true, reason: `RBAC: allowed by ${allowedBy}` };
    return { allowed: false, reason: errors.length === 0 ? '' : `RBAC: ${aggregate(errors)}` };
  }

  /** Every rule that applies to `user` in `namespace` (cluster-wide ones included), and resolution errors. */
  rulesFor(user: UserInfo, namespace: string): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors: string[] = [];
    this.visit(user, namespace, (_source, rule, error) => {
      if (rule) rules.push(rule);
      if (error) errors.push(error);
      return true;
    });
    return { rules, errors };
  }

  /**
   * ConfirmNoEscalation: undefined when the rules `user` holds in `namespace` cover `rules`, else the
   * API server's message listing what they would grant that they do not hold.
   */
  escalation(user: UserInfo, namespace: string, rules: readonly PolicyRule[]): string | undefined {
    const held = this.rulesFor(user, namespace);
    const missing = uncovered(held.rules, rules);
    if (missing.length === 0) return undefined;
    const described = [...new Set(compactRules(missing).map(compactString))].sort();
    let message = `user ${JSON.stringify(user.name)} (groups=${goQuoted(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${described.join('\n')}`;
    if (held.errors.length > 0) message += `; resolution errors: [${aggregate(held.errors)}]`;
    return message;
  }
}

/** utilerrors.NewAggregate(...).Error(): one error as itself, several as `[a, b]`. */
function aggregate(errors: readonly string[]): string {
  return errors.length === 1 ? errors[0] : `[${errors.join(', ')}]`;
}
