/**
 * What `activate` returns: a small surface for extension-host tests.
 *
 *   const api = vscode.extensions.getExtension<TetherApi>('tether-dev.tether')!.exports;
 *   const roots = await api.clusterTree.getChildren();   // context rows
 *   await api.whenIdle();                                  // watches synced, refreshes flushed
 */
import type * as vscode from 'vscode';
import type { ClusterNode } from './views/clusterModel';
import type { GpuTreeNode } from './gpu/gpuTreeModel';
import type { TunnelSnapshot } from './tunnel/tunnelSnapshot';
import type { SandboxNode } from './sandbox/sandboxTreeModel';

export interface TetherApi {
  /** The Cluster view's data provider; walk it with getChildren / getTreeItem. */
  readonly clusterTree: vscode.TreeDataProvider<ClusterNode>;
  /** The GPU view's data provider; it has rows while the view is visible (tether.gpus.focus). */
  readonly gpuTree: vscode.TreeDataProvider<GpuTreeNode>;
  /** The Sandboxes view's data provider: groups, then sandboxes. */
  readonly sandboxTree: vscode.TreeDataProvider<SandboxNode>;
  /** Resolves when nothing is loading, no watch is on its first list and no refresh is pending. */
  whenIdle(timeoutMs?: number): Promise<void>;
  /** The selected context and namespace filter (undefined before the kubeconfig is read). */
  selection(): { context?: string; namespaces?: readonly string[] };
  /** The tunnels running in this window: state, statistics and the status bar text as shown. */
  tunnels(): TunnelSnapshot[];
}
