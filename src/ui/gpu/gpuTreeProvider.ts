/**
 * The GPU view's TreeDataProvider: holds the latest tree built from the GPU table and tells
 * VS Code when it changed. Rendering is cheap (the table is incremental); callers coalesce.
 */
import * as vscode from 'vscode';
import type { GpuTreeNode } from './gpuTreeModel';
import { toGpuTreeItem } from './gpuTreeItems';

export class GpuTreeProvider implements vscode.TreeDataProvider<GpuTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<GpuTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: readonly GpuTreeNode[] = [];

  /** Replaces the tree; VS Code re-asks for the rows (ids keep expansion state). */
  show(roots: readonly GpuTreeNode[]): void {
    this.roots = roots;
    this.changed.fire(undefined);
  }

  getTreeItem(node: GpuTreeNode): vscode.TreeItem {
    return toGpuTreeItem(node);
  }

  getChildren(node?: GpuTreeNode): GpuTreeNode[] {
    if (!node) return [...this.roots];
    return 'children' in node ? [...node.children] : [];
  }

  dispose(): void {
    this.changed.dispose();
  }
}
