/**
 * "Tether: Tunnel Workload to Local Port" and "Tether: Stop Tunnel": pick the workload and local
 * port, check permissions first (listing what is missing, with the Role that grants it), deploy
 * and connect under a progress notification, then keep a status bar item and the workload's
 * environment for terminals and debug sessions until the tunnel is stopped.
 */
import * as vscode from 'vscode';
import type { EngineDeps } from '../../engine/engine';
import { runTunnel, tunnelPreflight } from '../../engine/tunnel';
import { KubeClient } from '../../kube/api';
import { kinds } from '../../kube/kinds';
import type { Logger } from '../../kube/logger';
import type { KubeObject } from '../../kube/types';
import { fetchWorkloadEnvironment } from '../../tunnel/environmentFetch';
import { stopTunnel } from '../../tunnel/relayDeploy';
import { componentLabel, managedByLabel, managedByValue, ownerLabel, tunnelLabel } from '../../tunnel/relayLabels';
import { relayPortsFor, type PodTemplate } from '../../tunnel/relayPorts';
import { tunnelEnvironmentKey } from '../../tunnel/environmentStack';
import { forwardEnvironment } from '../../tunnel/sessionEnvironment';
import { ActiveTunnels, tunnelKey, type ActiveTunnel } from '../../tunnel/activeTunnels';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import type { WorkloadNode } from '../views/clusterModel';
import { snapshotOf, type TunnelSnapshot } from './tunnelSnapshot';
import { startTunnelArgs } from './tunnelArgs';
import type { TunnelEnvironment } from './tunnelEnvironment';
import type { NamespaceChoiceInput } from './namespaceChoices';
import { pickLocalPort, pickNamespace, pickWorkload, type WorkloadChoice } from './tunnelPicks';
import { TunnelStatusBar } from './tunnelStatusBar';

export interface TunnelCommandDeps {
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  logger: Logger;
  engine: EngineDeps;
  tunnels: ActiveTunnels;
  environment: TunnelEnvironment;
}

export const tunnelActionsCommand = 'tether.tunnelActions';

function isWorkloadNode(arg: unknown): arg is WorkloadNode {
  return Boolean(arg && typeof arg === 'object' && (arg as WorkloadNode).type === 'workload');
}

/** The port the workload's container serves on, the natural local port to suggest. */
async function workloadPort(client: KubeClient, workload: WorkloadChoice): Promise<number | undefined> {
  const object = await client.get<KubeObject>(kinds[workload.kind], workload.namespace, workload.name);
  const template = (object.spec as { template?: PodTemplate } | undefined)?.template ?? {};
  return relayPortsFor(template, []).ports[0]?.targetPort;
}

/**
 * What the namespace question offers: the Cluster view's namespaces when it has listed them, else
 * the cluster's list (none when listing is not allowed: the name is typed then).
 */
async function namespaceInput(deps: TunnelCommandDeps, client: KubeClient, context: string): Promise<NamespaceChoiceInput> {
  const session = deps.explorer.sessionFor(context);
  const known =
    session?.listedNamespaces() ??
    (await client.list<KubeObject>(kinds.Namespace, undefined).then(
      (list) => list.items.map((n) => n.metadata.name),
      () => undefined,
    ));
  return { known, filter: session?.namespaceFilter, contextNamespace: client.defaultNamespace, open: session?.watchedNamespaces() };
}

/**
 * Starts a tunnel. `arg`: nothing (the palette: every question is asked), a Cluster view row (the
 * workload is known) or StartTunnelArgs (nothing is asked). Resolves with the running tunnel, or
 * undefined when the user cancelled or it could not start.
 */
