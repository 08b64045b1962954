/**
 * While there is no usable kubeconfig (the welcome view, or an error row), checks the files
 * kubectl would read every two seconds and reloads the Cluster view when one appears or changes —
 * so creating a cluster in a terminal (`kind create cluster`) shows up without a click. Polling a
 * stat or two is cheap and, unlike file watchers, works when ~/.kube does not exist yet. Once a
 * kubeconfig loads it stops: credential plugins rewrite kubeconfigs often, and Refresh is a click.
 */
import * as vscode from 'vscode';
import { stat } from 'node:fs/promises';
import { DisposableStore, toDisposable } from '../lifecycle';
import type { ClusterExplorer } from './session/explorer';

const pollMs = 2000;

async function signature(files: string[]): Promise<string> {
  const parts = await Promise.all(
    files.map((f) => stat(f).then((s) => `${f}:${s.size}:${s.mtimeMs}`, () => `${f}:absent`)),
  );
  return parts.join('\n');
}

export class KubeconfigWatcher implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private timer?: NodeJS.Timeout;
  private generation = 0;

  constructor(
    private readonly explorer: ClusterExplorer,
    private readonly env: () => NodeJS.ProcessEnv,
    private readonly onReloadFailed: (err: unknown) => void,
  ) {
    this.store.add(explorer.onDidChange((c) => c.scope === 'all' && void this.sync()));
    this.store.add(toDisposable(() => this.stop()));
  }

  private async sync(): Promise<void> {
    const phase = this.explorer.state.phase;
    if (phase !== 'missing' && phase !== 'invalid') return this.stop();
    if (this.timer) return;
    const generation = ++this.generation;
    const { kubeconfigPaths } = await import('../kube/config');
    const files = kubeconfigPaths(this.env());
    const first = await signature(files);
    if (generation !== this.generation || this.store.isDisposed) return;
    this.timer = setInterval(() => {
      void signature(files).then((now) => {
        if (now === first || generation !== this.generation) return;
        this.stop();
        this.explorer.reload().catch(this.onReloadFailed);
      });
    }, pollMs);
  }

  private stop(): void {
    this.generation++;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.store.dispose();
  }
}
