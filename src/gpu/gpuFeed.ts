/**
 * Feeds a GpuIndex from the shared watches of one cluster context: Nodes, Pods, ResourceQuotas
 * and Events, all namespaces (or one). When the user may not list pods, quotas or events in every
 * namespace, that kind falls back to a watch per namespace they may read (the kubeconfig's, the
 * filtered ones); nodes they may not list leave the capacity unknown. Either is a limit, said
 * once, not a failure. Owns its observations; `onChange` fires after each applied change (callers
 * coalesce before rendering).
 */
import { DisposableStore, type Disposable } from '../lifecycle';
import type { ExplainedError } from '../kube/errors';
import { objectKey, type InformerEvent, type KubeObject, type WatchKey } from '../kube/types';
import { GpuIndex, type GpuIndexOptions } from './gpuIndex';
import type { EventShape, NodeShape, PodShape, ResourceQuotaShape } from './shapes';
import type { GpuTable } from './table';

/** The part of the WatchHub the feed uses. */
export interface GpuWatchSource {
  observe<T extends KubeObject>(key: WatchKey, listener: (e: InformerEvent<T>) => void): Disposable;
}

export const gpuKinds = ['Node', 'Pod', 'ResourceQuota', 'Event'] as const;
export type GpuKind = (typeof gpuKinds)[number];

export interface GpuFeedOptions extends GpuIndexOptions {
  context: string;
  /** Namespace for Pods, ResourceQuotas and Events; '' (the default) watches all of them. */
  namespace?: string;
  /** Where to look instead when a kind may not be listed in every namespace. */
  fallbackNamespaces?: () => readonly string[];
  onChange: () => void;
}

/** What could not be seen, and what is shown instead. */
export interface GpuFeedLimit {
  readonly kind: GpuKind;
  /** The refusal behind it. */
  readonly error: ExplainedError;
  /** The namespaces watched instead; undefined: nothing instead (nodes: capacity unknown). */
  readonly namespaces?: readonly string[];
}

export interface GpuFeedStatus {
  /** Kinds whose first list has not arrived yet. */
  readonly listing: readonly GpuKind[];
  /** Kinds whose watch is failing, with why (unreachable cluster, a namespace refused after falling back…). */
  readonly failures: readonly { readonly kind: GpuKind; readonly error: ExplainedError }[];
  /** Refusals Tether works around: fewer namespaces, or no node capacity. */
  readonly limits: readonly GpuFeedLimit[];
}

/** One observation of one kind in one namespace ('' = all), with the keys it contributed. */
interface Watch {
  readonly namespace: string;
  readonly keys: Set<string>;
  observation: Disposable;
  synced: boolean;
  error?: ExplainedError;
}

export class GpuFeed implements Disposable {
  readonly index: GpuIndex;
  private readonly store = new DisposableStore();
  private readonly watches = new Map<GpuKind, Watch[]>();
  private readonly limited = new Map<GpuKind, GpuFeedLimit>();

  constructor(private readonly source: GpuWatchSource, private readonly options: GpuFeedOptions) {
    this.index = new GpuIndex(options);
    for (const kind of gpuKinds) {
      this.watches.set(kind, []);
      this.watch(kind, kind === 'Node' ? '' : (options.namespace ?? ''));
    }
  }

  table(): GpuTable {
    return this.index.table();
  }

  get status(): GpuFeedStatus {
    const listing: GpuKind[] = [];
    const failures: { kind: GpuKind; error: ExplainedError }[] = [];
    for (const [kind, watches] of this.watches) {
      if (watches.some((w) => !w.synced && !w.error)) listing.push(kind);
      const failing = watches.find((w) => w.error);
      if (failing?.error) failures.push({ kind, error: failing.error });
    }
    return { listing, failures, limits: [...this.limited.values()] };
  }

  /** The fallback namespaces changed (a new namespace filter): watch those instead. */
  refreshFallback(): void {
    for (const [kind, limit] of this.limited) if (limit.namespaces) this.fallBack(kind, limit.error);
  }

