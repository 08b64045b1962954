/**
 * The Cluster view's TreeDataProvider: asks the explorer for data, the model for nodes and the
 * mapper for items. Refreshes are targeted: a change in one namespace re-renders that namespace.
 * Namespace and context nodes are kept per id so VS Code can be told exactly which one changed.
 */
import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../../lifecycle';
import type { GpuSummary } from '../../gpu/gpuSummary';
import type { ClusterExplorer, ExplorerChange } from '../session/explorer';
import type { WatchFailure } from '../session/clusterSession';
import {
  buildContainerChildren,
  buildNamespaceChildren,
  contextNode,
  errorNode,
  failureNodes,
  messageNode,
  namespaceNode,
  namespaceSummary,
  PodNodeCache,
  agedRows,
  createdAt,
  type ClusterNode,
  type ContextNode,
  type NamespaceNode,
  type PodNode,
  type WorkloadNode,
} from './clusterModel';
import { rowAge, toTreeItem } from './clusterItems';
import { nextAgeChange } from './age';
import { AgeTicker } from './ageTicker';
import type { TunnelWorkloadRef, WorkloadTunnels } from '../../tunnel/activeTunnels';

/** GPU summaries for context tooltips (ContextGpuFeed satisfies it); only read, never started. */
export interface GpuSummaries {
  summary(context: string): GpuSummary | undefined;
  readonly onDidChange: (listener: () => void) => Disposable;
}

const summaryKey = (s: GpuSummary | undefined): string => (s ? `${s.text}\n${s.tooltip}` : '');

