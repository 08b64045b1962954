/**
 * The API server's object semantics, shared by the REST layer and the simulated controllers:
 * create (generateName, defaults, namespace checks), update with optimistic concurrency, the
 * status subresource, patches, server-side apply and deletion (graceful, finalizers, foreground,
 * orphan). Every write goes through here, so controllers see exactly what clients see.
 */
import type { KubeObject } from '../../src/kube/types';
import { admitPod } from './admission';
import { applyServerSide } from './apply';
import { applyCreateDefaults, mergeStringData, newUid, randomSuffix, timestamp } from './defaults';
import { changedPaths, entriesOf, reassign, type ManagedFieldsEntry } from './fields';
import { jsonPatch, mergePatch, strategicMerge } from './patch';
import type { ResourceInfo, ResourceRegistry } from './resources';
import { ApiError, alreadyExists, badRequest, conflict, failure, namespaceTerminating, notFound, unsupportedMediaType } from './status';
import type { ServiceAddresses } from './serviceAddresses';
import type { ObjectStore } from './store';
import { pruneUnknownFields } from './unknown-fields';
import { validate } from './validation';

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore';
  /** Collects `Warning` header texts. */
  warnings?: string[];
  subresource?: 'status';
  /** Checks with the requesting user's rights (RBAC's escalation check) on the object as it will be stored. */
  admit?: (object: KubeObject, existing?: KubeObject) => void;
}

export interface PatchOptions extends WriteOptions {
  force?: boolean;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

export interface ApiOptions {
  /** Pods with a node are deleted gracefully (a kubelet finishes them); without a kubelet, at once. */
  gracefulPods: boolean;
  /** The Service registry's ClusterIPs and NodePorts. */
  serviceAddresses: ServiceAddresses;
}

type Dict = Record<string, unknown>;

function metaDict(meta: KubeObject['metadata']): Dict {
  return meta as unknown as Dict;
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function specChanged(a: KubeObject, b: KubeObject): boolean {
  return JSON.stringify(a.spec) !== JSON.stringify(b.spec);
}

function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '', managedFields: undefined } });
  return JSON.stringify(strip(a)) === JSON.stringify(strip(b));
}

export class ResourceApi {
  constructor(
    private readonly store: ObjectStore,
    readonly registry: ResourceRegistry,
    private readonly options: ApiOptions,
  ) {}

