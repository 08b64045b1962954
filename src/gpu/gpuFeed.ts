/**
 * Feeds a GpuIndex from the shared watches of one cluster context: Nodes, Pods, ResourceQuotas
 * and Events, all namespaces (or one). Owns its four observations; `onChange` fires after each
 * applied change (callers coalesce before rendering).
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
  onChange: () => void;
}

export interface GpuFeedStatus {
  /** Kinds whose first list has not arrived yet. */
  readonly listing: readonly GpuKind[];
  /** Kinds whose watch is failing, with why (e.g. 403 on nodes for a namespace-scoped user). */
  readonly failures: readonly { readonly kind: GpuKind; readonly error: ExplainedError }[];
}

export class GpuFeed implements Disposable {
  readonly index: GpuIndex;
  private readonly store = new DisposableStore();
  private readonly keys = new Map<GpuKind, Set<string>>();
  private readonly failing = new Map<GpuKind, ExplainedError>();
  private readonly synced = new Set<GpuKind>();

  constructor(source: GpuWatchSource, private readonly options: GpuFeedOptions) {
    this.index = new GpuIndex(options);
    for (const kind of gpuKinds) {
      this.keys.set(kind, new Set());
      const namespace = kind === 'Node' ? '' : (options.namespace ?? '');
      this.store.add(source.observe<KubeObject>({ context: options.context, kind, namespace }, (e) => this.apply(kind, e)));
    }
  }

  table(): GpuTable {
    return this.index.table();
  }

  get status(): GpuFeedStatus {
    return {
      listing: gpuKinds.filter((k) => !this.synced.has(k) && !this.failing.has(k)),
      failures: [...this.failing].map(([kind, error]) => ({ kind, error })),
    };
  }

  /** Applies one informer event; exposed so recorded event streams can be replayed in tests. */
  apply(kind: GpuKind, e: InformerEvent<KubeObject>): void {
    const keys = this.keys.get(kind) as Set<string>;
    switch (e.type) {
      case 'synced': {
        for (const key of keys) if (!e.objects.has(key)) this.remove(kind, key);
        keys.clear();
        for (const [key, object] of e.objects) {
          keys.add(key);
          this.upsert(kind, object);
        }
        this.synced.add(kind);
        this.failing.delete(kind);
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
        if (e.state.phase === 'backoff') this.failing.set(kind, e.state.error);
        else if (e.state.phase === 'synced') this.failing.delete(kind);
        break;
    }
    this.options.onChange();
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
    this.store.dispose();
  }
}
