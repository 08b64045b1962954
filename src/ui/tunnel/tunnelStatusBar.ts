/**
 * One status bar item per running tunnel: state, live connections, bytes and round-trip time;
 * the tooltip says why it dropped when it is reconnecting. Click = the tunnel's actions.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { TunnelSession } from '../../tunnel/session';
import { describeState } from '../../tunnel/sessionState';
import { formatBytes, statusText, type TunnelLabel } from './tunnelStatusText';

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
