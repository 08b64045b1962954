/**
 * Commands about which cluster and namespaces the Cluster view shows.
 */
import * as vscode from 'vscode';
import type { ClusterExplorer } from '../session/explorer';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterNode } from '../views/clusterModel';
import type { CommandHandlers } from './commandIds';

export interface ClusterCommandDeps {
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  log: vscode.LogOutputChannel;
}

type ClusterCommandIds =
  | 'tether.selectContext'
  | 'tether.filterNamespaces'
  | 'tether.refreshCluster'
  | 'tether.retryConnection'
  | 'tether.showLog'
  | 'tether.pickKubeconfig';

export function clusterCommands({ explorer, reporter, log }: ClusterCommandDeps): Pick<CommandHandlers, ClusterCommandIds> {
  const reload = async () => {
    reporter.reset();
    await explorer.reload();
  };
  return {
    'tether.selectContext': async (arg?: string | ClusterNode) => {
      const named = typeof arg === 'string' ? arg : arg?.type === 'context' ? arg.context.name : undefined;
      if (named) return explorer.selectContext(named);
      await explorer.load();
      const state = explorer.state;
      if (state.phase === 'missing' || state.phase === 'invalid') throw state.error;
      if (state.phase !== 'loaded') return;
      type Item = vscode.QuickPickItem & { context?: string; filter?: true };
      const items: Item[] = state.config.contexts.map((c) => ({
        label: c.name,
        context: c.name,
        description: c.name === explorer.selectedContext ? `$(check) ${c.server}` : c.server,
        detail: `user ${c.user} · namespace ${c.namespace ?? 'default'}${c.problem ? ` · ${c.problem}` : ''}`,
      }));
      if (explorer.selectedContext) {
        const shown = explorer.session?.namespaceFilter?.join(', ') ?? 'all';
        items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
        items.push({ label: `$(filter) Filter namespaces in ${explorer.selectedContext}…`, description: `showing ${shown}`, filter: true });
      }
      const picked = await vscode.window.showQuickPick(items, {
        title: 'Tether: Select Context',
        placeHolder: `Kubeconfig: ${state.config.files.join(', ')}`,
        matchOnDetail: true,
      });
      if (picked?.filter) await vscode.commands.executeCommand('tether.filterNamespaces');
      else if (picked?.context) await explorer.selectContext(picked.context);
    },

    'tether.filterNamespaces': async () => {
      await explorer.load();
      const session = explorer.session;
      if (!session) {
        void vscode.window.showInformationMessage('Select a context first, then filter its namespaces.', 'Select Context').then(
          (c) => c && vscode.commands.executeCommand('tether.selectContext'),
        );
        return;
      }
      const current = new Set(session.namespaceFilter ?? []);
      const known = session.knownNamespaces();
      if (known.length === 0) {
        // Listing namespaces may be forbidden: let the user name them.
        const typed = await vscode.window.showInputBox({
          title: 'Tether: Filter Namespaces',
          prompt: 'Namespaces to show, separated by commas (empty = all the context can list)',
          value: [...current].join(', ') || session.defaultNamespace,
          validateInput: (v) => (v.split(',').map((s) => s.trim()).filter(Boolean).every((s) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(s)) ? undefined : 'Namespace names are lowercase letters, digits and dashes'),
        });
        if (typed === undefined) return;
        return explorer.setNamespaceFilter(typed.split(',').map((s) => s.trim()).filter(Boolean));
      }
      const names = [...new Set([...known, ...current])].sort();
      const picked = await vscode.window.showQuickPick(
        names.map((name) => ({ label: name, picked: current.has(name) })),
        { title: `Tether: Filter Namespaces in ${session.context}`, placeHolder: 'Pick the namespaces to show; pick none to show all', canPickMany: true },
      );
      if (picked) await explorer.setNamespaceFilter(picked.map((p) => p.label));
    },

    'tether.refreshCluster': reload,
    'tether.retryConnection': reload,
    'tether.showLog': () => log.show(true),

    'tether.pickKubeconfig': async () => {
      const files = await vscode.window.showOpenDialog({
        title: 'Tether: Pick a kubeconfig file',
        canSelectMany: false,
        openLabel: 'Use this kubeconfig',
      });
      if (!files?.length) return;
      // A user setting (scope "machine"): kubeconfigs can run credential plugins, so a workspace
      // must not pick one. The settings listener reloads the explorer.
      await vscode.workspace.getConfiguration('tether').update('kubeconfig', files[0].fsPath, vscode.ConfigurationTarget.Global);
    },
  };
}
