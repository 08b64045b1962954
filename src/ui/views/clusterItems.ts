/**
 * ClusterNode -> vscode.TreeItem: labels, descriptions, theme icons and colours, tooltips and
 * contextValues (which drive the context menus in package.json).
 */
import * as vscode from 'vscode';
import type { GpuSummary } from '../../gpu/gpuSummary';
import type { WorkloadTunnel } from '../../tunnel/activeTunnels';
import { tunnelRowText } from '../tunnel/tunnelStatusText';
import { describePodRow, type Health } from './podSummary';
import { formatAge } from './age';
import { createdAt, podsOf, type ClusterNode, type ContainerNode, type ContextNode, type MessageNode, type PodNode, type WorkloadNode } from './clusterModel';
import type { WorkloadKind } from './workloads';
import { editorRemedy } from '../stepWords';

const healthIcons: Record<Health, [string, string]> = {
  ok: ['pass', 'testing.iconPassed'],
  progressing: ['sync', 'charts.blue'],
  pending: ['clock', 'list.warningForeground'],
  warning: ['warning', 'list.warningForeground'],
  error: ['error', 'errorForeground'],
  succeeded: ['check', 'descriptionForeground'],
  terminating: ['trash', 'descriptionForeground'],
};

const kindIcons: Record<WorkloadKind, string> = {
  Deployment: 'layers',
  StatefulSet: 'database',
  DaemonSet: 'server-process',
  CronJob: 'watch',
  Job: 'run-all',
  ReplicaSet: 'copy',
};

const healthColor = (h: Health): vscode.ThemeColor => new vscode.ThemeColor(healthIcons[h][1]);

function icon(name: string, health?: Health): vscode.ThemeIcon {
  return new vscode.ThemeIcon(name, health ? healthColor(health) : undefined);
}

