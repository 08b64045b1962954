/**
 * Slim projections of Kubernetes objects: what Tether keeps in its watch caches. The informer
 * drops `metadata.managedFields` and the last-applied annotation before anything is retained.
 * Only fields something reads are typed; the rest stays `unknown`.
 */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  generateName?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  spec?: unknown;
  status?: unknown;
  [key: string]: unknown;
}

/** Identity of one shared watch: one per (context, kind, namespace). namespace '' = all. */
export interface WatchKey {
  context: string;
  kind: string;
  namespace: string;
  /** Names only, read as metadata (see InformerOptions.metadataOnly): a watch of its own. */
  metadataOnly?: boolean;
}

/** What an informer is doing, for views and the status bar. */
export type InformerState =
  | { phase: 'listing' }
  | { phase: 'synced' }
  | { phase: 'backoff'; error: import('./errors').ExplainedError; retryInMs: number; attempt: number }
  | { phase: 'stopped' };

export type InformerEvent<T extends KubeObject> =
  | { type: 'synced'; objects: ReadonlyMap<string, T> }
  | { type: 'added' | 'modified'; object: T }
  | { type: 'deleted'; object: T }
  | { type: 'state'; state: InformerState };

/** Store key of an object: "namespace/name" or "name" for cluster-scoped objects. */
export function objectKey(meta: Pick<ObjectMeta, 'namespace' | 'name'>): string {
  return meta.namespace ? `${meta.namespace}/${meta.name}` : meta.name;
}
