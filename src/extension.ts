/**
 * Composition root: builds the extension's services and registers its features, nothing else.
 * Activation makes no cluster call: the kubeconfig and cluster modules load when the Cluster view
 * first asks for its rows (or a command needs them).
 * Lifetimes: extension -> explorer -> cluster access (clients, watch hub) -> session -> watches.
 */
import * as vscode from 'vscode';
import { ClusterExplorer } from './ui/session/explorer';
import { ClusterTreeProvider } from './ui/views/clusterTree';
import { ClusterStatusBar } from './ui/statusBar';
import { ErrorReporter } from './ui/errorReporter';
import { RoleRemedies } from './ui/roleRemedy';
import { adviceSource } from './ui/session/adviceSource';
import { KubeconfigWatcher } from './ui/kubeconfigWatcher';
import { redactingLogger } from './ui/log';
import { kubeconfigLookup, onDidChangeKubeconfigSetting, readSettings } from './ui/config';
import { registerCommands } from './ui/commands/registerCommands';
import { clusterCommands } from './ui/commands/clusterCommands';
import { resourceCommands } from './ui/commands/resourceCommands';
import { DescribeDocuments, describeScheme } from './ui/documents/describeDocuments';
import { PodLogDocuments, logsScheme } from './ui/documents/podLogDocuments';
import { extraResources, registerGpuView } from './ui/gpu/registerGpuView';
import { ContextGpuFeed } from './ui/gpu/contextGpuFeed';
import { GpuTreeProvider } from './ui/gpu/gpuTreeProvider';
import { GpuStatusBar } from './ui/gpu/gpuStatusBar';
import { registerTunnelFeature } from './ui/tunnel/index';
import { registerPreflight } from './ui/gpu/preflightLens';
import { registerManifestDiagnostics } from './ui/manifests/index';
import { registerPodDetails } from './ui/webviews/registerPodDetails';
import { registerSandboxFeature } from './ui/sandbox/index';
import { registerSandboxDashboard } from './ui/webviews/registerSandboxDashboard';
import type { TetherApi } from './ui/api';
import { editorEngine } from './ui/engineDeps';
import { registerMcpServer } from './ui/mcp/mcpProvider';

export function activate(context: vscode.ExtensionContext): TetherApi {
  const own = <T extends vscode.Disposable>(d: T): T => {
    context.subscriptions.push(d);
    return d;
  };
  const log = own(vscode.window.createOutputChannel('Tether', { log: true }));
  const logger = redactingLogger(log);
  const engine = editorEngine(context.extensionUri, logger);

  const lookup = () => kubeconfigLookup(readSettings());
  const explorer = own(
    new ClusterExplorer({
      logger,
      choices: context.workspaceState,
      lookup,
      openAccess: async (e, l) => (await import('./ui/session/kubeAccess')).KubeAccess.load(e, l),
    }),
  );
  const reporter = new ErrorReporter(logger, own(new RoleRemedies(adviceSource(explorer))));
  own(onDidChangeKubeconfigSetting(() => void explorer.reload().catch((err) => reporter.report(err))));
  own(new KubeconfigWatcher(explorer, () => lookup().env, (err) => reporter.reportBackground(err)));

  const gpu = own(new ContextGpuFeed(explorer, { extraResources }));
  const tunnels = own(registerTunnelFeature(context, { explorer, reporter, logger, engine }));
  const tree = own(
    new ClusterTreeProvider(explorer, (f) => (f.partial ? reporter.reportLimit(f.error, { needs: f.needs, feature: 'explorer' }) : reporter.reportBackground(f.error, { needs: f.needs, feature: 'explorer' })), gpu, tunnels.workloads),
  );
  const view = own(vscode.window.createTreeView('tether.cluster', { treeDataProvider: tree, showCollapseAll: true }));
  tree.attach(view);
  own(new ClusterStatusBar(explorer));
  const gpuTree = own(new GpuTreeProvider());
  own(registerGpuView(gpu, gpuTree, (error, needs) => reporter.reportLimit(error, { needs, feature: 'gpus' })));
  own(new GpuStatusBar(gpu));
  const sandboxes = own(registerSandboxFeature({ explorer, reporter, logger, engine, environment: tunnels.environment }));
  own(registerMcpServer(context.extensionUri, explorer, logger));
  own(registerPreflight(explorer, (err) => reporter.report(err)));
  own(registerManifestDiagnostics(context, { logger, cluster: explorer, gpu, reveal: (target) => tree.revealWorkload(target), report: (err) => reporter.report(err) }));
  own(registerPodDetails({ extensionUri: context.extensionUri, explorer, reporter, logger }));
  own(registerSandboxDashboard({ extensionUri: context.extensionUri, explorer, loop: sandboxes.loop, reporter, logger, engine }));

  own(vscode.workspace.registerTextDocumentContentProvider(describeScheme, new DescribeDocuments(explorer, reporter)));
  const logs = own(new PodLogDocuments(explorer, reporter));
  own(vscode.workspace.registerTextDocumentContentProvider(logsScheme, logs));

  own(registerCommands({ ...clusterCommands({ explorer, reporter, log }), ...resourceCommands(explorer, reporter) }, reporter));

  return {
    clusterTree: tree,
    gpuTree,
    sandboxTree: sandboxes.tree,
    whenIdle: (timeoutMs) => explorer.whenIdle(timeoutMs),
    tunnels: () => tunnels.snapshots(),
    selection: () => ({ context: explorer.selectedContext, namespaces: explorer.session?.namespaceFilter }),
  };
}

export function deactivate(): void {}
