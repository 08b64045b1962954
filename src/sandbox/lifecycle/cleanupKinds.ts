/**
 * The kinds a sandbox may hold, in the order they are deleted: workloads first (so nothing restarts
 * what is being removed), then what they use, then the sandbox's own permissions. The Lease and the
 * namespace come last and are handled by the deleters themselves. Dependency-free: the in-cluster
 * cleanup bundles it.
 */
export interface CleanupKind {
  kind: string;
  group: string;
  version: string;
  plural: string;
  /**
   * Only sandboxes with a shareable preview host hold these, and a cluster may not serve the API
   * (the Gateway API): a 403 or 404 on listing means there is none to find (the Lease, their owner,
   * takes any left over along), and the relay may list them only when its sandbox has one.
   */
  optional?: boolean;
}

export const cleanupKinds: readonly CleanupKind[] = [
  { kind: 'Deployment', group: 'apps', version: 'v1', plural: 'deployments' },
  { kind: 'StatefulSet', group: 'apps', version: 'v1', plural: 'statefulsets' },
  { kind: 'Job', group: 'batch', version: 'v1', plural: 'jobs' },
  { kind: 'Ingress', group: 'networking.k8s.io', version: 'v1', plural: 'ingresses', optional: true },
  { kind: 'HTTPRoute', group: 'gateway.networking.k8s.io', version: 'v1', plural: 'httproutes', optional: true },
  { kind: 'Service', group: '', version: 'v1', plural: 'services' },
  { kind: 'ConfigMap', group: '', version: 'v1', plural: 'configmaps' },
  { kind: 'Secret', group: '', version: 'v1', plural: 'secrets' },
  { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'rolebindings' },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'roles' },
  { kind: 'ServiceAccount', group: '', version: 'v1', plural: 'serviceaccounts' },
  { kind: 'Lease', group: 'coordination.k8s.io', version: 'v1', plural: 'leases' },
];

/**
 * Kinds the in-cluster cleanup does not list: listing Secrets would let the relay read every
 * Secret of a shared namespace. They go with the Lease (their owner) instead.
 */
export const unlistedInCluster: ReadonlySet<string> = new Set(['Secret']);

/** Collection path of a namespaced kind. */
export function collectionPath(kind: CleanupKind, namespace: string): string {
  const base = kind.group ? `/apis/${kind.group}/${kind.version}` : `/api/${kind.version}`;
  return `${base}/namespaces/${encodeURIComponent(namespace)}/${kind.plural}`;
}

/** Environment of the relay container that tells its self-cleanup which sandbox it serves. */
export const cleanupEnv = {
  sandbox: 'TETHER_SANDBOX',
  namespace: 'TETHER_NAMESPACE',
  lease: 'TETHER_LEASE',
  ownsNamespace: 'TETHER_OWNS_NAMESPACE',
  /** Optional: poll interval in ms (default 30 s). */
  pollMs: 'TETHER_CLEANUP_POLL_MS',
} as const;
