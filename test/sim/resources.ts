/**
 * The resources the simulator serves: Tether's kind table, the API server's own kinds Tether never
 * names (cluster-wide RBAC, the access and token reviews), and what the API server needs to know
 * about each (status subresource, graceful deletion), looked up by kind or by REST path segments.
 */
import { kinds, apiVersionOf, type KindInfo, type KindName } from '../../src/kube/kinds';

export interface ResourceInfo extends KindInfo {
  apiVersion: string;
  /** Has a `/status` subresource: the main resource ignores status writes and vice versa. */
  hasStatus: boolean;
  /** Only created (never stored), like SelfSubjectAccessReview. */
  virtual: boolean;
  /** Short names for discovery. */
  shortNames: string[];
  verbs: string[];
}

const withStatus = new Set<string>([
  'Namespace', 'Node', 'Pod', 'Service', 'ResourceQuota', 'Deployment', 'ReplicaSet', 'StatefulSet',
  'DaemonSet', 'Job', 'CronJob', 'Ingress', 'HTTPRoute', 'PersistentVolumeClaim',
]);

const shortNames: Record<string, string[]> = {
  Namespace: ['ns'], Node: ['no'], Pod: ['po'], Service: ['svc'], Endpoints: ['ep'], ConfigMap: ['cm'],
  Event: ['ev'], ResourceQuota: ['quota'], ServiceAccount: ['sa'], Deployment: ['deploy'], ReplicaSet: ['rs'],
  StatefulSet: ['sts'], DaemonSet: ['ds'], CronJob: ['cj'], Ingress: ['ing'], PersistentVolumeClaim: ['pvc'],
  StorageClass: ['sc'], PriorityClass: ['pc'],
};

const storedVerbs = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** Kinds every API server serves that Tether itself never reads or writes. */
const serverKinds: KindInfo[] = [
  { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterroles', namespaced: false },
  { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', version: 'v1', plural: 'clusterrolebindings', namespaced: false },
  { kind: 'SelfSubjectRulesReview', group: 'authorization.k8s.io', version: 'v1', plural: 'selfsubjectrulesreviews', namespaced: false },
  { kind: 'TokenReview', group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews', namespaced: false },
];

/** Only created, never stored: the answer is computed from the request. */
const virtualKinds = new Set(['SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SelfSubjectReview', 'TokenReview']);

export class ResourceRegistry {
  private readonly byKind = new Map<string, ResourceInfo>();
  private readonly byPath = new Map<string, ResourceInfo>();

  constructor() {
    for (const k of [...(Object.keys(kinds) as KindName[]).map((name) => kinds[name]), ...serverKinds]) {
      const name = k.kind;
      const virtual = virtualKinds.has(name);
      const info: ResourceInfo = {
        ...k,
        apiVersion: apiVersionOf(k),
        hasStatus: withStatus.has(name),
        virtual,
        shortNames: shortNames[name] ?? [],
        verbs: virtual ? ['create'] : storedVerbs,
      };
      this.byKind.set(name, info);
      this.byPath.set(`${k.group}/${k.version}/${k.plural}`, info);
    }
  }

  all(): ResourceInfo[] {
    return [...this.byKind.values()];
  }

  kind(kind: string): ResourceInfo {
    const info = this.byKind.get(kind);
    if (!info) throw new Error(`the simulator does not serve kind ${kind}`);
    return info;
  }

  find(group: string, version: string, plural: string): ResourceInfo | undefined {
    return this.byPath.get(`${group}/${version}/${plural}`);
  }

  /** group/version pairs, core first, in discovery order. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const info of this.byKind.values()) seen.set(`${info.group}/${info.version}`, { group: info.group, version: info.version });
    return [...seen.values()];
  }
}
