/**
 * Reads the Cluster view the way VS Code does: getChildren for nodes, getTreeItem for what a row
 * shows. Rows are plain {node, label, description, tooltip, icon} so tests assert on what the user
 * sees.
 */
import * as vscode from 'vscode';
import type { TetherApi } from '../../../src/ui/api';
import type { ClusterNode } from '../../../src/ui/views/clusterModel';
import { until } from './until';

export interface Row {
  node: ClusterNode;
  label: string;
  description: string;
  tooltip: string;
  icon?: string;
  iconColor?: string;
  /** What the row's context menu is chosen by. */
  contextValue?: string;
}

function text(value: string | vscode.TreeItemLabel | vscode.MarkdownString | boolean | undefined): string {
  if (value === undefined || typeof value === 'boolean') return '';
  if (typeof value === 'string') return value;
  if (value instanceof vscode.MarkdownString) return value.value;
  return value.label;
}

export async function rows(api: TetherApi, parent?: ClusterNode): Promise<Row[]> {
  const nodes = (await api.clusterTree.getChildren(parent)) ?? [];
  return Promise.all(nodes.map(async (node) => {
    const item = await api.clusterTree.getTreeItem(node);
    const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath : undefined;
    return {
      node,
      label: text(item.label),
      description: text(item.description),
      tooltip: text(item.tooltip),
      icon: icon?.id,
      iconColor: icon?.color?.id,
      contextValue: item.contextValue,
    };
  }));
}

/** Polls `probe` (after letting the extension go idle) until it returns a value, or fails with `what`. */
export function eventually<T>(api: TetherApi, what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  return until(what, probe, timeoutMs, () => api.whenIdle(timeoutMs));
}

export function childRow(api: TetherApi, parent: ClusterNode | undefined, label: string | RegExp, timeoutMs?: number): Promise<Row> {
  const matches = (r: Row) => (typeof label === 'string' ? r.label === label : label.test(r.label));
  return eventually(api, `row ${String(label)}`, async () => (await rows(api, parent)).find(matches), timeoutMs);
}

/** Follows a path of labels from the roots, e.g. [context, namespace, workload, pod]. */
export async function rowAt(api: TetherApi, path: Array<string | RegExp>): Promise<Row> {
  let row: Row | undefined;
  for (const label of path) row = await childRow(api, row?.node, label);
  if (!row) throw new Error('empty path');
  return row;
}
