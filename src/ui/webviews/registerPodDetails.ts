/**
 * "Show Pod Details" (`tether.showPodDetails`) from a pod or container in the Cluster view, a pod
 * in the GPU view, or the command palette (a pick of pods): one panel per pod (asking again reveals it), restored after a window reload
 * by a WebviewPanelSerializer from the state the webview saved. Owns the open panels.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import { kinds } from '../../kube/kinds';
import type { Logger } from '../../kube/logger';
import type { KubeObject } from '../../kube/types';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import type { PodDetailsPanel } from './podDetailsPanel';
import { isPodDetailsState, podDetailsViewType, type LogSelection, type PodRef } from './podDetailsProtocol';
import { panelTitle, podDetailsTarget, podKey, type PodDetailsTarget } from './podDetailsTarget';
import { podPicks } from './podPicks';
import { webviewOptions } from './webviewPanel';

export const showPodDetailsCommand = 'tether.showPodDetails';

export interface PodDetailsFeatureDeps {
  extensionUri: vscode.Uri;
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  logger: Logger;
}

export function registerPodDetails({ extensionUri, explorer, reporter, logger }: PodDetailsFeatureDeps): vscode.Disposable {
  const store = new DisposableStore();
  const panels = new Map<string, PodDetailsPanel>();
  const deps = {
    access: () => explorer.kube(),
    onAccessChanged: (listener: () => void) => explorer.onDidChange((change) => change.scope === 'all' && listener()),
    logger,
  };

  // The panel (and with it the watch machinery) loads with the first panel, not at activation.
  const adopt = async (panel: vscode.WebviewPanel, ref: PodRef, selection?: LogSelection): Promise<PodDetailsPanel> => {
    const { PodDetailsPanel } = await import('./podDetailsPanel');
    const key = podKey(ref);
    const details = new PodDetailsPanel(panel, extensionUri, ref, deps, { selection });
    panels.set(key, details);
    details.onDidDispose(() => {
      if (panels.get(key) === details) panels.delete(key);
    });
    return details;
  };

  /** From the palette: a pod of the namespaces the Cluster view shows (or the context's own). */
  const pickPod = async (): Promise<PodDetailsTarget | undefined> => {
    const session = explorer.session;
    if (!session) {
      void vscode.window.showInformationMessage('Select a context first (Tether: Select Context), then pick one of its pods.');
      return undefined;
    }
    const namespaces = session.namespaceFilter ?? (session.watchedNamespaces().length ? session.watchedNamespaces() : [session.defaultNamespace]);
    const client = (await explorer.kube()).client(session.context);
    const pods = (await Promise.all(namespaces.map((ns) => client.listAll<KubeObject>(kinds.Pod, ns)))).flatMap((page) => page.items);
    const picked = await vscode.window.showQuickPick(podPicks(pods, Date.now()), {
      title: `Tether: Show Pod Details (${session.context})`,
      placeHolder: pods.length ? `Pods in ${namespaces.join(', ')}` : `No pods in ${namespaces.join(', ')}`,
      matchOnDescription: true,
    });
    return picked && { ref: { context: session.context, namespace: picked.namespace, name: picked.name } };
  };

  const show = async (arg?: unknown): Promise<PodDetailsPanel | undefined> => {
    await explorer.load();
    const target = arg === undefined ? await pickPod() : podDetailsTarget(arg, explorer.selectedContext);
    if (!target) {
      if (arg !== undefined) void vscode.window.showInformationMessage('Pick a pod in the Tether Cluster or GPUs view (right-click it) to see its details.');
      return undefined;
    }
    const selection: LogSelection | undefined = target.container ? { container: target.container, previous: false, timestamps: false } : undefined;
    const open = panels.get(podKey(target.ref));
    if (open) {
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(podDetailsViewType, panelTitle(target.ref), vscode.ViewColumn.Active, {
      ...webviewOptions(extensionUri),
    });
    return adopt(panel, target.ref, selection);
  };

  store.add(
    vscode.commands.registerCommand(showPodDetailsCommand, async (arg?: unknown) => {
      try {
        return await show(arg);
      } catch (err) {
        reporter.report(err);
        return undefined;
      }
    }),
  );

  store.add(
    vscode.window.registerWebviewPanelSerializer(podDetailsViewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        if (!isPodDetailsState(state) || panels.has(podKey(state.ref))) {
          // Nothing to restore from (or the pod is open already): close the empty panel.
          panel.dispose();
          return;
        }
        await adopt(panel, state.ref, state.selection);
      },
    }),
  );

  store.add({
    dispose: () => {
      for (const panel of [...panels.values()]) panel.dispose();
      panels.clear();
    },
  });
  return store;
}
