/**
 * Which fields of a manifest name something else: another object (a ConfigMap by its name, a
 * Service, a ServiceAccount, a StorageClass…), a port of a container, a label of pods or nodes, a
 * resource, a taint. One table for completion (what values to offer) and navigation (where a value
 * leads). Paths are the cursor resolver's: keys, and ITEM for list items.
 */
import { ITEM } from '../complete/cursor';

/** Kinds whose objects are named by other objects' fields. */
export type RefKind =
  | 'ConfigMap'
  | 'Secret'
  | 'Service'
  | 'PersistentVolumeClaim'
  | 'ServiceAccount'
  | 'PriorityClass'
  | 'StorageClass'
  | 'RuntimeClass'
  | 'IngressClass'
  | 'Namespace'
  | 'Deployment'
  | 'StatefulSet'
  | 'ReplicaSet'
  | 'Role'
  | 'ClusterRole';

export const CLUSTER_SCOPED_REFS: ReadonlySet<string> = new Set(['PriorityClass', 'StorageClass', 'RuntimeClass', 'IngressClass', 'Namespace', 'ClusterRole']);

/** What a value (or, for maps, a key) at a path stands for. */
export type Slot =
  /** The name of an object; `kindFrom` names the sibling field that says the kind instead. */
  | { type: 'object'; kind: RefKind; kindFrom?: string; allowed?: readonly RefKind[] }
  /** A port name: of the pods a Service selects, of this container, or of the Service a backend names. */
  | { type: 'port'; of: 'selected' | 'container' | 'backendService' }
  | { type: 'labelKey'; of: 'pods' | 'nodes' }
  /** `key` is the label key; undefined: read it from the sibling field `keyFrom`. */
  | { type: 'labelValue'; of: 'pods' | 'nodes'; key?: string; keyFrom?: string }
  | { type: 'resourceName' }
  | { type: 'taintKey' }
  | { type: 'taintValue' };

type Path = readonly string[];

function endsWith(path: Path, suffix: readonly string[]): boolean {
  if (suffix.length > path.length) return false;
  for (let i = 1; i <= suffix.length; i++) if (suffix[suffix.length - i] !== path[path.length - i]) return false;
  return true;
}

const OBJECT_REFS: readonly (readonly [readonly string[], RefKind])[] = [
  [['configMapKeyRef', 'name'], 'ConfigMap'],
  [['secretKeyRef', 'name'], 'Secret'],
  [['envFrom', ITEM, 'configMapRef', 'name'], 'ConfigMap'],
  [['envFrom', ITEM, 'secretRef', 'name'], 'Secret'],
  [['volumes', ITEM, 'configMap', 'name'], 'ConfigMap'],
  [['volumes', ITEM, 'secret', 'secretName'], 'Secret'],
  [['sources', ITEM, 'configMap', 'name'], 'ConfigMap'],
  [['sources', ITEM, 'secret', 'name'], 'Secret'],
  [['volumes', ITEM, 'persistentVolumeClaim', 'claimName'], 'PersistentVolumeClaim'],
  [['imagePullSecrets', ITEM, 'name'], 'Secret'],
  [['serviceAccountName'], 'ServiceAccount'],
  [['priorityClassName'], 'PriorityClass'],
  [['runtimeClassName'], 'RuntimeClass'],
  [['storageClassName'], 'StorageClass'],
  [['ingressClassName'], 'IngressClass'],
  [['backend', 'service', 'name'], 'Service'],
  [['defaultBackend', 'service', 'name'], 'Service'],
  [['tls', ITEM, 'secretName'], 'Secret'],
];

const PROBES = new Set(['livenessProbe', 'readinessProbe', 'startupProbe', 'postStart', 'preStop']);
const WORKLOAD_KINDS: readonly RefKind[] = ['Deployment', 'StatefulSet', 'ReplicaSet'];

/** The slot of the value at `path` in a document of `kind`, if that value names something. */
export function valueSlot(kind: string | undefined, path: Path): Slot | undefined {
  const last = path[path.length - 1];
  if (path.length === 2 && path[0] === 'metadata' && last === 'namespace') return { type: 'object', kind: 'Namespace' };
  for (const [suffix, ref] of OBJECT_REFS) if (endsWith(path, suffix)) return { type: 'object', kind: ref };
  if (endsWith(path, ['scaleTargetRef', 'name'])) return { type: 'object', kind: 'Deployment', kindFrom: 'kind', allowed: WORKLOAD_KINDS };
  if (endsWith(path, ['backendRefs', ITEM, 'name'])) return { type: 'object', kind: 'Service', kindFrom: 'kind', allowed: ['Service'] };
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    if (endsWith(path, ['subjects', ITEM, 'name'])) return { type: 'object', kind: 'ServiceAccount', kindFrom: 'kind', allowed: ['ServiceAccount'] };
    if (endsWith(path, ['roleRef', 'name'])) return { type: 'object', kind: 'Role', kindFrom: 'kind', allowed: ['Role', 'ClusterRole'] };
  }
  if (kind === 'Service' && endsWith(path, ['spec', 'ports', ITEM, 'targetPort'])) return { type: 'port', of: 'selected' };
  if (last === 'port' && path.length >= 3 && PROBES.has(path[path.length - 3]) && ['httpGet', 'tcpSocket'].includes(path[path.length - 2])) return { type: 'port', of: 'container' };
  if (endsWith(path, ['backend', 'service', 'port', 'name'])) return { type: 'port', of: 'backendService' };
  if (path.length >= 3 && path[path.length - 2] === 'nodeSelector') return { type: 'labelValue', of: 'nodes', key: last };
  if (path.length >= 3 && isLabelMap(kind, path.slice(0, -1))) return { type: 'labelValue', of: 'pods', key: last };
  if (endsWith(path, ['matchExpressions', ITEM, 'key'])) return { type: 'labelKey', of: path.includes('nodeAffinity') ? 'nodes' : 'pods' };
  if (endsWith(path, ['matchExpressions', ITEM, 'values', ITEM])) return { type: 'labelValue', of: path.includes('nodeAffinity') ? 'nodes' : 'pods', keyFrom: 'key' };
  if (last === 'topologyKey') return { type: 'labelKey', of: 'nodes' };
  if (endsWith(path, ['tolerations', ITEM, 'key'])) return { type: 'taintKey' };
  if (endsWith(path, ['tolerations', ITEM, 'value'])) return { type: 'taintValue' };
  return undefined;
}

function isLabelMap(kind: string | undefined, path: Path): boolean {
  if (endsWith(path, ['metadata', 'labels']) || endsWith(path, ['matchLabels'])) return true;
  return kind === 'Service' && path.length === 2 && path[0] === 'spec' && path[1] === 'selector';
}

/** The slot of the keys of the map at `path` (labels, node selectors, resource lists). */
export function keySlot(kind: string | undefined, path: Path): Slot | undefined {
  const last = path[path.length - 1];
  if (last === 'nodeSelector') return { type: 'labelKey', of: 'nodes' };
  if (isLabelMap(kind, path)) return { type: 'labelKey', of: 'pods' };
  if ((last === 'requests' || last === 'limits') && path[path.length - 2] === 'resources') return { type: 'resourceName' };
  return undefined;
}

/** The kind a reference names: fixed, or read from its `kind` sibling. Undefined when that kind is not one it may name. */
export function refKind(slot: Extract<Slot, { type: 'object' }>, siblingKind: string | undefined): RefKind | undefined {
  if (!slot.kindFrom || siblingKind === undefined) return slot.kind;
  return slot.allowed?.includes(siblingKind as RefKind) ? (siblingKind as RefKind) : undefined;
}