export async function startTunnelCommand(deps: TunnelCommandDeps, arg?: unknown): Promise<TunnelSnapshot | undefined> {
  const args = startTunnelArgs(arg);
  const access = await deps.explorer.kube();
  const context = args?.context ?? (isWorkloadNode(arg) ? arg.context : deps.explorer.selectedContext);
  if (!context) {
    void vscode.window.showInformationMessage('Select a Kubernetes context first (Tether: Select Context).');
    return undefined;
  }
  const client = KubeClient.forContext(access.config, context, deps.logger);
  let handedOver = false;
  try {
    let workload: WorkloadChoice | undefined;
    if (args) workload = { kind: args.workload.kind, namespace: args.namespace, name: args.workload.name };
    else if (isWorkloadNode(arg) && (arg.kind === 'Deployment' || arg.kind === 'StatefulSet')) workload = { kind: arg.kind, namespace: arg.namespace, name: arg.name };
    else {
      const namespace = await pickNamespace(await namespaceInput(deps, client, context));
      if (!namespace) return undefined;
      workload = await pickWorkload(client, namespace);
    }
    if (!workload) return undefined;
    const key = tunnelKey(context, workload.namespace, workload.name);
    if (deps.tunnels.get(key)) {
      void vscode.window.showInformationMessage(`A tunnel for ${workload.name} is already running. Stop it first to change its local port.`);
      return undefined;
    }
    // Missing permissions block the start: the refusal names each, with the Role that grants them.
    await tunnelPreflight(client, workload.namespace, workload);
    const localPort = args?.localPort ?? (await pickLocalPort(await workloadPort(client, workload)));
    if (!localPort) return undefined;
    const chosen = workload;
    const started = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tunnel ${chosen.name} → 127.0.0.1:${localPort}`, cancellable: true },
      (progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return runTunnel(deps.engine, client, {
          namespace: chosen.namespace,
          workload: { kind: chosen.kind, name: chosen.name },
          localPort,
          joinWorkloadService: args?.joinWorkloadService,
          onProgress: (message) => progress.report({ message }),
          signal: abort.signal,
        });
      },
    );
    const statusBar = new TunnelStatusBar(started.session, { workload: chosen.name, namespace: chosen.namespace, localPort }, { title: 'Tunnel actions', command: tunnelActionsCommand, arguments: [key] });
    const tunnel: ActiveTunnel = { key, context, workload: { kind: chosen.kind, name: chosen.name }, localPort, started, client, owned: [statusBar] };
    tunnel.owned.push(
      started.session.onLocalProblem((p) =>
        void vscode.window.showWarningMessage(`Cluster traffic for ${chosen.name} arrived, but ${p.message}. Start your service on port ${localPort}; callers see closed connections until then.`),
      ),
      started.session.onDrop((reason) => (reason.needsUser ? deps.reporter.reportBackground(new Error(`The tunnel for ${chosen.name} dropped: ${reason.message}. ${reason.remedy ?? ''}`)) : undefined)),
    );
    deps.tunnels.add(tunnel);
    handedOver = true;
    void applyEnvironment(deps, tunnel, chosen);
    const joined = started.joined ? ` The relay is also one more endpoint of Service "${started.joined.service}", so a share of its callers' connections reach you as well.` : '';
    void vscode.window.showInformationMessage(
      `Tunnel up: in-cluster callers of Service "${started.name}" (ports ${started.ports.map((p) => p.port).join(', ')}) now reach 127.0.0.1:${localPort}.${joined} New terminals and debug sessions get ${chosen.name}'s environment.`,
    );
    return snapshotOf(tunnel);
  } finally {
    if (!handedOver) client.dispose();
  }
}

/** The workload's environment for terminals and debug sessions, its Service addresses forwarded through the tunnel. */
async function applyEnvironment(deps: TunnelCommandDeps, tunnel: ActiveTunnel, workload: WorkloadChoice): Promise<void> {
  try {
    const { client, started } = tunnel;
    const own = await fetchWorkloadEnvironment(client, { kind: workload.kind, namespace: workload.namespace, name: workload.name });
    const env = await forwardEnvironment(started.session, client, workload.namespace, own);
    if (deps.tunnels.get(tunnel.key) !== tunnel) return; // stopped meanwhile
    deps.environment.apply({ key: tunnelEnvironmentKey(workload.name), label: `the tunnel to "${workload.name}"` }, env);
    const forwards = env.forwards.map((f) => `${f.service}:${f.port} -> ${f.localAddress}`).join(', ');
    deps.logger.info(
      `Environment of ${workload.name}: ${Object.keys(env.variables).length} variables (${env.secretVariables.length} from Secrets)` +
        `${forwards ? `; forwarded ${forwards}` : ''}${env.problems.length ? `; not set: ${env.problems.join('; ')}` : ''}`,
    );
  } catch (err) {
    deps.reporter.reportBackground(err);
  }
}

