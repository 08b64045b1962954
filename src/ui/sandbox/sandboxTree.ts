/**
 * The Sandboxes view: a thin TreeDataProvider over sandboxTreeModel.ts. The listing is read from
 * the selected context's Leases when the view asks and every 30 s while it is visible (the TTL
 * countdowns move with it); a sandbox's forks, pods and recent events are read when it is expanded.
 */
import * as vscode from 'vscode';
import type { EngineDeps } from '../../engine/engine';
import { sandboxDetails, sandboxListing } from '../../engine/status';
import type { SandboxListing } from '../../sandbox/lifecycle/lifecycle';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';
import type { ClusterExplorer } from '../session/explorer';
import { detailNodes, failureNodes, groupNodes, sandboxNodes, type SandboxNode } from './sandboxTreeModel';
import { editorLook } from './workspace';

export const openUrlCommand = 'tether.openPreviewUrl';

export class SandboxTreeProvider implements vscode.TreeDataProvider<SandboxNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<SandboxNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** The listing being read or read for a context; a refresh drops it, so a read begun before cannot land after. */
  private listing: { context: string; value: Promise<SandboxListing> } | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly loop: PreviewLoop,
    private readonly engine: EngineDeps,
    private readonly onFailure: (err: unknown) => void,
  ) {
    this.subscriptions.push(
      this.changed,
      explorer.onDidChange((c) => (c.scope === 'all' ? this.refresh() : undefined)),
      loop.onDidChange(() => this.refresh()),
    );
  }

  attach(view: vscode.TreeView<SandboxNode>): void {
    this.timer = setInterval(() => {
      if (view.visible) this.refresh();
    }, 30_000);
  }

  refresh(): void {
    this.listing = undefined;
    this.changed.fire(undefined);
  }

  getTreeItem(node: SandboxNode): vscode.TreeItem {
    switch (node.type) {
      case 'group': {
        const item = new vscode.TreeItem(node.label, node.count > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = String(node.count);
        item.contextValue = `tether.sandboxGroup.${node.group}`;
        return item;
      }
      case 'sandbox': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.contextValue = node.contextValue;
        item.iconPath = new vscode.ThemeIcon(node.summary.state === 'orphan' ? 'warning' : node.running ? 'vm-running' : 'vm');
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.contextValue) item.contextValue = node.contextValue;
        if (node.url) item.command = { title: 'Open Preview', command: openUrlCommand, arguments: [node.url] };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.id = node.id;
        item.tooltip = node.label;
        item.iconPath = new vscode.ThemeIcon(node.error ? 'error' : 'info');
        if (node.retry) item.command = { title: 'Retry', command: 'tether.retryConnection' };
        return item;
      }
    }
  }

  private readListing(context: string): Promise<SandboxListing> {
    if (this.listing?.context === context) return this.listing.value;
    const value = (async () => {
      const client = (await this.explorer.kube()).client(context);
      return sandboxListing(this.engine, client, undefined, editorLook(this.explorer, context));
    })();
    const entry = { context, value };
    this.listing = entry;
    value.catch(() => {
      if (this.listing === entry) this.listing = undefined;
    });
    return value;
  }

  async getChildren(node?: SandboxNode): Promise<SandboxNode[]> {
    const context = this.explorer.selectedContext;
    if (!node) {
      try {
        await this.explorer.load();
        const selected = this.explorer.selectedContext;
        if (!selected) return [{ type: 'message', id: 'message/no-context', label: 'Select a Kubernetes context to see sandboxes', error: false }];
        const listing = await this.readListing(selected);
        const nodes = groupNodes(listing);
        if (listing.partial) nodes.push({ type: 'message', id: 'message/partial', label: `Partial: ${listing.partial}`, error: false });
        return nodes;
      } catch (err) {
        this.onFailure(err);
        return failureNodes('message', err);
      }
    }
    if (!context) return [];
    if (node.type === 'group') return sandboxNodes(context, node.group, await this.readListing(context), this.loop.summaries(), this.engine.host.clock.now());
    if (node.type !== 'sandbox') return [];
    try {
      const client = (await this.explorer.kube()).client(node.context);
      return detailNodes({ node, ...(await sandboxDetails(client, node.summary)) });
    } catch (err) {
      return failureNodes(node.id, err);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
