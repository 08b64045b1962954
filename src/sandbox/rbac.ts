/**
 * The relay's own permissions for self-cleanup: a ServiceAccount, and a namespace-scoped Role and
 * RoleBinding that let it read its sandbox's Lease and delete exactly the objects the plan names
 * (RBAC cannot select by label, so deletes are limited by resourceNames).
 */
import type { PolicyRule } from '../kube/role';
import type { DesiredObject } from './desired';
import { cleanupKinds, unlistedInCluster } from './lifecycle/cleanupKinds';
import { roleLabel } from './labels';

export interface RelayAccessInput {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  leaseName: string;
  /** Every object the sandbox holds in `namespace` (namespace object excluded). */
  objects: readonly DesiredObject[];
  /** Own-namespace mode: the relay may delete the namespace itself. */
  ownsNamespace: boolean;
}

export function relayAccessObjects(input: RelayAccessInput): DesiredObject[] {
  const labels = { ...input.labels, [roleLabel]: 'rbac' };
  const meta = () => ({ name: input.name, namespace: input.namespace, labels: { ...labels } });
  const names = new Map<string, string[]>();
  const add = (kind: string, name: string) => names.set(kind, [...(names.get(kind) ?? []), name]);
  for (const object of input.objects) add(object.kind ?? '', object.metadata.name);
  for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) add(kind, input.name);
  const rules: PolicyRule[] = [{ apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: [input.leaseName], verbs: ['get'] }];
  const byGroup = new Map<string, string[]>();
  // Optional kinds (the preview host's Ingress or HTTPRoute) only when the sandbox has one, so a
  // sandbox without them asks its creator for no more permissions than before.
  for (const k of cleanupKinds) if (!unlistedInCluster.has(k.kind) && (!k.optional || names.has(k.kind))) byGroup.set(k.group, [...(byGroup.get(k.group) ?? []), k.plural]);
  for (const [group, resources] of byGroup) rules.push({ apiGroups: [group], resources: [...resources].sort(), verbs: ['list'] });
  for (const k of cleanupKinds) {
    const planned = [...new Set(names.get(k.kind) ?? [])].sort();
    if (planned.length > 0) rules.push({ apiGroups: [k.group], resources: [k.plural], resourceNames: planned, verbs: ['delete'] });
  }
  if (input.ownsNamespace) rules.push({ apiGroups: [''], resources: ['namespaces'], resourceNames: [input.namespace], verbs: ['delete'] });
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(), automountServiceAccountToken: true },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(), rules },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta(),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: input.name },
      subjects: [{ kind: 'ServiceAccount', name: input.name, namespace: input.namespace }],
    },
  ];
}