async function pickTunnel(tunnels: ActiveTunnels, key?: unknown): Promise<ActiveTunnel | undefined> {
  if (typeof key === 'string') return tunnels.get(key);
  if (isWorkloadNode(key)) return tunnels.get(tunnelKey(key.context, key.namespace, key.name));
  const all = tunnels.all;
  if (all.length <= 1) return all[0];
  const choice = await vscode.window.showQuickPick(
    all.map((t) => ({ label: t.workload.name, description: `${t.started.namespace} → 127.0.0.1:${t.localPort}`, key: t.key })),
    { title: 'Stop which tunnel?' },
  );
  return choice ? tunnels.get(choice.key) : undefined;
}

/** Relays left in the cluster by an earlier window (reloaded, crashed): pick one and remove it. */
async function stopLeftoverRelay(deps: TunnelCommandDeps): Promise<void> {
  const context = deps.explorer.selectedContext;
  if (!context) return void vscode.window.showInformationMessage('No tunnel is running in this window.');
  const client = KubeClient.forContext((await deps.explorer.kube()).config, context, deps.logger);
  try {
    const namespace = await pickNamespace(await namespaceInput(deps, client, context));
    if (!namespace) return;
    const { items } = await client.list<KubeObject>(kinds.Deployment, namespace, { labelSelector: `${managedByLabel}=${managedByValue},${componentLabel}=relay` });
    if (items.length === 0) return void vscode.window.showInformationMessage(`No tunnel is running in this window, and namespace "${namespace}" has no Tether relay.`);
    const choice = await vscode.window.showQuickPick(
      items.map((d) => ({ label: d.metadata.name, description: `owner ${d.metadata.labels?.[ownerLabel] ?? '?'}`, name: d.metadata.labels?.[tunnelLabel] ?? d.metadata.name })),
      { title: 'No tunnel runs in this window. Remove a relay left in the cluster?' },
    );
    if (!choice) return;
    const { deleted } = await stopTunnel(client, namespace, choice.name);
    void vscode.window.showInformationMessage(`Removed ${deleted.join(', ') || 'nothing (already gone)'}.`);
  } finally {
    client.dispose();
  }
}

export async function stopTunnelCommand(deps: TunnelCommandDeps, arg?: unknown): Promise<void> {
  const tunnel = await pickTunnel(deps.tunnels, arg);
  if (!tunnel) return stopLeftoverRelay(deps);
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping the tunnel for ${tunnel.workload.name}` }, async () => {
    tunnel.started.session.dispose();
    deps.environment.clear(tunnelEnvironmentKey(tunnel.workload.name));
    try {
      const { deleted } = await stopTunnel(tunnel.client, tunnel.started.namespace, tunnel.started.name);
      deps.logger.info(`Tunnel for ${tunnel.workload.name} stopped; removed ${deleted.join(', ') || 'nothing (already gone)'}`);
    } finally {
      deps.tunnels.remove(tunnel.key);
    }
  });
}

export async function tunnelActions(deps: TunnelCommandDeps, key: unknown): Promise<void> {
  const tunnel = await pickTunnel(deps.tunnels, key);
  if (!tunnel) return;
  const choice = await vscode.window.showQuickPick(['Reconnect Now', 'Save Environment to File…', 'Show Log', 'Stop Tunnel'], { title: snapshotOf(tunnel).statusText.replace(/\$\([^)]+\)\s*/g, '') });
  if (choice === 'Reconnect Now') tunnel.started.session.retryNow();
  else if (choice === 'Save Environment to File…') await deps.environment.saveToFile();
  else if (choice === 'Show Log') await vscode.commands.executeCommand('tether.showLog');
  else if (choice === 'Stop Tunnel') await stopTunnelCommand(deps, tunnel.key);
}
