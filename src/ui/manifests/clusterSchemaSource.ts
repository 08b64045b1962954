/**
 * The selected context's schema and node facts for the editor's manifest diagnostics, without
 * VS Code. Nothing is fetched until a YAML file is validated (`want()`), and only for the context
 * selected in the Cluster view: at activation no cluster is called. Per cluster, the schema is
 * kept by a ClusterSchemaCache (fetched again only when the server version changes, which is
 * asked on the first validation after the context is selected, selected again, or the kubeconfig
 * reloaded; node facts are read again then too); a cluster
 * that cannot be read leaves the bundled schema in place, logged once per context and failure.
 */
import { Emitter, type Disposable } from '../../lifecycle';
import type { KubeClient } from '../../kube/api';
import { ClusterSchemaCache, type ClusterLintData } from '../../kube/clusterSchema';
import { isCancellation } from '../../kube/errors';
import type { Logger } from '../../kube/logger';
import { SchemaIndex } from '../../manifests/schema/index';
import type { ClusterFacts } from '../../manifests/types';

/** What the source needs of the Cluster view: the ClusterExplorer satisfies it. */
export interface SelectedCluster {
  readonly selectedContext: string | undefined;
  /** `scope: 'all'`: the kubeconfig was (re)loaded or a context (re)selected. */
  readonly onDidChange: (listener: (change: { scope: string }) => void) => Disposable;
  kube(): Promise<{ client(context: string): KubeClient }>;
}

/** A cluster's schema and facts, ready for the engine. */
export interface ClusterLintTarget {
  context: string;
  schema: SchemaIndex;
  facts?: ClusterFacts;
}

export class ClusterSchemaSource implements Disposable {
  private readonly changes = new Emitter<void>();
  /** Fires when `current()` changed: a fetch finished, or the selected context changed. */
  readonly onDidChange = this.changes.event;
  private readonly cache = new ClusterSchemaCache();
  private readonly targets = new Map<string, ClusterLintTarget>();
  /** Contexts whose last fetch failed, with the failure logged, until they are selected again. */
  private readonly failed = new Map<string, string>();
  private readonly subscription: Disposable;
  private context: string | undefined;
  /** The context fetched since it was last selected (a fetch is running or done). */
  private fetchedFor: string | undefined;
  private inflight?: AbortController;
  private disposed = false;

  constructor(
    private readonly cluster: SelectedCluster,
    private readonly logger: Logger,
  ) {
    this.context = cluster.selectedContext;
    this.subscription = cluster.onDidChange((change) => this.selectionChanged(change.scope === 'all'));
  }

  /** The selected context's schema and facts once fetched; undefined means the bundled schema. */
  current(): ClusterLintTarget | undefined {
    return this.context ? this.targets.get(this.context) : undefined;
  }

  /** A YAML file is being validated: fetch the selected context's schema if not done since it was selected. */
  want(): void {
    const context = this.cluster.selectedContext;
    if (!context || this.disposed || this.fetchedFor === context) return;
    this.fetchedFor = context;
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    void this.fetch(context, controller.signal).finally(() => {
      if (this.inflight === controller) this.inflight = undefined;
    });
  }

  private async fetch(context: string, signal: AbortSignal): Promise<void> {
    const started = Date.now();
    let data: ClusterLintData;
    try {
      const access = await this.cluster.kube();
      data = await this.cache.get(access.client(context), signal);
    } catch (err) {
      if (signal.aborted || isCancellation(err) || this.disposed) return;
      const message = err instanceof Error ? err.message : String(err);
      if (this.failed.get(context) !== message) {
        this.failed.set(context, message);
        this.logger.warn(`[lint] validating against the bundled schema: the schema of context ${context} could not be read. ${message}`);
      }
      return;
    }
    if (signal.aborted || this.disposed) return;
    this.failed.delete(context);
    const before = this.targets.get(context);
    if (before && before.schema.set === data.schema && JSON.stringify(before.facts) === JSON.stringify(data.facts)) return;
    this.targets.set(context, { context, schema: new SchemaIndex(data.schema), facts: data.facts });
    const kinds = Object.keys(data.schema.kinds).length;
    this.logger.info(`[lint] context ${context}: Kubernetes ${data.schema.version} (${data.gitVersion}), ${kinds} kinds, ${data.facts ? `${data.facts.nodes.length} node(s)` : 'nodes not readable: cluster-aware GPU rules off'}, ${Date.now() - started} ms`);
    if (this.context === context) this.changes.fire(undefined);
  }

  private selectionChanged(reloaded: boolean): void {
    const context = this.cluster.selectedContext;
    if (context === this.context) {
      // Reloaded or selected again: the next validation asks the server for its version again.
      if (reloaded && !this.inflight) this.fetchedFor = undefined;
      return;
    }
    this.context = context;
    // Selected again later: ask the server for its version again (and the schema if it changed).
    this.fetchedFor = undefined;
    this.inflight?.abort();
    this.changes.fire(undefined);
  }

  dispose(): void {
    this.disposed = true;
    this.inflight?.abort();
    this.subscription.dispose();
    this.changes.dispose();
  }
}
