/**
 * While there is no usable kubeconfig (the welcome view, or an error row), watches the files
 * kubectl would read and reloads the Cluster view when one appears or changes — so creating a
 * cluster in a terminal (`kind create cluster`) shows up without a click. Once loaded it stops
 * watching: credential plugins rewrite kubeconfigs often, and Refresh is one click away.
 */
import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { DisposableStore } from '../lifecycle';
import type { ClusterExplorer } from './session/explorer';

export class KubeconfigWatcher implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private watchers = new DisposableStore();
  private watching = '';
  private debounce?: NodeJS.Timeout;

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly onReloadFailed: (err: unknown) => void,
  ) {
    this.store.add(explorer.onDidChange((c) => c.scope === 'all' && void this.sync()));
  }

  private async sync(): Promise<void> {
    const phase = this.explorer.state.phase;
    if (phase !== 'missing' && phase !== 'invalid') return this.watch([]);
    const { kubeconfigPaths } = await import('../kube/config');
    this.watch(kubeconfigPaths(this.env()));
  }

  private watch(files: string[]): void {
    const key = files.join('\n');
    if (key === this.watching) return;
    this.watching = key;
    this.watchers.dispose();
    this.watchers = new DisposableStore();
    for (const file of files) {
      const w = this.watchers.add(vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file))));
      for (const event of [w.onDidCreate, w.onDidChange]) this.watchers.add(event(() => this.changed()));
    }
  }

  private changed(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.explorer.reload().catch(this.onReloadFailed);
    }, 500);
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.watchers.dispose();
    this.store.dispose();
  }
}
