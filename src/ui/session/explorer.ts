/**
 * The Cluster view's state, without VS Code: kubeconfig (loaded lazily, on first look), the
 * selected context and its ClusterSession, the namespace filter per context, and coalesced change
 * notifications. Lifetimes: explorer -> KubeAccess (clients, hub) -> session -> watches.
 */
import { DisposableStore, Emitter, type Disposable } from '../../lifecycle';
import { ExplainedError } from '../../kube/errors';
import type { KubeconfigLookup, LoadedKubeconfig } from '../../kube/config';
import type { Logger } from '../../kube/logger';
import type { Clock } from '../../kube/clock';
import { Coalescer } from '../../kube/coalesce';
import type { KubeClient } from '../../kube/api';
import type { WatchSource } from './watchedKind';
import { ClusterSession, type SessionChange } from './clusterSession';

export type ExplorerState =
  | { phase: 'unloaded' }
  | { phase: 'loading' }
  | { phase: 'missing'; error: ExplainedError }
  | { phase: 'invalid'; error: ExplainedError }
  | { phase: 'loaded'; config: LoadedKubeconfig };

/** Cluster access as the explorer needs it; KubeAccess is the real one. */
export interface ClusterAccess extends Disposable {
  readonly config: LoadedKubeconfig;
  readonly hub: WatchSource;
  client(context: string): KubeClient;
}

/**
 * What changed: everything, one context's rows, one namespace's rows, or (`watching`) only which
 * of a context's namespaces are watched, which no row shows.
 */
export type ExplorerChange =
  | { scope: 'all' }
  | { scope: 'context'; context: string }
  | { scope: 'namespace'; context: string; namespace: string }
  | { scope: 'watching'; context: string };

/** Where choices are remembered (a vscode.Memento satisfies it). */
export interface ChoiceStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

export interface ExplorerOptions {
  logger: Logger;
  choices: ChoiceStore;
  /** Environment for kubeconfig lookup (KUBECONFIG overridden by the tether.kubeconfig setting) and where it came from. */
  lookup: () => KubeconfigLookup;
  /** Loads cluster access; injected so the module is only loaded on first use. */
  openAccess: (lookup: KubeconfigLookup, logger: Logger) => Promise<ClusterAccess>;
  /** Time for coalescing view refreshes (default the system's). */
  clock?: Clock;
}

const contextKey = 'tether.context';
const filterKey = 'tether.namespaceFilter';

export class ClusterExplorer implements Disposable {
  private readonly store = new DisposableStore();
  private readonly changes = this.store.add(new Emitter<ExplorerChange>());
  readonly onDidChange = this.changes.event;
  private stateValue: ExplorerState = { phase: 'unloaded' };
  private loading?: Promise<void>;
  private access?: ClusterAccess;
  private sessionValue?: ClusterSession;
  /** Other contexts, watched only while their row is expanded. */
  private readonly peeks = new Map<string, ClusterSession>();
  private pending: ExplorerChange[] = [];
  private readonly namespaceSources = new Set<(context: string) => readonly string[]>();
  private readonly coalescer: Coalescer;

  constructor(private readonly options: ExplorerOptions) {
    this.coalescer = this.store.add(new Coalescer(() => this.flush(), 10, options.clock));
  }

  get state(): ExplorerState {
    return this.stateValue;
  }

  get session(): ClusterSession | undefined {
    return this.sessionValue;
  }

  get selectedContext(): string | undefined {
    return this.sessionValue?.context;
  }

  /** The session showing `context`: the selected one, or a peek opened by expanding its row. */
  sessionFor(context: string): ClusterSession | undefined {
    return this.sessionValue?.context === context ? this.sessionValue : this.peeks.get(context);
  }

  /**
   * Namespaces to read in `context` when a list across all of them is refused: its session's
   * (the kubeconfig's and the filtered ones), else the kubeconfig context's namespace.
   */
  readableNamespaces(context: string): string[] {
    const session = this.sessionFor(context);
    const state = this.stateValue;
    const configured = state.phase === 'loaded' ? state.config.contexts.find((c) => c.name === context)?.namespace : undefined;
    const own = session ? session.readableNamespaces() : [configured || 'default'];
    return [...new Set([...own, ...[...this.namespaceSources].flatMap((source) => source(context))])];
  }

  /** More namespaces the user works in (a running sandbox's), for readableNamespaces. */
  addNamespaceSource(source: (context: string) => readonly string[]): Disposable {
    this.namespaceSources.add(source);
    return { dispose: () => this.namespaceSources.delete(source) };
  }

  /** Starts watching a context that is not selected, while its row is expanded. */
  peek(context: string): ClusterSession | undefined {
    const existing = this.sessionFor(context);
    if (existing || this.stateValue.phase !== 'loaded' || this.store.isDisposed) return existing;
    const session = this.newSession(context);
    if (session) {
      this.peeks.set(context, session);
      this.options.logger.info(`[explorer] peeking at context ${context} while it is expanded`);
    }
    return session;
  }

  /** The row of a peeked context was collapsed: stop its watches. */
  unpeek(context: string): void {
    this.peeks.get(context)?.dispose();
    this.peeks.delete(context);
  }

  /** Cluster access for commands; loads the kubeconfig if nothing has yet. */
  async kube(): Promise<ClusterAccess> {
    await this.load();
    if (this.stateValue.phase === 'missing' || this.stateValue.phase === 'invalid') throw this.stateValue.error;
    if (!this.access) throw new Error('cluster access is not loaded');
    return this.access;
  }