export class ClusterTreeProvider implements vscode.TreeDataProvider<ClusterNode>, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changed = this.store.add(new vscode.EventEmitter<ClusterNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private contexts = new Map<string, ContextNode>();
  /** Namespace rows per context, kept so a change can name the exact row. */
  private namespaces = new Map<string, Map<string, NamespaceNode>>();
  /** Built children per namespace row id, dropped when that namespace changes. */
  private built = new Map<string, Array<WorkloadNode | PodNode>>();
  /** Pod rows of unchanged pod objects are reused across rebuilds. */
  private readonly podNodes = new PodNodeCache();
  /** The GPU summary each context row was last rendered with, so only real changes re-render it. */
  private readonly gpuShown = new Map<string, string>();
  private view?: vscode.TreeView<ClusterNode>;
  /** One timer for every age shown, keyed by namespace row id. */
  private readonly ages = this.store.add(new AgeTicker<string>((ids) => this.refreshAges(ids)));
  /** The age each workload and pod row was last rendered with. */
  private readonly agesShown = new WeakMap<WorkloadNode | PodNode, string | undefined>();

  /**
   * `onFailure` hears about every failure shown as a row (for notifications and the log); `gpus`
   * and `tunnels` add what context and workload rows show beyond the cluster's objects.
   */
  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly onFailure: (failure: WatchFailure) => void,
    private readonly gpus?: GpuSummaries,
    private readonly tunnels?: WorkloadTunnels,
  ) {
    this.store.add(explorer.onDidChange((c) => this.refresh(c)));
    if (gpus) this.store.add(gpus.onDidChange(() => this.refreshGpuSummaries()));
    if (tunnels) this.store.add(tunnels.onDidChange((ref) => this.refreshWorkload(ref)));
  }

  /**
   * Wires expansion to watches (a collapsed namespace or context stops being watched) and keeps
   * ages fresh while the view is visible: a namespace re-renders when one of its ages changes.
   */
  attach(view: vscode.TreeView<ClusterNode>): void {
    this.view = view;
    this.ages.setActive(view.visible);
    this.store.add(view.onDidChangeVisibility((e) => this.ages.setActive(e.visible)));
    this.store.add(
      view.onDidExpandElement((e) => {
        const node = e.element;
        if (node.type === 'namespace') this.explorer.sessionFor(node.context)?.setExpanded(node.name, true);
        // Only a user's expansion watches another context; a row VS Code restores expanded does not.
        if (node.type === 'context' && !node.selected && !this.explorer.sessionFor(node.context.name)) {
          this.explorer.peek(node.context.name);
          this.changed.fire(node);
        }
      }),
    );
    this.store.add(
      view.onDidCollapseElement((e) => {
        const node = e.element;
        if (node.type === 'namespace') this.explorer.sessionFor(node.context)?.setExpanded(node.name, false);
        if (node.type !== 'context') return;
        if (node.context.name === this.explorer.selectedContext) this.explorer.session?.collapseAll();
        else {
          this.explorer.unpeek(node.context.name);
          this.forget(node.context.name);
        }
      }),
    );
  }

  getTreeItem(node: ClusterNode): vscode.TreeItem {
    if (node.type === 'workload' || node.type === 'pod') {
      const now = Date.now();
      this.agesShown.set(node, rowAge(node, now));
      const tunnel = node.type === 'workload' ? this.tunnels?.forWorkload(node.context, node.namespace, node.name) : undefined;
      return toTreeItem(node, { now, tunnel });
    }
    if (node.type === 'context') {
      const gpu = this.gpus?.summary(node.context.name);
      this.gpuShown.set(node.context.name, summaryKey(gpu));
      return toTreeItem(node, { gpu });
    }
    if (node.type !== 'namespace') return toTreeItem(node);
    const watched = this.explorer.sessionFor(node.context)?.watchedNamespaces().includes(node.name);
    return toTreeItem(node, { namespaceDescription: watched ? namespaceSummary(this.namespaceChildren(node)) : undefined });
  }

  /** Re-renders a workload's row (its tunnel started, stopped or changed state). */
  private refreshWorkload(ref: TunnelWorkloadRef): void {
    const ns = this.namespaces.get(ref.context)?.get(ref.namespace);
    const row = ns && this.built.get(ns.id)?.find((n) => n.type === 'workload' && n.name === ref.workload && (n.kind === 'Deployment' || n.kind === 'StatefulSet'));
    if (row) this.changed.fire(row);
  }

  /** Re-renders the context rows whose GPU summary changed since they were last rendered. */
  private refreshGpuSummaries(): void {
    for (const [name, node] of this.contexts) {
      const shown = this.gpuShown.get(name);
      if (shown !== undefined && shown !== summaryKey(this.gpus?.summary(name))) this.changed.fire(node);
    }
  }

  async getChildren(node?: ClusterNode): Promise<ClusterNode[]> {
    if (!node) return this.roots();
    switch (node.type) {
      case 'context':
        return this.contextChildren(node);
      case 'namespace': {
        const session = this.explorer.sessionFor(node.context);
        if (!session) return [];
        const { listing, failure } = session.namespaceObjects(node.name);
        const children: ClusterNode[] = [...this.namespaceChildren(node)];
        if (failure) {
          // Refusals the view works around say what is not shown; anything else is an error.
          children.unshift(failure.partial ? messageNode(node.id, 'info', `Not all shown: ${failure.error.why}`, { error: failure.error }) : errorNode(node.id, failure.error, node.context));
          this.onFailure(failure);
        } else if (listing && children.length === 0) children.push(messageNode(node.id, 'loading', 'Loading workloads…'));
        else if (children.length === 0) children.push(messageNode(node.id, 'info', 'No workloads'));
        return children;
      }
      case 'workload':
        return [...node.jobs, ...node.pods];
      case 'pod':
        return buildContainerChildren(node);
      default:
        return [];
    }
  }

  /** Parents of context, namespace and workload rows (what `reveal` walks); other rows have none known. */
  getParent(node: ClusterNode): ClusterNode | undefined {
    if (node.type === 'namespace') return this.contexts.get(node.context);
    if (node.type === 'workload') return this.namespaces.get(node.context)?.get(node.namespace);
    return undefined;
  }

  /**
   * Shows a workload of the selected context: its namespace is expanded (and watched), the row
   * selected. Fails, explaining why, when its namespace is not shown or it is not there.
   */
  async revealWorkload(target: { context: string; namespace: string; kind: string; name: string }): Promise<void> {
    const view = this.view;
    if (!view) throw new Error('the Cluster view is not open');
    if (this.explorer.selectedContext !== target.context) await this.explorer.selectContext(target.context);
    await this.roots();
    const context = this.contexts.get(target.context);
    if (context) this.contextChildren(context);
    const namespace = this.namespaces.get(target.context)?.get(target.namespace);
    if (!namespace) throw new Error(`namespace ${target.namespace} is not shown in the Cluster view (check its namespace filter)`);
    this.explorer.sessionFor(target.context)?.setExpanded(target.namespace, true);
    await this.explorer.whenIdle();
    this.built.delete(namespace.id);
    const row = this.namespaceChildren(namespace).find((n) => n.type === 'workload' && n.kind === target.kind && n.name === target.name);
    if (!row) throw new Error(`${target.kind} ${target.namespace}/${target.name} is not in context ${target.context}`);
    await view.reveal(row, { select: true, focus: true, expand: true });
  }

  private async roots(): Promise<ClusterNode[]> {
    await this.explorer.load();
    const state = this.explorer.state;
    if (state.phase === 'missing') return [];
    if (state.phase === 'invalid') {
      this.onFailure({ error: state.error, needs: [] });
      return [errorNode('root', state.error)];
    }
    if (state.phase !== 'loaded') return [messageNode('root', 'loading', 'Reading kubeconfig…')];
    if (state.config.contexts.length === 0) {
      return [messageNode('root', 'warning', `No contexts in ${state.config.files.join(', ')}`)];
    }
    const selected = this.explorer.selectedContext;
    this.contexts = new Map(state.config.contexts.map((c) => [c.name, contextNode(c, c.name === selected)]));
    return [...this.contexts.values()];
  }

  private contextChildren(node: ContextNode): ClusterNode[] {
    const context = node.context.name;
    const selected = context === this.explorer.selectedContext;
    const session = this.explorer.sessionFor(context);
    if (!session) {
      return [messageNode(node.id, 'info', 'Not watched — click to select this context, or collapse and expand to look', { action: { kind: 'selectContext', context } })];
    }
    const { names, listing, failure } = session.visibleNamespaces();
    const rows: ClusterNode[] = [];
    if (!selected) {
      rows.push(messageNode(node.id, 'info', 'Watched while expanded — click to select this context', { action: { kind: 'selectContext', context } }));
    }
    if (failure?.partial) {
      // Namespaces may not be listed: the kubeconfig's and the filtered ones are shown instead.
      rows.push(messageNode(node.id, 'info', `Showing ${names.join(', ') || 'no namespace'}: you may not list namespaces (Filter Namespaces adds others)`, { error: failure.error, action: { kind: 'filterNamespaces' } }));
      if (selected) this.onFailure(failure);
    } else if (failure) {
      rows.push(...failureNodes(node.id, failure.error, context));
      if (selected) this.onFailure(failure);
      if (selected && failure.error.reason === 'Forbidden') {
        rows.push(messageNode(node.id, 'info', 'Pick namespaces to show with Filter Namespaces', { action: { kind: 'filterNamespaces' } }));
      }
    }
    if (listing) rows.push(messageNode(node.id, 'loading', 'Loading namespaces…'));
    const known = this.namespaces.get(context);
    const next = new Map<string, NamespaceNode>();
    for (const name of names) next.set(name, known?.get(name) ?? namespaceNode(context, name));
    this.namespaces.set(context, next);
    return [...rows, ...next.values()];
  }

  private namespaceChildren(node: NamespaceNode): Array<WorkloadNode | PodNode> {
    let children = this.built.get(node.id);
    const session = this.explorer.sessionFor(node.context);
    if (!children && session) {
      children = buildNamespaceChildren(node.context, node.name, session.namespaceObjects(node.name).objects, this.podNodes);
      this.built.set(node.id, children);
      this.ages.set(node.id, nextAgeChange(Array.from(agedRows(children), createdAt), Date.now()));
    }
    return children ?? [];
  }

  /**
   * A namespace's ages moved on (its objects did not): only the rows whose age reads differently
   * re-render, as the same elements, so VS Code keeps every other row (and what a context menu
   * is about) as it is.
   */
  private refreshAges(ids: readonly string[]): void {
    const due = new Set(ids);
    const now = Date.now();
    for (const rows of this.namespaces.values()) {
      for (const node of rows.values()) {
        const children = due.has(node.id) ? this.built.get(node.id) : undefined;
        if (!children) continue;
        for (const row of agedRows(children)) {
          if (this.agesShown.has(row) && this.agesShown.get(row) !== rowAge(row, now)) this.changed.fire(row);
        }
        this.ages.set(node.id, nextAgeChange(Array.from(agedRows(children), createdAt), now));
      }
    }
  }

  /** Drops the rows kept for a context that is no longer shown. */
  private forget(context: string): void {
    for (const node of this.namespaces.get(context)?.values() ?? []) {
      this.built.delete(node.id);
      this.ages.set(node.id, undefined);
    }
    this.namespaces.delete(context);
  }

  private refresh(change: ExplorerChange): void {
    if (change.scope === 'watching') return; // no row shows which namespaces are watched
    if (change.scope === 'namespace') {
      const ns = this.namespaces.get(change.context)?.get(change.namespace);
      if (!ns) return;
      this.built.delete(ns.id);
      return this.changed.fire(ns);
    }
    if (change.scope === 'context') {
      for (const node of this.namespaces.get(change.context)?.values() ?? []) this.built.delete(node.id);
      const ctx = this.contexts.get(change.context);
      if (ctx) return this.changed.fire(ctx);
    }
    this.built.clear();
    this.namespaces.clear();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.store.dispose();
  }
}
