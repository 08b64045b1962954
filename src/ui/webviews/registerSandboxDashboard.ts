/**
 * "Show Sandbox Dashboard" (`tether.showSandboxDashboard`) and "Run Sandbox Checks"
 * (`tether.runChecks`), from a Sandboxes view row, a `{ context?, sandbox, namespace }` argument,
 * or the palette (this workspace's sandbox): one dashboard per sandbox (asking again reveals it),
 * restored after a window reload by a WebviewPanelSerializer. Owns the open dashboards; each owns
 * its check run.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { EngineDeps } from '../../engine/engine';
import type { Logger } from '../../kube/logger';
import type { SuiteResult } from '../../sandbox/checks/checkSuite';
import type { PreviewLoop } from '../../sandbox/preview/previewLoop';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import type { SandboxDashboardPanel } from './sandboxDashboardPanel';
import { refKey, sandboxRefFrom, suiteSummary } from './sandboxDashboardModel';
import { isSandboxDashboardState, sandboxDashboardViewType, type SandboxRef } from './sandboxDashboardProtocol';
import { loadDashboard, prepareCheckRun, runningPreviewUrl, workspaceSandboxRef } from './sandboxDashboardSource';
import { webviewOptions } from './webviewPanel';

export const showSandboxDashboardCommand = 'tether.showSandboxDashboard';
export const runChecksCommand = 'tether.runChecks';

export interface SandboxDashboardFeatureDeps {
  extensionUri: vscode.Uri;
  explorer: ClusterExplorer;
  loop: PreviewLoop;
  reporter: ErrorReporter;
  logger: Logger;
  engine: EngineDeps;
}

export function registerSandboxDashboard({ extensionUri, explorer, loop, reporter, logger, engine }: SandboxDashboardFeatureDeps): vscode.Disposable {
  const store = new DisposableStore();
  const panels = new Map<string, SandboxDashboardPanel>();
  const source = { explorer, loop, engine };
  const panelDeps = {
    load: (ref: SandboxRef) => loadDashboard(source, ref),
    prepareRun: (ref: SandboxRef, signal: AbortSignal) => prepareCheckRun(source, ref, signal),
    previewUrl: (ref: SandboxRef) => runningPreviewUrl(source, ref),
    onPreviewChange: (listener: () => void) => loop.onDidChange(listener),
    logger,
  };

  const adopt = async (panel: vscode.WebviewPanel, ref: SandboxRef): Promise<SandboxDashboardPanel> => {
    const { SandboxDashboardPanel } = await import('./sandboxDashboardPanel');
    const key = refKey(ref);
    const dashboard = new SandboxDashboardPanel(panel, extensionUri, ref, panelDeps);
    panels.set(key, dashboard);
    dashboard.onDidDispose(() => {
      if (panels.get(key) === dashboard) panels.delete(key);
    });
    return dashboard;
  };

  const show = async (arg?: unknown): Promise<SandboxDashboardPanel> => {
    await explorer.load();
    const ref = sandboxRefFrom(arg, explorer.selectedContext) ?? (await workspaceSandboxRef(source));
    const open = panels.get(refKey(ref));
    if (open) {
      open.panel.reveal();
      return open;
    }
    const panel = vscode.window.createWebviewPanel(sandboxDashboardViewType, `Sandbox ${ref.sandbox}`, vscode.ViewColumn.Active, webviewOptions(extensionUri));
    return adopt(panel, ref);
  };

  const runChecks = async (arg?: unknown): Promise<SuiteResult> => {
    const dashboard = await show(arg);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checks of sandbox "${dashboard.ref.sandbox}"`, cancellable: true },
      (_progress, token) => {
        token.onCancellationRequested(() => dashboard.cancelChecks());
        return dashboard.runChecks();
      },
    );
    const text = suiteSummary(result.checks, false, result.durationMs) ?? 'no checks ran';
    const say = result.failed > 0 ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void say(`Checks of "${dashboard.ref.sandbox}": ${text}.`, 'Show Dashboard').then((choice) => {
      if (choice && !dashboard.isDisposed) dashboard.panel.reveal();
    });
    return result;
  };

  const guarded =
    <R>(run: (arg?: unknown) => Promise<R>) =>
    async (arg?: unknown): Promise<R | undefined> => {
      try {
        return await run(arg);
      } catch (err) {
        reporter.report(err);
        return undefined;
      }
    };
  store.add(vscode.commands.registerCommand(showSandboxDashboardCommand, guarded(show)));
  store.add(vscode.commands.registerCommand(runChecksCommand, guarded(runChecks)));

  store.add(
    vscode.window.registerWebviewPanelSerializer(sandboxDashboardViewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
        if (!isSandboxDashboardState(state) || panels.has(refKey(state.ref))) {
          // Nothing to restore from (or that sandbox's dashboard is open already): close the empty panel.
          panel.dispose();
          return;
        }
        await adopt(panel, state.ref);
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