  /** Starts watching `kind` in `namespace`, as one more of the kind's watches. */
  private watch(kind: GpuKind, namespace: string): void {
    const entry: Watch = { namespace, keys: new Set(), synced: false, observation: undefined as unknown as Disposable };
    this.watches.get(kind)?.push(entry);
    entry.observation = this.source.observe<KubeObject>({ context: this.options.context, kind, namespace }, (e) => this.apply(kind, e, entry));
  }

  /** Applies one informer event; exposed so recorded event streams can be replayed in tests. */
  apply(kind: GpuKind, e: InformerEvent<KubeObject>, entry: Watch = (this.watches.get(kind) ?? [])[0]): void {
    if (!entry || !(this.watches.get(kind) ?? []).includes(entry)) return;
    const keys = entry.keys;
    switch (e.type) {
      case 'synced': {
        for (const key of keys) if (!e.objects.has(key)) this.remove(kind, key);
        keys.clear();
        for (const [key, object] of e.objects) {
          keys.add(key);
          this.upsert(kind, object);
        }
        entry.synced = true;
        entry.error = undefined;
        break;
      }
      case 'added':
      case 'modified':
        keys.add(objectKey(e.object.metadata));
        this.upsert(kind, e.object);
        break;
      case 'deleted':
        keys.delete(objectKey(e.object.metadata));
        this.remove(kind, objectKey(e.object.metadata), e.object);
        break;
      case 'state':
        if (e.state.phase === 'backoff') {
          if (this.refused(kind, entry, e.state.error)) return;
          entry.error = e.state.error;
        } else if (e.state.phase === 'synced') entry.error = undefined;
        break;
    }
    this.options.onChange();
  }

  /**
   * A refusal of a watch across every namespace (or of nodes): limit the kind instead of failing.
   * True when handled.
   */
  private refused(kind: GpuKind, entry: Watch, error: ExplainedError): boolean {
    if (error.reason !== 'Forbidden' || entry.namespace !== '') return false;
    if (kind === 'Node') {
      this.limited.set(kind, { kind, error });
      this.drop(kind, entry);
      this.watches.set(kind, []);
      this.options.onChange();
      return true;
    }
    const namespaces = this.options.fallbackNamespaces?.() ?? [];
    if (namespaces.length === 0) return false;
    this.fallBack(kind, error);
    this.options.onChange();
    return true;
  }

  /** Watches `kind` in the fallback namespaces, keeping those already watched. */
  private fallBack(kind: GpuKind, error: ExplainedError): void {
    const namespaces = [...new Set(this.options.fallbackNamespaces?.() ?? [])].sort();
    const current = this.watches.get(kind) ?? [];
    const kept = current.filter((w) => namespaces.includes(w.namespace));
    for (const w of current) if (!kept.includes(w)) this.drop(kind, w);
    const watched = new Set(kept.map((w) => w.namespace));
    this.watches.set(kind, [...kept]);
    this.limited.set(kind, { kind, error, namespaces });
    for (const namespace of namespaces) if (!watched.has(namespace)) this.watch(kind, namespace);
  }

  private drop(kind: GpuKind, entry: Watch): void {
    entry.observation.dispose();
    for (const key of entry.keys) this.remove(kind, key);
    entry.keys.clear();
  }

  private upsert(kind: GpuKind, object: KubeObject): void {
    switch (kind) {
      case 'Node':
        return this.index.upsertNode(object as NodeShape);
      case 'Pod':
        return this.index.upsertPod(object as PodShape);
      case 'ResourceQuota':
        return this.index.upsertQuota(object as ResourceQuotaShape);
      case 'Event':
        return this.index.upsertEvent(object as EventShape);
    }
  }

  private remove(kind: GpuKind, key: string, object?: KubeObject): void {
    const slash = key.indexOf('/');
    const meta = slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
    const shape = object ?? { metadata: meta };
    switch (kind) {
      case 'Node':
        return this.index.deleteNode(meta.name);
      case 'Pod':
        return this.index.deletePod(shape as PodShape);
      case 'ResourceQuota':
        return this.index.deleteQuota(shape as ResourceQuotaShape);
      case 'Event':
        return this.index.deleteEvent(shape as EventShape);
    }
  }

  dispose(): void {
    for (const watches of this.watches.values()) for (const w of watches) w.observation.dispose();
    this.watches.clear();
    this.store.dispose();
  }
}
