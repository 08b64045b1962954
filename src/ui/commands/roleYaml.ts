/**
 * The RBAC manifest that grants what a 403 said was missing: one Role per namespace, plus a
 * ClusterRole for cluster-scoped reads (like listing namespaces). Pure.
 */
import { stringify } from 'yaml';
import { minimalRole, minimalRules, type AccessCheck } from '../../kube/role';

export function roleYamlFor(needs: AccessCheck[], name = 'tether-developer'): string {
  const byNamespace = new Map<string, AccessCheck[]>();
  const clusterWide: AccessCheck[] = [];
  for (const n of needs) {
    if (n.namespace) byNamespace.set(n.namespace, [...(byNamespace.get(n.namespace) ?? []), n]);
    else clusterWide.push(n);
  }
  const docs = [...byNamespace].sort(([a], [b]) => a.localeCompare(b)).map(([ns, checks]) => minimalRole(checks, ns, name));
  if (clusterWide.length) {
    docs.push(stringify({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules: minimalRules(clusterWide) }));
  }
  return docs.join('---\n');
}
