/**
 * The tunnel feature: its commands, status bar items and environment injection, behind one
 * registration. Everything it creates is disposed with the returned Disposable; cluster objects of
 * tunnels still running then stay until "Tether: Stop Tunnel" (or the relay's own cleanup).
 */
import * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import type { ErrorReporter } from '../errorReporter';
import type { ClusterExplorer } from '../session/explorer';
import { ActiveTunnels } from './activeTunnels';
import { startTunnelCommand, stopTunnelCommand, tunnelActions, tunnelActionsCommand, type TunnelCommandDeps } from './tunnelCommands';
import { TunnelEnvironment } from './tunnelEnvironment';

export interface TunnelFeatureDeps {
  explorer: ClusterExplorer;
  reporter: ErrorReporter;
  logger: Logger;
}

async function readAgent(extensionUri: vscode.Uri): Promise<string> {
  const uri = vscode.Uri.joinPath(extensionUri, 'dist', 'relay-agent.js');
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    throw new Error(`The relay agent bundle is missing at ${uri.fsPath}; this build of Tether is incomplete. Reinstall the extension (or run the build).`, { cause: err });
  }
}

export function registerTunnelFeature(context: vscode.ExtensionContext, deps: TunnelFeatureDeps): vscode.Disposable {
  const tunnels = new ActiveTunnels();
  const environment = new TunnelEnvironment(context.environmentVariableCollection);
  const commandDeps: TunnelCommandDeps = { ...deps, tunnels, environment, agentScript: () => readAgent(context.extensionUri) };
  const guarded =
    (run: (arg?: unknown) => Promise<void>) =>
    async (arg?: unknown): Promise<void> => {
      try {
        await run(arg);
      } catch (err) {
        deps.reporter.report(err);
      }
    };
  return vscode.Disposable.from(
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
}
