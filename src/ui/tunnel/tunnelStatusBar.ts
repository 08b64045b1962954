/**
 * One status bar item per running tunnel: state, live connections, bytes and round-trip time;
 * the tooltip says why it dropped when it is reconnecting. Click = the tunnel's actions.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { TunnelSession, TunnelState, TunnelStats } from '../../tunnel/session';
import { describeState } from '../../tunnel/sessionState';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export interface TunnelLabel {
  /** "web", the workload the tunnel serves. */
  workload: string;
  namespace: string;
  localPort: number;
}

export class TunnelStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item: vscode.StatusBarItem;

  constructor(
    private readonly session: TunnelSession,
    private readonly label: TunnelLabel,
    actionsCommand: vscode.Command,
  ) {
    this.item = this.store.add(vscode.window.createStatusBarItem(`tether.tunnel.${label.namespace}.${label.workload}`, vscode.StatusBarAlignment.Left, 9));
    this.item.name = `Tether: tunnel for ${label.workload}`;
    this.item.command = actionsCommand;
    this.store.add(session.onDidChangeState(() => this.render()));
    this.store.add(session.onStats(() => this.render()));
    this.render();
    this.item.show();
  }

  /** The text as shown, for tests and the tunnel's quick pick. */
  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const state = this.session.state;
    const stats = this.session.stats;
    this.item.text = statusText(this.label, state, stats);
    this.item.backgroundColor = state.phase === 'reconnecting' && state.reason.needsUser ? new vscode.ThemeColor('statusBarItem.errorBackground') : state.phase === 'reconnecting' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString(
      [
        `**Tether tunnel** — in-cluster traffic for \`${this.label.workload}\` (namespace \`${this.label.namespace}\`) → \`127.0.0.1:${this.label.localPort}\``,
        `State: ${describeState(state)}`,
        state.phase === 'reconnecting' && state.reason.remedy ? `Next step: ${state.reason.remedy}` : '',
        `Connections: ${stats.liveConnections} live, ${stats.inboundServed} served, ${stats.inboundRefused} refused (nothing listening locally)`,
        `Traffic: ${formatBytes(stats.bytesIn)} in, ${formatBytes(stats.bytesOut)} out${stats.rttMs !== undefined ? ` · round trip ${stats.rttMs.toFixed(1)} ms` : ''}`,
      ]
        .filter(Boolean)
        .join('\n\n'),
    );
    this.item.tooltip = md;
  }

  dispose(): void {
    this.store.dispose();
  }
}

export function statusText(label: TunnelLabel, state: TunnelState, stats: TunnelStats): string {
  const target = `${label.workload} → :${label.localPort}`;
  switch (state.phase) {
    case 'connecting':
      return `$(sync~spin) ${target}`;
    case 'reconnecting':
      return `$(debug-disconnect) ${target} · reconnecting`;
    case 'stopped':
      return `$(circle-slash) ${target} · stopped`;
    case 'connected': {
      const rtt = stats.rttMs !== undefined ? ` · ${stats.rttMs < 10 ? stats.rttMs.toFixed(1) : Math.round(stats.rttMs)} ms` : '';
      return `$(plug) ${target} · ${stats.liveConnections} conn · ${formatBytes(stats.bytesIn + stats.bytesOut)}${rtt}`;
    }
  }
}