  /** Loads the kubeconfig once; later calls wait for the same load. */
  load(): Promise<void> {
    this.loading ??= this.loadNow();
    return this.loading;
  }

  /** Drops every watch and client, re-reads the kubeconfig, and starts over. */
  async reload(): Promise<void> {
    await this.loading?.catch(() => undefined);
    this.stop();
    this.loading = undefined;
    this.stateValue = { phase: 'unloaded' };
    this.emit({ scope: 'all' });
    await this.load();
  }

  async selectContext(name: string): Promise<void> {
    await this.load();
    if (this.stateValue.phase !== 'loaded') return;
    const config = this.stateValue.config;
    if (!config.contexts.some((c) => c.name === name)) {
      throw new ExplainedError({
        reason: 'UnknownContext',
        what: `Select context "${name}"`,
        why: `no kubeconfig file (${config.files.join(', ') || 'none'}) defines it`,
        remedy: 'Run Tether: Select Context and pick one that exists',
      });
    }
    await this.options.choices.update(contextKey, name);
    this.startSession(name);
    this.emit({ scope: 'all' });
  }

  /** Namespaces to watch and show in the selected context; undefined or empty = all. */
  async setNamespaceFilter(names: readonly string[] | undefined): Promise<void> {
    const session = this.sessionValue;
    if (!session) return;
    const all = { ...(this.options.choices.get<Record<string, string[]>>(filterKey) ?? {}) };
    if (names?.length) all[session.context] = [...names];
    else delete all[session.context];
    await this.options.choices.update(filterKey, all);
    session.setFilter(names);
  }

  /** Resolves once nothing is loading, no watch is on its first list and no refresh is pending. */
  async whenIdle(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.loading?.catch(() => undefined);
      const sessions = [this.sessionValue, ...this.peeks.values()];
      const settled = sessions.every((x) => x?.isSettled ?? true) && this.pending.length === 0;
      if (settled) return;
      if (Date.now() > deadline) {
        throw new Error(`the Cluster view was still loading after ${timeoutMs} ms (watches: ${this.sessionValue?.watchedNamespaces().join(', ') || 'none'})`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  private async loadNow(): Promise<void> {
    this.stateValue = { phase: 'loading' };
    try {
      const access = await this.options.openAccess(this.options.lookup(), this.options.logger);
      if (this.store.isDisposed) {
        access.dispose(); // disposed while loading: nobody owns it now
        return;
      }
      this.access = access;
    } catch (err) {
      const error = err instanceof ExplainedError ? err : new ExplainedError({ reason: 'InvalidKubeconfig', what: 'Read the kubeconfig', why: String(err), remedy: 'Check the file named by tether.kubeconfig or KUBECONFIG' }, { cause: err });
      this.stateValue = error.reason === 'NoKubeconfig' ? { phase: 'missing', error } : { phase: 'invalid', error };
      this.options.logger.warn(`[explorer] ${error.message}`);
      this.emit({ scope: 'all' });
      return;
    }
    const config = this.access.config;
    this.stateValue = { phase: 'loaded', config };
    this.options.logger.info(`[explorer] kubeconfig from ${config.files.join(', ')}: ${config.contexts.length} contexts`);
    const remembered = this.options.choices.get<string>(contextKey);
    const pick = [remembered, config.currentContext, config.contexts[0]?.name].find((n) => n && config.contexts.some((c) => c.name === n));
    if (pick) this.startSession(pick);
    this.emit({ scope: 'all' });
  }

  private startSession(context: string): void {
    this.sessionValue?.dispose();
    this.sessionValue = undefined;
    this.unpeek(context);
    this.sessionValue = this.newSession(context);
    if (this.sessionValue) {
      const filter = this.sessionValue.namespaceFilter;
      this.options.logger.info(`[explorer] watching context ${context}${filter ? ` (namespaces: ${filter.join(', ')})` : ''}`);
    }
  }

  private newSession(context: string): ClusterSession | undefined {
    const access = this.access;
    if (!access) return undefined;
    const summary = this.stateValue.phase === 'loaded' ? this.stateValue.config.contexts.find((c) => c.name === context) : undefined;
    if (!summary) return undefined;
    const filter = this.options.choices.get<Record<string, string[]>>(filterKey)?.[context];
    const onChange = (change: SessionChange) =>
      this.emit(
        change.scope === 'namespace'
          ? { scope: 'namespace', context, namespace: change.namespace }
          : change.scope === 'watching'
            ? { scope: 'watching', context }
            : { scope: 'context', context },
      );
    return new ClusterSession(access.hub, context, summary.namespace ?? 'default', filter, onChange);
  }

  private emit(change: ExplorerChange): void {
    this.pending.push(change);
    this.coalescer.signal();
  }

  private flush(): void {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (batch.some((c) => c.scope === 'all')) {
      this.changes.fire({ scope: 'all' });
      return;
    }
    const seen = new Set<string>();
    const contexts = new Set(batch.filter((c) => c.scope === 'context').map((c) => c.context));
    for (const c of batch) {
      if (c.scope === 'namespace' && contexts.has(c.context)) continue; // the context refresh covers it
      const key = JSON.stringify(c);
      if (seen.has(key)) continue;
      seen.add(key);
      this.changes.fire(c);
    }
  }

  private stop(): void {
    for (const context of [...this.peeks.keys()]) this.unpeek(context);
    this.sessionValue?.dispose();
    this.sessionValue = undefined;
    this.access?.dispose();
    this.access = undefined;
  }

  dispose(): void {
    this.stop();
    this.store.dispose();
  }
}
