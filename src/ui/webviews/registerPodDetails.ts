/**
 * "Show Pod Details" (`tether.showPodDetails`) from a pod or container in the Cluster view or a
 * pod in the GPU view: one panel per pod (asking again reveals it), restored after a window reload
 * by a WebviewPanelSerializer from the state the webview saved. Owns the open panels.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { Logger } from '../../kube/logger';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import { PodDetailsPanel, panelTitle } from './podDetailsPanel';
import { isPodDetailsState, podDetailsViewType, type LogSelection, type PodRef } from './podDetailsProtocol';
import { podDetailsTarget, podKey } from './podDetailsTarget';
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

  const adopt = (panel: vscode.WebviewPanel, ref: PodRef, selection?: LogSelection): PodDetailsPanel => {
    const key = podKey(ref);
    const details = new PodDetailsPanel(panel, extensionUri, ref, deps, { selection });
    panels.set(key, details);
    details.onDidDispose(() => {
      if (panels.get(key) === details) panels.delete(key);
    });
    return details;
  };

  const show = async (arg?: unknown): Promise<PodDetailsPanel | undefined> => {
    await explorer.load();
    const target = podDetailsTarget(arg, explorer.selectedContext);
    if (!target) {
      void vscode.window.showInformationMessage('Pick a pod in the Tether Cluster or GPUs view (right-click it) to see its details.');
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
        adopt(panel, state.ref, state.selection);
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