  get(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject {
    const object = this.store.get(info, namespace, name);
    if (!object) throw notFound(info, name);
    return object;
  }

  private checkNamespace(info: ResourceInfo, namespace: string | undefined, name: string): void {
    if (!info.namespaced) return;
    if (!namespace) throw badRequest('the server could not find the requested resource: a namespace is required');
    const ns = this.store.get(this.registry.kind('Namespace'), undefined, namespace);
    if (!ns) throw notFound(this.registry.kind('Namespace'), namespace);
    if (ns.metadata.deletionTimestamp) throw namespaceTerminating(info, name, namespace);
  }

  private prepareBody(info: ResourceInfo, body: unknown, options: WriteOptions): KubeObject {
    if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the body of the request must be an object');
    const object = body as KubeObject;
    object.metadata = { ...(object.metadata ?? {}) } as KubeObject['metadata'];
    if (object.kind !== undefined && object.kind !== info.kind) {
      throw badRequest(`the API version in the data (${String(object.apiVersion)}) does not match the expected API version (${info.apiVersion})`);
    }
    object.kind = info.kind;
    object.apiVersion = info.apiVersion;
    pruneUnknownFields(info, object, options.fieldValidation ?? 'Warn', options.warnings);
    return object;
  }

  create(info: ResourceInfo, namespace: string | undefined, body: unknown, options: WriteOptions = {}): KubeObject {
    const object = this.prepareBody(info, clone(body), options);
    const meta = object.metadata;
    if (info.namespaced) {
      if (meta.namespace && namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      meta.namespace = namespace ?? meta.namespace;
    } else delete meta.namespace;
    if (!meta.name) {
      if (!meta.generateName) {
        throw new ApiError(failure(422, 'Invalid', `${info.kind} "" is invalid: metadata.name: Required value: name or generateName is required`, {
          kind: info.kind,
          causes: [{ reason: 'FieldValueRequired', message: 'Required value: name or generateName is required', field: 'metadata.name' }],
        }));
      }
      meta.name = `${meta.generateName}${randomSuffix()}`;
    }
    this.checkNamespace(info, meta.namespace, meta.name);
    if (this.store.get(info, meta.namespace, meta.name)) throw alreadyExists(info, meta.name);
    meta.uid = newUid();
    meta.creationTimestamp = timestamp();
    delete meta.deletionTimestamp;
    delete metaDict(meta).resourceVersion;
    if (object.spec !== undefined && info.kind !== 'Pod') metaDict(meta).generation = 1;
    mergeStringData(object);
    applyCreateDefaults(object);
    if (info.kind === 'Service') this.options.serviceAddresses.admit(object);
    options.admit?.(object);
    validate(info, object);
    if (info.kind === 'Pod') admitPod(this.store, this.registry, info, object);
    const manager = options.fieldManager ?? 'unknown';
    metaDict(meta).managedFields = reassign([], { manager, operation: 'Update', apiVersion: info.apiVersion }, changedPaths(undefined, object), new Set(), false, meta.creationTimestamp);
    if (options.dryRun) return object;
    return this.store.put(info, object);
  }

  update(info: ResourceInfo, namespace: string | undefined, name: string, body: unknown, options: WriteOptions = {}): KubeObject {
    const existing = this.get(info, namespace, name);
    const incoming = this.prepareBody(info, clone(body), options);
    if (incoming.metadata.name && incoming.metadata.name !== name) {
      throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    }
    const rv = incoming.metadata.resourceVersion;
    if (rv && rv !== existing.metadata.resourceVersion) throw conflict(info, name);
    return this.commit(info, existing, incoming, options, 'Update');
  }

  /** Writes `incoming` over `existing`: keeps identity, splits status from spec, bumps generation, records managers. */
  private commit(info: ResourceInfo, existing: KubeObject, incoming: KubeObject, options: WriteOptions, operation: 'Update' | 'Apply', applied?: ManagedFieldsEntry[]): KubeObject {
    let next: KubeObject;
    if (options.subresource === 'status') {
      next = { ...existing, metadata: { ...existing.metadata }, status: incoming.status };
    } else {
      next = incoming;
      if (info.hasStatus) next.status = clone(existing.status);
    }
    const meta = metaDict(next.metadata);
    const old = metaDict(existing.metadata);
    for (const key of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'namespace', 'name']) {
      if (old[key] === undefined) delete meta[key];
      else meta[key] = old[key];
    }
    if (options.subresource !== 'status') {
      if (info.kind === 'Service') this.options.serviceAddresses.admit(next, existing);
      options.admit?.(next, existing);
    }
    if (old.generation !== undefined && specChanged(existing, next)) meta.generation = Number(old.generation) + 1;
    mergeStringData(next);
    validate(info, next);
    const time = timestamp();
    if (applied) meta.managedFields = applied;
    else {
      const manager = options.fieldManager ?? 'unknown';
      const changed = changedPaths(existing, next, options.subresource);
      meta.managedFields = changed.size === 0
        ? entriesOf(existing)
        : reassign(entriesOf(existing), { manager, operation, apiVersion: info.apiVersion, subresource: options.subresource }, changed, changed, false, time);
    }
    if (sameContent(existing, next)) return existing;
    if (options.dryRun) return next;
    if (next.metadata.deletionTimestamp && info.kind !== 'Pod' && info.kind !== 'Namespace' && ((next.metadata as { finalizers?: string[] }).finalizers ?? []).length === 0) {
      this.store.put(info, next);
      return this.store.remove(info, next.metadata.namespace, next.metadata.name) ?? next;
    }
    return this.store.put(info, next);
  }

  /** PATCH; answers whether the object was created (server-side apply of a new object). */
  patch(info: ResourceInfo, namespace: string | undefined, name: string, type: PatchType | undefined, patch: unknown, options: PatchOptions = {}): { object: KubeObject; created: boolean } {
    if (!type) throw unsupportedMediaType('');
    if (type === 'apply') {
      const existing = this.store.get(info, namespace, name);
      const result = applyServerSide(info, existing, patch, { ...options, fieldManager: options.fieldManager ?? '' });
      if (!existing) {
        const created = this.create(info, namespace, result.object, { ...options, fieldManager: '__apply__' });
        if (!options.dryRun) {
          const stamped = { ...created, metadata: { ...created.metadata, managedFields: result.managedFields(created) } };
          return { object: this.store.put(info, stamped), created: true };
        }
        return { object: created, created: true };
      }
      const incoming = this.prepareBody(info, result.object, options);
      return { object: this.commit(info, existing, incoming, options, 'Apply', result.managedFields(incoming)), created: false };
    }
    const existing = this.get(info, namespace, name);
    const base = clone(existing) as unknown;
    const patched = (type === 'json' ? jsonPatch(base, patch) : type === 'merge' ? mergePatch(base, patch) : strategicMerge(base, patch)) as KubeObject;
    const incoming = this.prepareBody(info, patched, options);
    const rv = (patch as { metadata?: { resourceVersion?: string } } | null)?.metadata?.resourceVersion;
    if (type !== 'json' && rv && rv !== existing.metadata.resourceVersion) throw conflict(info, name);
    return { object: this.commit(info, existing, incoming, options, 'Update'), created: false };
  }

  /** Read-modify-write of `.status` as a controller or kubelet does it. */
  updateStatus(info: ResourceInfo, namespace: string | undefined, name: string, manager: string, mutate: (status: Dict) => void): KubeObject | undefined {
    const existing = this.store.get(info, namespace, name);
    if (!existing) return undefined;
    const next = { ...existing, metadata: { ...existing.metadata }, status: clone(existing.status ?? {}) } as KubeObject;
    const status = next.status as Dict;
    mutate(status);
    next.status = status;
    return this.commit(info, existing, next, { fieldManager: manager, subresource: info.hasStatus ? 'status' : undefined }, 'Update');
  }

  /** Read-modify-write of the whole object (labels, finalizers, spec) as a controller does it. */
  mutate(info: ResourceInfo, namespace: string | undefined, name: string, manager: string, mutate: (object: KubeObject) => void): KubeObject | undefined {
    const existing = this.store.get(info, namespace, name);
    if (!existing) return undefined;
    const next = clone(existing);
    mutate(next);
    return this.commit(info, existing, next, { fieldManager: manager }, 'Update');
  }

  /**
   * DELETE. Returns the object when it lingers (graceful pod deletion, finalizers, foreground) or
   * when the resource returns deleted objects (pods); otherwise undefined and the REST layer
   * answers with a Success Status.
   */
  delete(info: ResourceInfo, namespace: string | undefined, name: string, options: DeleteOptions = {}): { object: KubeObject; lingering: boolean } {
    const existing = this.get(info, namespace, name);
    if (info.kind === 'Namespace' && ['default', 'kube-system', 'kube-public'].includes(name)) {
      throw new ApiError(failure(403, 'Forbidden', `namespaces "${name}" is forbidden: this namespace may not be deleted`, { name, kind: 'namespaces' }));
    }
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.metadata.uid) {
      throw conflict(info, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== existing.metadata.resourceVersion) {
      throw conflict(info, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.metadata.resourceVersion}`);
    }
    const policy = options.propagationPolicy ?? 'Background';
    const finalizers = [...((existing.metadata as { finalizers?: string[] }).finalizers ?? [])];
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const graceful = info.kind === 'Pod' && this.options.gracefulPods && Boolean((existing.spec as Dict | undefined)?.nodeName) && options.gracePeriodSeconds !== 0;
    const lingers = info.kind === 'Namespace' || graceful || finalizers.length > 0;
    if (options.dryRun) return { object: existing, lingering: lingers };
    if (!lingers) {
      const removed = this.store.remove(info, namespace, name);
      return { object: removed ?? existing, lingering: false };
    }
    if (existing.metadata.deletionTimestamp) return { object: existing, lingering: true };
    const next = clone(existing);
    next.metadata.deletionTimestamp = timestamp();
    const meta = metaDict(next.metadata);
    if (finalizers.length > 0) meta.finalizers = finalizers;
    if (info.kind === 'Pod') {
      const grace = options.gracePeriodSeconds ?? Number((existing.spec as Dict | undefined)?.terminationGracePeriodSeconds ?? 30);
      meta.deletionGracePeriodSeconds = grace;
    }
    if (info.kind === 'Namespace') next.status = { ...(next.status as Dict | undefined), phase: 'Terminating' };
    return { object: this.store.put(info, next), lingering: true };
  }

  /** Removes one finalizer (or, with none left and a deletionTimestamp, the object itself). */
  removeFinalizer(info: ResourceInfo, object: KubeObject, finalizer: string): void {
    this.mutate(info, object.metadata.namespace, object.metadata.name, 'kube-controller-manager', (next) => {
      const meta = next.metadata as { finalizers?: string[] };
      meta.finalizers = (meta.finalizers ?? []).filter((f) => f !== finalizer);
    });
  }

  /** Finishes a lingering deletion now: what the kubelet does once a pod's containers are gone. */
  finishDeletion(info: ResourceInfo, namespace: string | undefined, name: string): void {
    const existing = this.store.get(info, namespace, name);
    if (!existing?.metadata.deletionTimestamp) return;
    if (((existing.metadata as { finalizers?: string[] }).finalizers ?? []).length > 0) return;
    this.store.remove(info, namespace, name);
  }
}
