/**
 * The tunnel feature: its commands, status bar items and environment injection, behind one
 * registration. Everything it creates is disposed with the returned Disposable; cluster objects of
 * tunnels still running then stay until "Tether: Stop Tunnel" (or the relay's own cleanup).
 */
import * as vscode from 'vscode';
import type { EngineDeps } from '../../engine/engine';
import type { Logger } from '../../kube/logger';
import { ActiveTunnels, type WorkloadTunnels } from '../../tunnel/activeTunnels';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import { snapshotOf, type TunnelSnapshot } from './tunnelSnapshot';
import { startTunnelCommand, stopTunnelCommand, tunnelActions, tunnelActionsCommand, type TunnelCommandDeps } from './tunnelCommands';
import { TunnelEnvironment } from './tunnelEnvironment';

export interface TunnelFeatureDeps {
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  logger: Logger;
  engine: EngineDeps;
}

export interface TunnelFeature extends vscode.Disposable {
  /** The tunnels running in this window. */
  snapshots(): TunnelSnapshot[];
  /** The one owner of the terminal environment; sandbox `local` forks hand theirs to it too. */
  readonly environment: TunnelEnvironment;
  /** The running tunnels by workload, for the Cluster view's rows. */
  readonly workloads: WorkloadTunnels;
}

export function registerTunnelFeature(context: vscode.ExtensionContext, deps: TunnelFeatureDeps): TunnelFeature {
  const tunnels = new ActiveTunnels();
  const environment = new TunnelEnvironment(context.environmentVariableCollection);
  const commandDeps: TunnelCommandDeps = { ...deps, tunnels, environment };
  const guarded =
    <R>(run: (arg?: unknown) => Promise<R>) =>
    async (arg?: unknown): Promise<R | undefined> => {
      try {
        return await run(arg);
      } catch (err) {
        deps.reporter.report(err);
        return undefined;
      }
    };
  const disposables = vscode.Disposable.from(
    vscode.commands.registerCommand(
      'tether.startTunnel',
      guarded((arg) => startTunnelCommand(commandDeps, arg)),
    ),
    vscode.commands.registerCommand(
      'tether.stopTunnel',
      guarded((arg) => stopTunnelCommand(commandDeps, arg)),
    ),
    vscode.commands.registerCommand(
      tunnelActionsCommand,
      guarded((arg) => tunnelActions(commandDeps, arg)),
    ),
    tunnels,
    environment,
  );
  return { snapshots: () => tunnels.all.map(snapshotOf), environment, workloads: tunnels, dispose: () => disposables.dispose() };
}
