/**
 * The selected context as completion, navigation and live-state lenses see it: names of objects,
 * nodes, what is free of GPUs, and workloads' live state. One cache owned by the manifest feature,
 * without VS Code. Nothing is watched until something asks; every watch goes through the shared
 * WatchHub (so one the Cluster view or the GPU view already runs is reused), names of ConfigMaps,
 * Secrets and the like are watched as metadata only (never Secret data), and a watch nobody asked
 * about for `idleMs` stops. A question whose answer is not cached yet answers `undefined` and
 * starts the watch; `onDidChange` fires (coalesced) when answers change.
 */
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../../lifecycle';
import { Coalescer } from '../../kube/coalesce';
import { systemClock, type Clock } from '../../kube/clock';
import { kinds, type KindName } from '../../kube/kinds';
import type { Logger } from '../../kube/logger';
import type { KubeObject } from '../../kube/types';
import type { ClusterLookup, FreeNow } from '../../manifests/complete/clusterLookup';
import { nodeFacts } from '../../manifests/cluster';
import type { RefKind } from '../../manifests/navigate/slots';
import type { NodeFacts } from '../../manifests/types';
import type { NamespaceObjects } from '../views/workloads';
import { namespaceKinds } from '../session/clusterSession';
import { WatchedKind, type WatchSource } from '../session/watchedKind';
import { emptyObjects, liveState, type LiveState } from './liveState';

/** The selected context's answers, and its workloads' live state. */
export type SelectedClusterLookup = ClusterLookup & { workload(kind: string, namespace: string | undefined, name: string): LiveState };

/** What the cache needs of the Cluster view's state (ClusterExplorer satisfies it). */
export interface LookupSource {
  readonly selectedContext: string | undefined;
  /** Scope "all": the kubeconfig was reloaded or a context selected. */
  readonly onDidChange: (listener: (change: { readonly scope: string }) => void) => Disposable;
  kube(): Promise<{ readonly hub: WatchSource; readonly config: { readonly contexts: readonly { readonly name: string; readonly namespace?: string }[] } }>;
}

/** GPU numbers of the selected context (ContextGpuFeed satisfies it): read while it runs, held while asked. */
export interface GpuNumbers {
  readonly state: { readonly phase: string; readonly context?: string; readonly feed?: { table(): { readonly resources: readonly { readonly resource: string; readonly free: number; readonly largestFree?: { readonly node: string; readonly free: number } }[] } } };
  hold(): Disposable;
}

export interface ClusterLookupsOptions {
  logger: Logger;
  gpu?: GpuNumbers;
  /** A watch (or the GPU feed's hold) nobody asked about for this long stops (default 5 minutes). */
  idleMs?: number;
  clock?: Clock;
}

/** Kinds read as names only: metadata-only watches, nothing else kept. */
const NAMES_ONLY = new Set<string>(['ConfigMap', 'Secret', 'PersistentVolumeClaim', 'ServiceAccount', 'Service', 'PriorityClass', 'StorageClass', 'RuntimeClass', 'IngressClass']);

const WORKLOAD_FIELDS: Record<string, readonly (keyof NamespaceObjects)[]> = {
  Deployment: ['deployments', 'replicaSets', 'pods'],
  StatefulSet: ['statefulSets', 'pods'],
  DaemonSet: ['daemonSets', 'pods'],
  ReplicaSet: ['replicaSets', 'pods'],
  Job: ['jobs', 'pods'],
  CronJob: ['cronJobs', 'jobs', 'pods'],
  Pod: ['pods'],
};

interface Entry {
  watched: WatchedKind;
  lastAsked: number;
  /** Sorted names, dropped when the watch changes. */
  names?: string[];
  nodes?: NodeFacts[];
}

type Access = Awaited<ReturnType<LookupSource['kube']>>;

export class ClusterLookups implements Disposable {
  private readonly store = new DisposableStore();
  private readonly changes = this.store.add(new Emitter<void>());
  /** Answers changed (coalesced): lenses re-render, an incomplete completion list is asked again. */
  readonly onDidChange = this.changes.event;
  private readonly coalescer: Coalescer;
  private readonly entries = new Map<string, Entry>();
  private readonly clock: Clock;
  private readonly idleMs: number;
  private access?: Access;
  private loading?: Promise<void>;
  private context: string | undefined;
  private gpuHold?: { hold: Disposable; lastAsked: number };
  private sweepTimer: unknown;
  private readonly reported = new Set<string>();

  constructor(
    private readonly source: LookupSource,
    private readonly options: ClusterLookupsOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.idleMs = options.idleMs ?? 5 * 60_000;
    this.coalescer = this.store.add(new Coalescer(() => this.changes.fire(), 4, this.clock));
    this.context = source.selectedContext;
    this.store.add(source.onDidChange((change) => this.selectionChanged(change.scope === 'all')));
    this.store.add(toDisposable(() => this.reset()));
  }

  /**
   * The selected context's lookup; undefined when none is selected. With `load`, a question asked
   * before the kubeconfig was read reads it (the explorer then selects a context, answered next
   * time): what a user's completion or Go to Definition does, never a lens that merely renders.
   */
  current(load = true): SelectedClusterLookup | undefined {
    const context = this.source.selectedContext;
    if (context !== this.context) this.selectionChanged(false);
    if (this.store.isDisposed) return undefined;
    if (load || context) this.hub();
    if (!context) return undefined;
    const defaultNamespace = this.access?.config.contexts.find((c) => c.name === context)?.namespace ?? 'default';
    return {
      context,
      defaultNamespace,
      names: (kind, namespace) => this.names(context, kind, namespace),
      nodes: () => this.nodes(context),
      freeNow: (resource) => this.freeNow(context, resource),
      workload: (kind, namespace, name) => this.workload(context, kind, namespace ?? defaultNamespace, name),
    };
  }

