/**
 * GPU tree nodes -> VS Code TreeItems: labels, descriptions, tooltips, theme icons and colours.
 */
import * as vscode from 'vscode';
import type { GpuTreeNode } from './gpuTreeModel';

const warning = new vscode.ThemeColor('list.warningForeground');
const error = new vscode.ThemeColor('list.errorForeground');

function collapsible(children: readonly unknown[], expanded: boolean): vscode.TreeItemCollapsibleState {
  if (children.length === 0) return vscode.TreeItemCollapsibleState.None;
  return expanded ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
}

export function toGpuTreeItem(node: GpuTreeNode): vscode.TreeItem {
  switch (node.type) {
    case 'section': {
      const item = new vscode.TreeItem(node.label, collapsible(node.children, node.id !== 'holders'));
      item.id = node.id;
      item.description = node.description;
      item.contextValue = `gpu.section.${node.id}`;
      return item;
    }
    case 'node': {
      const item = new vscode.TreeItem(node.row.name, collapsible(node.children, false));
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      const trouble = !node.row.ready || node.row.unschedulable || node.row.unavailable !== undefined;
      item.iconPath = new vscode.ThemeIcon('server', trouble ? warning : undefined);
      item.contextValue = 'gpu.node';
      return item;
    }
    case 'slot': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon('circuit-board');
      return item;
    }
    case 'namespace': {
      const item = new vscode.TreeItem(node.label, collapsible(node.children, false));
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('symbol-namespace', node.overQuota ? warning : undefined);
      item.contextValue = 'gpu.namespace';
      return item;
    }
    case 'quota': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.iconPath = new vscode.ThemeIcon('dashboard', node.full ? warning : undefined);
      return item;
    }
    case 'holder': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon(node.idle ? 'debug-pause' : 'pulse', node.idle ? warning : undefined);
      item.contextValue = 'gpu.pod';
      return item;
    }
    case 'waiting': {
      const item = new vscode.TreeItem(node.label, collapsible(node.children, true));
      item.id = node.id;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = new vscode.ThemeIcon('watch', warning);
      item.contextValue = 'gpu.pod.waiting';
      return item;
    }
    case 'message': {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.tooltip = node.tooltip ?? node.label;
      if (node.retry) item.command = { title: 'Retry', command: 'tether.retryConnection' };
      item.iconPath =
        node.severity === 'error'
          ? new vscode.ThemeIcon('error', error)
          : node.severity === 'loading'
            ? new vscode.ThemeIcon('loading~spin')
            : new vscode.ThemeIcon('info');
      return item;
    }
  }
}
