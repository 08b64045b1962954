/**
 * The "Preview" status bar item: shown when the workspace has a tether.yaml (or a sandbox runs);
 * its text is the running preview's state, a click runs Preview Changes.
 */
import * as vscode from 'vscode';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';

export class PreviewStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tether.preview', vscode.StatusBarAlignment.Left, 40);
  private readonly subscriptions: vscode.Disposable[] = [];
  private hasSpec = false;

  constructor(private readonly loop: PreviewLoop) {
    this.item.name = 'Tether Preview';
    this.item.command = 'tether.previewChanges';
    const watcher = vscode.workspace.createFileSystemWatcher('**/tether.yaml');
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate(() => this.checkSpec()),
      watcher.onDidDelete(() => this.checkSpec()),
      loop.onDidChange(() => this.render()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.checkSpec()),
    );
    void this.checkSpec();
  }

  private async checkSpec(): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    this.hasSpec = folder ? await vscode.workspace.fs.stat(vscode.Uri.joinPath(folder.uri, 'tether.yaml')).then(() => true, () => false) : false;
    void vscode.commands.executeCommand('setContext', 'tether.hasSandboxSpec', this.hasSpec);
    this.render();
  }

  private render(): void {
    const running = this.loop.summaries()[0];
    if (!running && !this.hasSpec) return void this.item.hide();
    if (running) {
      const down = running.tunnels.some((t) => t.state !== 'connected') || running.heartbeat !== 'renewing';
      this.item.text = `$(${down ? 'warning' : 'globe'}) Preview ${running.sandbox}`;
      this.item.tooltip = `${running.url ?? 'no URL'}\nTunnels: ${running.tunnels.map((t) => `${t.workload} ${t.state}`).join(', ') || 'none'}\nLease: ${running.heartbeat}\nClick to check it and open it again.`;
    } else {
      this.item.text = '$(globe) Preview';
      this.item.tooltip = 'Tether: Preview Changes — create the sandbox and open its preview';
    }
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.item.dispose();
  }
}
