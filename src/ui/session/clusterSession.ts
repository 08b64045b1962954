/**
 * Everything the Cluster view watches in the selected context. Watches exist only for what is on
 * screen: the namespace list while the context is shown, and the workload kinds of each namespace
 * that is expanded or picked in the namespace filter. Disposing the session stops them all.
 * Pure: no vscode.
 */
import { DisposableStore, type Disposable } from '../../lifecycle';
import type { ExplainedError } from '../../kube/errors';
import type { KindName } from '../../kube/kinds';
import type { NamespaceObjects } from '../views/workloads';
import { WatchedKind, type WatchSource } from './watchedKind';
import { combinedFailure, type WatchFailure } from './watchFailures';

export type { WatchFailure } from './watchFailures';

/**
 * What changed, so the view can refresh just that node; `watching`: the set of namespaces whose
 * workloads are watched (what the status bar tooltip lists), not any row.
 */
export type SessionChange = { scope: 'namespaces' } | { scope: 'namespace'; namespace: string } | { scope: 'watching' };

/** The watched kind behind each field of NamespaceObjects. */
export const namespaceKinds = {
  pods: 'Pod',
  replicaSets: 'ReplicaSet',
  deployments: 'Deployment',
  statefulSets: 'StatefulSet',
  daemonSets: 'DaemonSet',
  jobs: 'Job',
  cronJobs: 'CronJob',
} as const satisfies Record<keyof NamespaceObjects, KindName>;

type NamespaceWatches = { [K in keyof NamespaceObjects]: WatchedKind };

export class ClusterSession implements Disposable {
  private readonly store = new DisposableStore();
  private namespaceList?: WatchedKind;
  private readonly open = new Map<string, { watches: NamespaceWatches; dispose(): void }>();
  private readonly expanded = new Set<string>();
  private filter: readonly string[] | undefined;

  constructor(
    private readonly source: WatchSource,
    readonly context: string,
    readonly defaultNamespace: string,
    filter: readonly string[] | undefined,
    private readonly onChange: (change: SessionChange) => void,
  ) {
    this.filter = filter?.length ? [...filter] : undefined;
    this.reconcile();
  }

  get namespaceFilter(): readonly string[] | undefined {
    return this.filter;
  }

  /**
   * The namespaces to read when something may not be listed across all of them: the kubeconfig's
   * and the filtered ones.
   */
  readableNamespaces(): string[] {
    return [...new Set([this.defaultNamespace, ...(this.filter ?? [])])];
  }

  /** True when listing namespaces was refused (the view then shows readableNamespaces()); never starts a watch. */
  get namespaceListRefused(): boolean {
    return this.namespaceList?.error?.reason === 'Forbidden' && !this.namespaceList.hasSynced;
  }

  /** Names known from the namespace watch (all of them, unfiltered), sorted. */
  knownNamespaces(): string[] {
    return [...(this.watchNamespaceList().items.values())].map((n) => n.metadata.name).sort();
  }

  /** Every namespace once the namespace watch has listed them; undefined before that. */
  listedNamespaces(): string[] | undefined {
    return this.namespaceList?.hasSynced ? this.knownNamespaces() : undefined;
  }

  /** The namespaces to show and why the list may be partial. */
  visibleNamespaces(): { names: string[]; listing: boolean; failure?: WatchFailure } {
    const list = this.watchNamespaceList();
    const failure = list.error ? combinedFailure({ context: this.context }, [{ kind: 'Namespace', error: list.error }]) : undefined;
    if (this.filter) return { names: [...this.filter], listing: false, failure };
    if (!list.hasSynced) {
      // Without the right to list namespaces, the context's own namespace is still worth showing.
      const forbidden = failure?.error.reason === 'Forbidden';
      return { names: forbidden ? [this.defaultNamespace] : [], listing: list.isListing, failure };
    }
    return { names: this.knownNamespaces(), listing: false, failure };
  }

  setFilter(filter: readonly string[] | undefined): void {
    this.filter = filter?.length ? [...filter] : undefined;
    this.reconcile();
    this.onChange({ scope: 'namespaces' });
  }

  setExpanded(namespace: string, expanded: boolean): void {
    if (expanded === this.expanded.has(namespace)) return;
    if (expanded) this.expanded.add(namespace);
    else this.expanded.delete(namespace);
    this.reconcile();
  }

  /** The whole context was collapsed: stop watching namespaces that are only expanded, not filtered. */
  collapseAll(): void {
    if (this.expanded.size === 0) return;
    this.expanded.clear();
    this.reconcile();
  }

  /** Cached objects of a namespace; opens its watches if the view asks before expansion events. */
  namespaceObjects(namespace: string): { objects: NamespaceObjects; listing: boolean; failure?: WatchFailure } {
    if (!this.open.has(namespace)) this.setExpanded(namespace, true);
    const watches = this.open.get(namespace)!.watches;
    const objects = {} as { [K in keyof NamespaceObjects]: NamespaceObjects[K] };
    let listing = false;
    const failing: Array<{ kind: KindName; error: ExplainedError }> = [];
    for (const field of Object.keys(namespaceKinds) as Array<keyof NamespaceObjects>) {
      const w = watches[field];
      objects[field] = w.items;
      listing ||= w.isListing;
      if (w.error) failing.push({ kind: namespaceKinds[field], error: w.error });
    }
    return { objects, listing, failure: combinedFailure({ context: this.context, namespace }, failing) };
  }

  /** Namespaces whose workloads are being watched. */
  watchedNamespaces(): string[] {
    return [...this.open.keys()].sort();
  }

  /** True when no watch is still on its first list. */
  get isSettled(): boolean {
    if (this.namespaceList?.isListing) return false;
    for (const { watches } of this.open.values()) if (Object.values(watches).some((w) => w.isListing)) return false;
    return true;
  }

  private watchNamespaceList(): WatchedKind {
    this.namespaceList ??= this.store.add(
      new WatchedKind(this.source, { context: this.context, kind: 'Namespace', namespace: '' }, () => this.onChange({ scope: 'namespaces' })),
    );
    return this.namespaceList;
  }

  private reconcile(): void {
    if (this.store.isDisposed) return;
    const wanted = new Set([...this.expanded, ...(this.filter ?? [])]);
    let changed = false;
    for (const [ns, entry] of this.open) {
      if (!wanted.has(ns)) {
        entry.dispose();
        this.open.delete(ns);
        changed = true;
      }
    }
    for (const ns of wanted) {
      if (this.open.has(ns)) continue;
      this.open.set(ns, this.openNamespace(ns));
      changed = true;
    }
    if (changed) this.onChange({ scope: 'watching' });
  }

  private openNamespace(namespace: string): { watches: NamespaceWatches; dispose(): void } {
    const changed = () => this.onChange({ scope: 'namespace', namespace });
    const watches = {} as NamespaceWatches;
    for (const [field, kind] of Object.entries(namespaceKinds) as Array<[keyof NamespaceObjects, KindName]>) {
      watches[field] = new WatchedKind(this.source, { context: this.context, kind, namespace }, changed);
    }
    return { watches, dispose: () => Object.values(watches).forEach((w) => w.dispose()) };
  }

  dispose(): void {
    for (const entry of this.open.values()) entry.dispose();
    this.open.clear();
    this.store.dispose();
  }
}
