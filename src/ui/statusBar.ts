/**
 * `$(cloud) context · namespaces` in the status bar, with a summary tooltip; click = select context.
 * Also keeps the `tether.kubeconfigState` context key (drives the welcome view) in step.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../lifecycle';
import type { ClusterExplorer } from './session/explorer';
import { editorRemedy } from './stepWords';

export type KubeconfigState = 'unknown' | 'missing' | 'invalid' | 'loaded';

export class ClusterStatusBar implements vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly item = this.store.add(vscode.window.createStatusBarItem('tether.context', vscode.StatusBarAlignment.Left, 10));
  private lastState?: KubeconfigState;

  constructor(private readonly explorer: ClusterExplorer) {
    this.item.name = 'Tether: Kubernetes context';
    this.item.command = 'tether.selectContext';
    // Rows changing inside a namespace do not change this item; which namespaces are watched does.
    this.store.add(explorer.onDidChange((c) => c.scope !== 'namespace' && this.update()));
    this.update();
  }

  update(): void {
    const state = this.explorer.state;
    const keyState: KubeconfigState = state.phase === 'loaded' ? 'loaded' : state.phase === 'missing' ? 'missing' : state.phase === 'invalid' ? 'invalid' : 'unknown';
    if (keyState !== this.lastState) {
      this.lastState = keyState;
      void vscode.commands.executeCommand('setContext', 'tether.kubeconfigState', keyState);
    }
    if (state.phase === 'missing' || state.phase === 'invalid') {
      this.item.text = `$(cloud) ${state.phase === 'missing' ? 'no kubeconfig' : 'kubeconfig error'}`;
      this.item.tooltip = new vscode.MarkdownString(`**Tether**: ${state.error.why}\n\n${editorRemedy(state.error)}`);
      this.item.backgroundColor = state.phase === 'invalid' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
      this.item.show();
      return;
    }
    const session = this.explorer.session;
    if (state.phase !== 'loaded' || !session) {
      this.item.hide();
      return;
    }
    const filter = session.namespaceFilter;
    // Without the right to list namespaces the view shows the kubeconfig's: never claim "all".
    const refused = session.namespaceListRefused;
    const shown = filter ?? (refused ? [session.defaultNamespace] : undefined);
    const namespaces = shown ? (shown.length <= 2 ? shown.join(', ') : `${shown.length} namespaces`) : 'all namespaces';
    const summary = state.config.contexts.find((c) => c.name === session.context);
    this.item.text = `$(cloud) ${session.context} · ${namespaces}`;
    this.item.backgroundColor = undefined;
    const md = new vscode.MarkdownString(
      [
        `**Tether** — context \`${session.context}\``,
        `Server: ${summary?.server ?? '?'} · user: ${summary?.user ?? '?'}`,
        `Namespaces: ${shown ? shown.join(', ') : 'all'}${refused ? ' (you may not list namespaces)' : ''}`,
        `Watching workloads in: ${session.watchedNamespaces().join(', ') || 'none yet (expand a namespace)'}`,
        `Kubeconfig: ${state.config.files.join(', ')}`,
        'Click to switch context or filter namespaces.',
      ].join('\n\n'),
    );
    this.item.tooltip = md;
    this.item.show();
  }

  dispose(): void {
    this.store.dispose();
  }
}
