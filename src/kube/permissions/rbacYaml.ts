/**
 * RBAC objects as YAML a cluster admin reads and applies: short flow lists for groups, resources
 * and verbs, one rule per item, an optional note beside a rule. The README's Roles and every Role
 * Tether suggests are written by this one printer. Pure.
 */
import type { PolicyRule } from './needs';

export const rbacApiVersion = 'rbac.authorization.k8s.io/v1';

export interface Subject {
  kind: 'User' | 'Group' | 'ServiceAccount';
  name: string;
  /** ServiceAccounts only. */
  namespace?: string;
}

export type RbacObject =
  | { kind: 'Role' | 'ClusterRole'; name: string; namespace?: string; rules: readonly PolicyRule[]; notes?: ReadonlyMap<PolicyRule, string> }
  | { kind: 'RoleBinding' | 'ClusterRoleBinding'; name: string; namespace?: string; role: { kind: 'Role' | 'ClusterRole'; name: string }; subjects: readonly Subject[] }
  | { kind: 'ServiceAccount'; name: string; namespace: string }
  /** The Secret Kubernetes fills with a long-lived token of `serviceAccount`. */
  | { kind: 'ServiceAccountToken'; name: string; namespace: string; serviceAccount: string };

/** A Role or ClusterRole. */
export type RoleObject = Extract<RbacObject, { rules: readonly PolicyRule[] }>;

const plain = /^[A-Za-z0-9<][A-Za-z0-9._\-<>/]*$/;

function scalar(value: string): string {
  return plain.test(value) ? value : JSON.stringify(value);
}

function flowList(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

function flowMap(entries: ReadonlyArray<readonly [string, string | undefined]>): string {
  return `{ ${entries.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${scalar(v as string)}`).join(', ')} }`;
}

const noteColumn = 44;

function ruleLines(rule: PolicyRule, note: string | undefined): string[] {
  const first = `  - apiGroups: ${flowList(rule.apiGroups)}`;
  const lines = [note ? `${first.padEnd(noteColumn - 1)} # ${note}` : first, `    resources: ${flowList(rule.resources)}`];
  if (rule.resourceNames?.length) lines.push(`    resourceNames: ${flowList(rule.resourceNames)}`);
  lines.push(`    verbs: ${flowList(rule.verbs)}`);
  return lines;
}

function subjectText(s: Subject): string {
  return s.kind === 'ServiceAccount' ? flowMap([['kind', s.kind], ['name', s.name], ['namespace', s.namespace]]) : flowMap([['kind', s.kind], ['name', s.name], ['apiGroup', 'rbac.authorization.k8s.io']]);
}

function objectText(o: RbacObject): string {
  if (o.kind === 'ServiceAccountToken') {
    return [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${scalar(o.name)}`,
      `  namespace: ${scalar(o.namespace)}`,
      `  annotations: ${flowMap([['kubernetes.io/service-account.name', o.serviceAccount]])}`,
      'type: kubernetes.io/service-account-token',
      '',
    ].join('\n');
  }
  const apiVersion = o.kind === 'ServiceAccount' ? 'v1' : rbacApiVersion;
  const lines = [`apiVersion: ${apiVersion}`, `kind: ${o.kind}`, `metadata: ${flowMap([['name', o.name], ['namespace', o.namespace]])}`];
  switch (o.kind) {
    case 'Role':
    case 'ClusterRole':
      lines.push('rules:', ...o.rules.flatMap((r) => ruleLines(r, o.notes?.get(r))));
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      lines.push(`roleRef: ${flowMap([['apiGroup', 'rbac.authorization.k8s.io'], ['kind', o.role.kind], ['name', o.role.name]])}`, 'subjects:', ...o.subjects.map((s) => `  - ${subjectText(s)}`));
      break;
    case 'ServiceAccount':
      break;
  }
  return `${lines.join('\n')}\n`;
}

/** The objects as one YAML stream. */
export function rbacYaml(objects: readonly RbacObject[]): string {
  return objects.map(objectText).join('---\n');
}

/**
 * Who a username stands for in a binding: `system:serviceaccount:<ns>:<name>` is a ServiceAccount,
 * anything else a User.
 */
export function subjectOf(username: string): Subject {
  const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(username);
  return sa ? { kind: 'ServiceAccount', name: sa[2], namespace: sa[1] } : { kind: 'User', name: username };
}

/** A binding for each Role or ClusterRole of `objects`, same name, to `subject`. */
export function withBindings(objects: readonly RbacObject[], subject: Subject): RbacObject[] {
  const out: RbacObject[] = [];
  for (const o of objects) {
    out.push(o);
    if (o.kind === 'Role') out.push({ kind: 'RoleBinding', name: o.name, namespace: o.namespace, role: { kind: 'Role', name: o.name }, subjects: [subject] });
    if (o.kind === 'ClusterRole') out.push({ kind: 'ClusterRoleBinding', name: o.name, role: { kind: 'ClusterRole', name: o.name }, subjects: [subject] });
  }
  return out;
}
