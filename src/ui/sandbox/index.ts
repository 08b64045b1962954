/**
 * The sandbox feature: Create Sandbox, Preview Changes, Delete Sandbox, the Sandboxes view, the
 * preview status bar item, tether.yaml diagnostics, the preview URI handler and the
 * language-model tools, behind one registration. It owns the PreviewLoop, which owns every running
 * sandbox (tunnels, heartbeat, preview listener); disposing it stops them all locally.
 */
import * as vscode from 'vscode';
import type { EngineDeps } from '../../engine/engine';
import { KubeClient } from '../../kube/api';
import type { Logger } from '../../kube/logger';
import { PreviewLoop, type SandboxLost } from '../../sandbox/preview/previewLoop';
import type { ErrorReporter } from '../errorReporter';
import { registerLanguageModelTools } from '../lmtools/lmTools';
import type { ClusterExplorer } from '../session/explorer';
import { PreviewStatusBar } from './previewStatusBar';
import { PreviewUriHandler } from './previewUriHandler';
import { createSandboxCommand, deleteSandboxCommand, previewChangesCommand, type SandboxCommandDeps } from './sandboxCommands';
import { openUrlCommand, SandboxTreeProvider } from './sandboxTree';
import { registerSpecDiagnostics } from './specDiagnostics';
import { SandboxEnvironment } from './sandboxEnvironment';
import type { TunnelEnvironment } from '../tunnel/tunnelEnvironment';

export interface SandboxFeature extends vscode.Disposable {
  readonly loop: PreviewLoop;
  /** The Sandboxes view's data provider. */
  readonly tree: SandboxTreeProvider;
}

export interface SandboxFeatureDeps {
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  logger: Logger;
  /** The tunnel feature's terminal environment: `local` forks hand their workload's environment to it. */
  environment: TunnelEnvironment;
  engine: EngineDeps;
}

export function registerSandboxFeature(deps: SandboxFeatureDeps): SandboxFeature {
  const { explorer, reporter, logger } = deps;
  const loop = new PreviewLoop({
    logger,
    clock: deps.engine.host.clock,
    // Each running sandbox owns its own client, so a kubeconfig reload does not cut its tunnels.
    openClient: (ctx) => {
      const state = explorer.state;
      if (state.phase !== 'loaded') throw new Error('The kubeconfig is not loaded');
      return KubeClient.forContext(state.config, ctx, logger);
    },
  });
  const commandDeps: SandboxCommandDeps = { explorer, logger, engine: deps.engine, loop };
  const guarded =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R | undefined> => {
      try {
        return await run(...args);
      } catch (err) {
        reporter.report(err);
        return undefined;
      }
    };
  const tree = new SandboxTreeProvider(explorer, loop, deps.engine, (err) => reporter.reportBackground(err));
  const view = vscode.window.createTreeView('tether.sandboxes', { treeDataProvider: tree });
  tree.attach(view);
  const disposables = vscode.Disposable.from(
    vscode.commands.registerCommand('tether.createSandbox', guarded(() => createSandboxCommand(commandDeps))),
    vscode.commands.registerCommand('tether.previewChanges', guarded((arg?: unknown) => previewChangesCommand(commandDeps, arg))),
    vscode.commands.registerCommand('tether.deleteSandbox', guarded((arg?: unknown) => deleteSandboxCommand(commandDeps, sandboxArg(arg)))),
    vscode.commands.registerCommand('tether.refreshSandboxes', () => tree.refresh()),
    vscode.commands.registerCommand(openUrlCommand, guarded(async (url: string) => vscode.commands.executeCommand('simpleBrowser.show', url))),
    vscode.window.registerUriHandler(new PreviewUriHandler(commandDeps, reporter)),
    registerSpecDiagnostics(),
    registerLanguageModelTools(commandDeps),
    loop.onDidLose((e) => void lostNotice(e)),
    new PreviewStatusBar(loop),
    new SandboxEnvironment(loop, deps.environment, logger, (err) => reporter.reportBackground(err)),
    // A running sandbox's namespace is one the user may read: views that fall back look there too.
    explorer.addNamespaceSource((ctx) => loop.summaries().filter((s) => s.context === ctx).map((s) => s.namespace)),
    view,
    tree,
    loop,
  );
  return { loop, tree, dispose: () => disposables.dispose() };
}

/** A sandbox stopped here: deleted (Preview Changes creates it again), or taken over elsewhere (Take Back runs it here again). */
async function lostNotice(e: SandboxLost): Promise<void> {
  if (e.takenOverBy) {
    const choice = await vscode.window.showWarningMessage(`Sandbox "${e.sandbox}" stopped in this window: ${e.why}.`, 'Take Back');
    if (choice) await vscode.commands.executeCommand('tether.previewChanges', { takeOver: true });
    return;
  }
  const choice = await vscode.window.showWarningMessage(`Sandbox "${e.sandbox}" stopped here: ${e.why}. Preview Changes creates it again.`, 'Preview Changes');
  if (choice) await vscode.commands.executeCommand('tether.previewChanges');
}

/** A Sandboxes view row becomes the sandbox's location; anything else passes through. */
function sandboxArg(arg: unknown): unknown {
  const node = arg as { type?: string; context?: string; summary?: { sandbox: string; namespace: string; placement: 'namespace' | 'shared' } } | undefined;
  if (node?.type === 'sandbox' && node.summary) return { context: node.context, sandbox: node.summary.sandbox, namespace: node.summary.namespace, placement: node.summary.placement };
  return arg;
}