  /** Watches alive now (for tests and the log). */
  get watchCount(): number {
    return this.entries.size;
  }

  private hub(): WatchSource | undefined {
    if (this.access) return this.access.hub;
    this.loading ??= this.source.kube().then(
      (access) => {
        if (this.store.isDisposed) return;
        this.access = access;
        this.coalescer.signal();
      },
      (err: unknown) => this.report('kubeconfig', `[complete] cluster values are off: ${err instanceof Error ? err.message : String(err)}`),
    );
    return undefined;
  }

  private entry(context: string, kind: KindName, namespace: string): Entry | undefined {
    const hub = this.hub();
    if (!hub) return undefined;
    const metadataOnly = NAMES_ONLY.has(kind);
    const key = JSON.stringify([kind, namespace, metadataOnly]);
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { watched: undefined as unknown as WatchedKind, lastAsked: this.clock.now() };
      created.watched = new WatchedKind(hub, { context, kind, namespace, ...(metadataOnly ? { metadataOnly } : {}) }, () => {
        created.names = undefined;
        created.nodes = undefined;
        const error = created.watched.error;
        if (error) this.report(`${kind}/${namespace}/${error.reason}`, `[complete] ${kind} values from ${context} are off: ${error.message}`);
        this.coalescer.signal();
      });
      entry = created;
      this.entries.set(key, entry);
      this.armSweep();
    }
    entry.lastAsked = this.clock.now();
    return entry;
  }

  private names(context: string, kind: RefKind, namespace: string | undefined): readonly string[] | undefined {
    if (!(kind in kinds)) return [];
    const info = kinds[kind as KindName];
    const entry = this.entry(context, kind as KindName, info.namespaced ? (namespace ?? '') : '');
    if (!entry) return undefined;
    if (!entry.watched.hasSynced) return entry.watched.error ? [] : undefined;
    entry.names ??= [...entry.watched.items.values()].map((o) => o.metadata.name).sort();
    return entry.names;
  }

  private nodes(context: string): readonly NodeFacts[] | undefined {
    const entry = this.entry(context, 'Node', '');
    if (!entry) return undefined;
    if (!entry.watched.hasSynced) return entry.watched.error ? [] : undefined;
    entry.nodes ??= nodeFacts([...entry.watched.items.values()] as Parameters<typeof nodeFacts>[0]);
    return entry.nodes;
  }

  /** From the GPU feed while it runs; asking holds it (pods are what "free" needs) until asked no more. */
  private freeNow(context: string, resource: string): FreeNow | undefined {
    const gpu = this.options.gpu;
    if (!gpu) return undefined;
    if (this.gpuHold) this.gpuHold.lastAsked = this.clock.now();
    else {
      this.gpuHold = { hold: gpu.hold(), lastAsked: this.clock.now() };
      this.armSweep();
    }
    const state = gpu.state;
    if (state.phase !== 'running' || state.context !== context || !state.feed) return undefined;
    const summary = state.feed.table().resources.find((r) => r.resource === resource);
    return summary ? { free: summary.free, largestFree: summary.largestFree } : undefined;
  }

  private workload(context: string, kind: string, namespace: string, name: string): LiveState {
    const fields = WORKLOAD_FIELDS[kind];
    if (!fields) return { phase: 'absent' };
    const objects: NamespaceObjects = emptyObjects();
    for (const field of fields) {
      const entry = this.entry(context, namespaceKinds[field], namespace);
      if (!entry) return { phase: 'loading' };
      if (!entry.watched.hasSynced) {
        const error = entry.watched.error;
        return error ? { phase: 'failed', message: `${error.what}: ${error.why}` } : { phase: 'loading' };
      }
      objects[field] = entry.watched.items as ReadonlyMap<string, KubeObject>;
    }
    return liveState(kind, name, objects);
  }

  private report(key: string, message: string): void {
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.options.logger.warn(message);
  }

  /** Stops what nobody asked about for `idleMs`; runs while anything is watched. */
  private armSweep(): void {
    if (this.sweepTimer !== undefined || this.store.isDisposed) return;
    this.sweepTimer = this.clock.setTimeout(() => {
      this.sweepTimer = undefined;
      this.sweep();
    }, Math.min(60_000, this.idleMs));
  }

  /** Stops watches (and the GPU feed's hold) idle for `idleMs`. */
  sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.entries) {
      if (now - entry.lastAsked < this.idleMs) continue;
      entry.watched.dispose();
      this.entries.delete(key);
    }
    if (this.gpuHold && now - this.gpuHold.lastAsked >= this.idleMs) {
      this.gpuHold.hold.dispose();
      this.gpuHold = undefined;
    }
    if (this.entries.size > 0 || this.gpuHold) this.armSweep();
  }

  private selectionChanged(reloaded: boolean): void {
    const context = this.source.selectedContext;
    if (context === this.context && !reloaded) return;
    this.context = context;
    this.reset();
    if (reloaded) {
      this.access = undefined;
      this.loading = undefined;
    }
    this.coalescer.signal();
  }

  private reset(): void {
    for (const entry of this.entries.values()) entry.watched.dispose();
    this.entries.clear();
    this.gpuHold?.hold.dispose();
    this.gpuHold = undefined;
    this.reported.clear();
    if (this.sweepTimer !== undefined) this.clock.clearTimeout(this.sweepTimer);
    this.sweepTimer = undefined;
  }

  dispose(): void {
    this.store.dispose();
  }
}
