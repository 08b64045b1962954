/**
 * The Tether MCP server in VS Code's own agent, where the running VS Code has the MCP API (1.101+):
 * `tether mcp` from the installed extension (dist/tether.js, run by the extension host's runtime),
 * in the workspace folder, with this window's settings and selected context as TETHER_* variables;
 * a change of either restarts it. Older editors keep the language-model tools (lmTools.ts).
 */
import * as vscode from 'vscode';
import { settingsEnv } from '../../engine/settings';
import type { Logger } from '../../kube/logger';
import { readSettings } from '../config';
import type { ClusterExplorer } from '../session/explorer';
import { mcpApi, mcpLaunch } from './mcpLaunch';

export const mcpProviderId = 'tether.mcp';

export function registerMcpServer(extensionUri: vscode.Uri, explorer: ClusterExplorer, logger: Logger): vscode.Disposable {
  const api = mcpApi(vscode);
  if (!api) {
    logger.info('[mcp] this editor has no MCP server API; agents use the language-model tools');
    return new vscode.Disposable(() => undefined);
  }
  let registration: { dispose(): void };
  const changed = new vscode.EventEmitter<void>();
  let context = explorer.selectedContext;
  const provider = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      const launch = mcpLaunch(extensionUri.fsPath, folder?.uri.fsPath, explorer.selectedContext, settingsEnv(readSettings()));
      const server = new api.McpStdioServerDefinition('Tether', launch.command, launch.args, launch.env, launch.version);
      if (folder) server.cwd = folder.uri;
      return [server];
    },
  };
  try {
    registration = api.lm.registerMcpServerDefinitionProvider(mcpProviderId, provider);
  } catch (err) {
    // An MCP server is an extra: an editor that refuses it still has the language-model tools.
    logger.warn(`[mcp] this editor refused the MCP server definition (${err instanceof Error ? err.message : String(err)}); agents use the language-model tools`);
    changed.dispose();
    return new vscode.Disposable(() => undefined);
  }
  return vscode.Disposable.from(
    changed,
    registration,
    vscode.workspace.onDidChangeConfiguration((e) => (e.affectsConfiguration('tether') ? changed.fire() : undefined)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    explorer.onDidChange(() => {
      if (explorer.selectedContext === context) return;
      context = explorer.selectedContext;
      changed.fire();
    }),
  );
}
