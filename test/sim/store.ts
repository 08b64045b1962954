/**
 * The simulator's etcd: objects per resource, one global resourceVersion counter, a bounded event
 * history per resource (older resourceVersions are "compacted" and answer 410), and an index of
 * dependents by owner uid for the garbage collector. Stored objects are never mutated: every write
 * stores a new object, so lists and watch events can hand out references safely.
 */
import { Emitter, type Disposable } from '../../src/lifecycle';
import type { KubeObject } from '../../src/kube/types';
import type { WatchEventType } from './contracts';
import type { ResourceInfo } from './resources';

export interface StoreEvent {
  type: WatchEventType;
  info: ResourceInfo;
  object: KubeObject;
  /** The object before a MODIFIED, so selector-filtered watches can turn it into ADDED/DELETED. */
  previous?: KubeObject;
  rv: number;
  /** `{"type":…,"object":…}` serialised once and shared by every watcher. */
  line?: string;
}

class ResourceTable {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | null = null;
  readonly history: StoreEvent[] = [];
  /** Highest resourceVersion whose event was dropped from history. */
  droppedRv = 0;

  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.objects.keys()].sort();
    return this.sorted;
  }

  keysChanged(): void {
    this.sorted = null;
  }
}

export function keyOf(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const metadataOrder = ['name', 'generateName', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields'];

/** Rebuilds an object with the API server's key order (kind, apiVersion, metadata, spec, status). */
function canonical(object: KubeObject): KubeObject {
  const meta = object.metadata as unknown as Record<string, unknown>;
  const orderedMeta: Record<string, unknown> = {};
  for (const key of metadataOrder) if (meta[key] !== undefined) orderedMeta[key] = meta[key];
  for (const key of Object.keys(meta)) if (!(key in orderedMeta) && meta[key] !== undefined) orderedMeta[key] = meta[key];
  const out: Record<string, unknown> = { kind: object.kind, apiVersion: object.apiVersion, metadata: orderedMeta };
  for (const key of Object.keys(object)) if (!(key in out) && key !== 'status' && object[key] !== undefined) out[key] = object[key];
  if (object.status !== undefined) out.status = object.status;
  return out as KubeObject;
}

export function rvOf(object: KubeObject): number {
  return Number(object.metadata.resourceVersion);
}

export class ObjectStore implements Disposable {
  private readonly tables = new Map<string, ResourceTable>();
  private readonly owners = new Map<string, Map<string, { info: ResourceInfo; key: string }>>();
  private readonly emitter = new Emitter<StoreEvent>();
  private counter: number;
  readonly onEvent = this.emitter.event;

  constructor(
    private readonly historySize: number,
    firstResourceVersion = 1000,
  ) {
    this.counter = firstResourceVersion;
  }

  /** The newest resourceVersion handed out. */
  get resourceVersion(): number {
    return this.counter;
  }

  private table(info: ResourceInfo): ResourceTable {
    let table = this.tables.get(info.kind);
    if (!table) {
      table = new ResourceTable();
      this.tables.set(info.kind, table);
    }
    return table;
  }

  get(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(info).objects.get(keyOf(info.namespaced ? namespace : undefined, name));
  }

  /** Objects in key order, optionally from one namespace, starting at `fromKey` (inclusive). */
  *iterate(info: ResourceInfo, namespace?: string, fromKey?: string): Generator<KubeObject> {
    const table = this.table(info);
    const keys = table.sortedKeys();
    let lo = 0;
    const start = fromKey ?? (namespace && info.namespaced ? `${namespace}/` : undefined);
    if (start !== undefined) {
      let hi = keys.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (keys[mid] < start) lo = mid + 1;
        else hi = mid;
      }
    }
    const prefix = namespace && info.namespaced ? `${namespace}/` : undefined;
    for (let i = lo; i < keys.length; i++) {
      if (prefix && !keys[i].startsWith(prefix)) break;
      const object = table.objects.get(keys[i]);
      if (object) yield object;
    }
  }

  list(info: ResourceInfo, namespace?: string): KubeObject[] {
    return [...this.iterate(info, namespace)];
  }

  count(info: ResourceInfo): number {
    return this.table(info).objects.size;
  }

  /** Stores `object` (taking ownership), stamping a new resourceVersion; ADDED or MODIFIED. */
  put(info: ResourceInfo, input: KubeObject): KubeObject {
    input.metadata.resourceVersion = '';
    const object = canonical(input);
    const table = this.table(info);
    const key = keyOf(info.namespaced ? object.metadata.namespace : undefined, object.metadata.name);
    const previous = table.objects.get(key);
    const rv = ++this.counter;
    object.metadata.resourceVersion = String(rv);
    table.objects.set(key, object);
    if (!previous) table.keysChanged();
    if (previous) this.unindexOwners(info, key, previous);
    this.indexOwners(info, key, object);
    this.record(table, { type: previous ? 'MODIFIED' : 'ADDED', info, object, previous, rv });
    return object;
  }

  /** Removes the object for good; the DELETED event carries a new resourceVersion. */
  remove(info: ResourceInfo, namespace: string | undefined, name: string): KubeObject | undefined {
    const table = this.table(info);
    const key = keyOf(info.namespaced ? namespace : undefined, name);
    const previous = table.objects.get(key);
    if (!previous) return undefined;
    table.objects.delete(key);
    table.keysChanged();
    this.unindexOwners(info, key, previous);
    const rv = ++this.counter;
    const object = { ...previous, metadata: { ...previous.metadata, resourceVersion: String(rv) } };
    this.record(table, { type: 'DELETED', info, object, rv });
    return object;
  }

  private record(table: ResourceTable, event: StoreEvent): void {
    table.history.push(event);
    if (table.history.length > this.historySize * 2) {
      const dropped = table.history.splice(0, table.history.length - this.historySize);
      table.droppedRv = dropped[dropped.length - 1].rv;
    }
    this.emitter.fire(event);
  }

  /** Events of `info` after `sinceRv`, or 'expired' when history no longer reaches back that far. */
  eventsSince(info: ResourceInfo, sinceRv: number): StoreEvent[] | 'expired' {
    const table = this.table(info);
    if (sinceRv < table.droppedRv) return 'expired';
    const history = table.history;
    let lo = 0;
    let hi = history.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (history[mid].rv <= sinceRv) lo = mid + 1;
      else hi = mid;
    }
    return history.slice(lo);
  }

  /** Oldest resourceVersion a watch may still resume from for this resource. */
  oldestResumable(info: ResourceInfo): number {
    return this.table(info).droppedRv;
  }

  /** Compacts all history now: every resourceVersion before the current one answers 410. */
  compact(): void {
    for (const table of this.tables.values()) {
      table.history.length = 0;
      table.droppedRv = this.counter;
    }
  }

  dependents(ownerUid: string): { info: ResourceInfo; object: KubeObject }[] {
    const refs = this.owners.get(ownerUid);
    if (!refs) return [];
    const out: { info: ResourceInfo; object: KubeObject }[] = [];
    for (const { info, key } of refs.values()) {
      const object = this.table(info).objects.get(key);
      if (object) out.push({ info, object });
    }
    return out;
  }

  private indexOwners(info: ResourceInfo, key: string, object: KubeObject): void {
    for (const ref of object.metadata.ownerReferences ?? []) {
      let refs = this.owners.get(ref.uid);
      if (!refs) {
        refs = new Map();
        this.owners.set(ref.uid, refs);
      }
      refs.set(`${info.kind}|${key}`, { info, key });
    }
  }

  private unindexOwners(info: ResourceInfo, key: string, object: KubeObject): void {
    for (const ref of object.metadata.ownerReferences ?? []) {
      const refs = this.owners.get(ref.uid);
      refs?.delete(`${info.kind}|${key}`);
      if (refs && refs.size === 0) this.owners.delete(ref.uid);
    }
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