function markdown(lines: string[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(lines.join('\n\n'), true);
  md.isTrusted = false;
  return md;
}

const esc = (s: string): string => s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');

const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
const Expanded = vscode.TreeItemCollapsibleState.Expanded;
const None = vscode.TreeItemCollapsibleState.None;

/** The context's GPU summary as tooltip paragraphs: the one-liner, then one per resource or waiting pod. */
function gpuLines(gpu: GpuSummary): string[] {
  const details = gpu.tooltip.split('\n').filter((line) => line.length > 0).map(esc);
  return [`$(chip) **GPUs**: ${gpu.text ? esc(gpu.text) : 'none in this cluster'}`, ...details];
}

function contextItem(n: ContextNode, gpu?: GpuSummary): vscode.TreeItem {
  const item = new vscode.TreeItem(n.context.name, n.selected ? Expanded : Collapsed);
  item.iconPath = n.selected ? icon('cloud', 'ok') : icon('cloud');
  item.description = n.selected ? `selected · ${n.context.server}` : n.context.server;
  item.contextValue = n.selected ? 'tether.context.selected' : 'tether.context';
  const lines = [
    `**${esc(n.context.name)}**${n.selected ? ' (selected)' : ''}`,
    `Cluster: ${esc(n.context.cluster)} · ${esc(n.context.server || 'no server')}`,
    `User: ${esc(n.context.user)} · namespace: ${esc(n.context.namespace ?? 'default')}`,
  ];
  if (n.context.problem) lines.push(`$(warning) ${esc(n.context.problem)}`);
  if (gpu) lines.push(...gpuLines(gpu));
  item.tooltip = markdown(lines);
  return item;
}

function gpuText(n: PodNode): string | undefined {
  const g = n.summary.gpus;
  return g.total ? `${g.total} GPU${g.total === 1 ? '' : 's'}` : undefined;
}

/** The age a row shows now ("45s", "6m12s", "3d4h"), like kubectl. */
export function rowAge(row: WorkloadNode | PodNode, now: number): string | undefined {
  return formatAge(createdAt(row), now);
}

function podItem(n: PodNode, now: number): vscode.TreeItem {
  const s = n.summary;
  const age = rowAge(n, now);
  const item = new vscode.TreeItem(n.name, Collapsed);
  const [iconName] = healthIcons[s.health];
  item.iconPath = icon(iconName, s.health);
  const gpus = gpuText(n);
  item.description = [gpus ? `⚡${gpus}` : undefined, describePodRow(s, age)].filter(Boolean).join(' · ');
  item.contextValue = n.managed ? 'tether.pod.managed' : 'tether.pod';
  const lines = [
    `**Pod ${esc(n.name)}** — ${esc(s.phase)}${s.reason ? ` · ${esc(s.reason)}` : ''}`,
    `Ready ${s.ready}/${s.total} · restarts ${s.restarts}${age ? ` · age ${age}` : ''}`,
  ];
  if (s.message) lines.push(esc(s.message));
  if (gpus) {
    const detail = Object.entries(s.gpus.byResource).map(([r, c]) => `${esc(r)}: ${c}`).join(', ');
    lines.push(`$(chip) Requests ${gpus} (${detail})`);
  }
  if (n.managed) lines.push('$(tag) Managed by Tether');
  item.tooltip = markdown(lines);
  return item;
}

function workloadItem(n: WorkloadNode, now: number, tunnel: WorkloadTunnel | undefined): vscode.TreeItem {
  const pods = podsOf(n);
  const progress = [n.description, rowAge(n, now)].filter(Boolean).join(' · ');
  const item = new vscode.TreeItem(n.name, n.pods.length || n.jobs.length ? Collapsed : None);
  item.iconPath = icon(kindIcons[n.kind], n.health === 'ok' || n.health === 'succeeded' ? undefined : n.health);
  const tunnelText = tunnel && tunnelRowText(tunnel.state, tunnel.localPort);
  item.description = `${n.kind} · ${progress}${tunnelText ? ` · ⇄ ${tunnelText}` : ''}`;
  const managed = n.object?.metadata.labels?.['app.kubernetes.io/managed-by'] === 'tether';
  // ".tunnel" while one runs: the context menu offers Stop Tunnel instead of starting another.
  item.contextValue = `tether.${n.kind.toLowerCase()}${managed ? '.managed' : ''}${tunnel ? '.tunnel' : ''}`;
  const failing = pods.filter((p) => p.summary.health === 'error');
  const counts = [
    ...(n.jobs.length ? [`${n.jobs.length} job${n.jobs.length === 1 ? '' : 's'}`] : []),
    `${pods.length} pod${pods.length === 1 ? '' : 's'}`,
  ];
  const lines = [`**${n.kind} ${esc(n.name)}** — ${esc(progress)}`, counts.join(' · ')];
  if (tunnel) lines.push(`$(plug) Its in-cluster traffic tunnels to 127.0.0.1:${tunnel.localPort} (${esc(tunnel.state.phase)}); right-click for Stop Tunnel`);
  for (const p of failing.slice(0, 5)) lines.push(`$(error) ${esc(p.name)}: ${esc(p.summary.reason ?? p.summary.phase)}`);
  item.tooltip = markdown(lines);
  return item;
}

function containerItem(n: ContainerNode): vscode.TreeItem {
  const item = new vscode.TreeItem(n.name, None);
  item.iconPath = icon(n.init ? 'debug-start' : 'package', n.health === 'ok' ? 'ok' : n.health);
  item.description = `${n.init ? 'init · ' : ''}${n.text}`;
  item.contextValue = 'tether.container';
  item.tooltip = markdown([`**Container ${esc(n.name)}**${n.init ? ' (init)' : ''} — ${esc(n.text)}`, ...(n.message ? [esc(n.message)] : [])]);
  return item;
}

function messageItem(n: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(n.label, None);
  const icons: Record<MessageNode['severity'], vscode.ThemeIcon> = {
    error: icon('error', 'error'),
    warning: icon('warning', 'warning'),
    info: new vscode.ThemeIcon('info'),
    loading: new vscode.ThemeIcon('loading~spin'),
  };
  item.iconPath = icons[n.severity];
  item.contextValue = `tether.message.${n.severity}`;
  if (n.error) {
    item.tooltip = markdown([`**${esc(n.error.what)}** failed`, `Why: ${esc(n.error.why)}`, `Next: ${esc(editorRemedy(n.error))}`, n.action?.kind === 'retry' ? '_Click to retry._' : '']);
  }
  if (n.action?.kind === 'retry') item.command = { title: 'Retry', command: 'tether.retryConnection' };
  if (n.action?.kind === 'selectContext') item.command = { title: 'Select Context', command: 'tether.selectContext', arguments: n.action.context ? [n.action.context] : [] };
  if (n.action?.kind === 'filterNamespaces') item.command = { title: 'Filter Namespaces', command: 'tether.filterNamespaces' };
  return item;
}

/**
 * What a row shows beyond its node: a watched namespace's summary, a context's GPU summary, a
 * workload's tunnel, and the time its age is read at (default: now).
 */
export interface ItemExtras {
  readonly now?: number;
  readonly namespaceDescription?: string;
  readonly gpu?: GpuSummary;
  readonly tunnel?: WorkloadTunnel;
}

/** The TreeItem for a node, with the extras that apply to its type. */
export function toTreeItem(n: ClusterNode, extras: ItemExtras = {}): vscode.TreeItem {
  let item: vscode.TreeItem;
  switch (n.type) {
    case 'context':
      item = contextItem(n, extras.gpu);
      break;
    case 'namespace':
      item = new vscode.TreeItem(n.name, Collapsed);
      item.iconPath = new vscode.ThemeIcon('symbol-namespace');
      item.description = extras.namespaceDescription;
      item.contextValue = 'tether.namespace';
      break;
    case 'workload':
      item = workloadItem(n, extras.now ?? Date.now(), extras.tunnel);
      break;
    case 'pod':
      item = podItem(n, extras.now ?? Date.now());
      break;
    case 'container':
      item = containerItem(n);
      break;
    case 'message':
      item = messageItem(n);
      break;
  }
  item.id = n.id;
  return item;
}
