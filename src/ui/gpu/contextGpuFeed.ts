/**
 * The GPU feed of the selected context, with one owner for everything that shows GPU numbers:
 * the GPU view, the status bar and the Cluster view's context tooltip. It runs only while someone
 * holds it (the GPU view, while visible), follows the selected context and stops when the last
 * hold is released. Readers that do not hold it see numbers only while it runs, so showing a
 * summary never adds watches of its own.
 */
import { DisposableStore, Emitter, toDisposable, type Disposable } from '../../lifecycle';
import { Coalescer } from '../../kube/coalesce';
import { GpuFeed, type GpuWatchSource } from '../../gpu/gpuFeed';
import { gpuSummary, type GpuSummary } from '../../gpu/gpuSummary';

/** What the feed needs from the cluster explorer (ClusterExplorer satisfies it). */
export interface GpuFeedSource {
  readonly selectedContext: string | undefined;
  /** Scope "all" means cluster access may have been replaced (kubeconfig reloaded): start over. */
  readonly onDidChange: (listener: (change: { readonly scope: string }) => void) => Disposable;
  kube(): Promise<{ readonly hub: GpuWatchSource }>;
  /** Namespaces to watch instead when pods may not be listed in every namespace of `context`. */
  readableNamespaces(context: string): readonly string[];
}

export type GpuFeedState =
  | { readonly phase: 'stopped' }
  | { readonly phase: 'connecting' }
  | { readonly phase: 'noContext' }
  | { readonly phase: 'failed'; readonly message: string }
  | { readonly phase: 'running'; readonly context: string; readonly feed: GpuFeed };

export interface ContextGpuFeedOptions {
  /** Extended resources counted as GPUs besides the known ones (read at each start). */
  readonly extraResources: () => readonly string[];
  /** Change notifications per second at most (default 4). */
  readonly maxPerSecond?: number;
}

export class ContextGpuFeed implements Disposable {
  private readonly store = new DisposableStore();
  private readonly changes = this.store.add(new Emitter<void>());
  /** Fires, coalesced, when the state changes or the running feed's table does. */
  readonly onDidChange = this.changes.event;
  private readonly coalescer: Coalescer;
  private stateValue: GpuFeedState = { phase: 'stopped' };
  private holds = 0;
  private attempt = 0;
  /** The context the running (or starting) feed is for; null when none is running. */
  private startedFor: string | undefined | null = null;

  constructor(
    private readonly source: GpuFeedSource,
    private readonly options: ContextGpuFeedOptions,
  ) {
    this.coalescer = this.store.add(new Coalescer(() => this.changes.fire(), options.maxPerSecond ?? 4));
    this.store.add(source.onDidChange((change) => this.sync(change)));
    this.store.add(toDisposable(() => this.stop()));
  }

  get state(): GpuFeedState {
    return this.stateValue;
  }

  /**
   * The running feed's summary for `context` (default: whichever it runs for); undefined while
   * it is stopped, runs for another context, or has not listed (or cannot read) nodes and pods.
   */
  summary(context?: string): GpuSummary | undefined {
    const state = this.stateValue;
    if (state.phase !== 'running' || (context !== undefined && context !== state.context)) return undefined;
    const { listing, failures, limits } = state.feed.status;
    if (listing.includes('Node') || listing.includes('Pod')) return undefined;
    // Nodes or pods that could not be read are no numbers to sum up ("none in this cluster").
    if (failures.some((f) => f.kind === 'Node' || f.kind === 'Pod')) return undefined;
    return gpuSummary(state.feed.table(), 5, !limits.some((l) => l.kind === 'Node'));
  }

  /** Keeps the feed running until the returned Disposable is disposed. */
  hold(): Disposable {
    this.holds++;
    this.sync();
    return toDisposable(() => {
      this.holds--;
      this.sync();
    });
  }

  /** Starts the running feed over (e.g. the extra resources changed); nothing when stopped. */
  restart(): void {
    if (this.holds > 0 && !this.store.isDisposed) void this.start();
  }

  private sync(change?: { readonly scope: string }): void {
    if (this.store.isDisposed) return;
    if (this.holds === 0) {
      if (this.startedFor === null) return;
      this.attempt++;
      this.startedFor = null;
      this.stop();
      this.set({ phase: 'stopped' });
      return;
    }
    const context = this.source.selectedContext;
    if (this.startedFor === null || context !== this.startedFor || change?.scope === 'all') {
      this.startedFor = context;
      void this.start();
    } else if (change?.scope === 'context' && this.stateValue.phase === 'running') {
      // The namespace filter may have changed: the namespaces watched instead follow it.
      this.stateValue.feed.refreshFallback();
    }
  }

  private async start(): Promise<void> {
    const attempt = ++this.attempt;
    this.stop();
    this.set({ phase: 'connecting' });
    try {
      const access = await this.source.kube();
      if (attempt !== this.attempt) return;
      const context = this.source.selectedContext;
      if (!context) return this.set({ phase: 'noContext' });
      const feed = new GpuFeed(access.hub, { context, extraResources: [...this.options.extraResources()], fallbackNamespaces: () => this.source.readableNamespaces(context), onChange: () => this.coalescer.signal() });
      this.set({ phase: 'running', context, feed });
    } catch (err) {
      if (attempt !== this.attempt) return;
      this.set({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private set(state: GpuFeedState): void {
    this.stateValue = state;
    this.coalescer.signal();
  }

  private stop(): void {
    if (this.stateValue.phase === 'running') this.stateValue.feed.dispose();
    this.stateValue = { phase: 'stopped' };
  }

  dispose(): void {
    this.store.dispose();
  }
}
