/**
 * The relay's own permissions for self-cleanup: a ServiceAccount, and a namespace-scoped Role and
 * RoleBinding that let it read its sandbox's Lease and delete exactly the objects the plan names
 * (RBAC cannot select by label, so deletes are limited by resourceNames). The rules come from the
 * agent's declared needs (kube/permissions/agentRole.ts).
 */
import { agentRules } from '../kube/permissions/agentRole';
import type { DesiredObject } from './desired';
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
  const planned = new Map<string, string[]>();
  const add = (kind: string, name: string) => planned.set(kind, [...(planned.get(kind) ?? []), name]);
  for (const object of input.objects) add(object.kind ?? '', object.metadata.name);
  for (const kind of ['ServiceAccount', 'Role', 'RoleBinding']) add(kind, input.name);
  const rules = agentRules({ namespace: input.namespace, leaseName: input.leaseName, planned, ownsNamespace: input.ownsNamespace });
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
