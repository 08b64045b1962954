/**
 * What a preview needs from the editor: the workspace folder and its tether.yaml, who the developer
 * is and which branch is checked out (the sandbox is named for both), the relay agent bundle, and a
 * PreviewRequest built from all of that. Shared by the commands, the URI handler and the tools.
 */
import { execFile } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import * as vscode from 'vscode';
import { readRelayAgentScript } from '../relayAgentScript';
import { ExplainedError } from '../../kube/errors';
import type { Logger } from '../../kube/logger';
import { sandboxName } from '../../sandbox/names';
import type { PreviewRequest } from '../../sandbox/preview/previewLoop';
import { specFromText } from '../../sandbox/preview/previewWorkspace';
import { specFileName, type SandboxSpec } from '../../sandbox/spec';
import type { ClusterExplorer } from '../session/explorer';
import { previewShareSettings } from './previewShareSettings';

export interface SandboxFeatureDeps {
  explorer: ClusterExplorer;
  logger: Logger;
  extensionUri: vscode.Uri;
}

export function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) {
    throw new ExplainedError({ reason: 'NotFound', what: 'Find the workspace', why: 'no folder is open', remedy: 'Open the folder of your service (File: Open Folder), then try again' });
  }
  return folder;
}

export function specUri(folder = workspaceFolder()): vscode.Uri {
  return vscode.Uri.joinPath(folder.uri, specFileName);
}

/** The text of tether.yaml (an editor's unsaved edits first), or undefined when there is none. */
export async function readSpecText(uri = specUri()): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open?.isDirty) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return undefined;
  }
}

export function developer(): string {
  const configured = vscode.workspace.getConfiguration('tether').get<string>('sandbox.developer', '').trim();
  if (configured) return configured;
  try {
    return userInfo().username;
  } catch {
    return 'developer';
  }
}

export function holderIdentity(): string {
  return `${developer()}@${hostname()}`;
}

/** The checked-out branch: the Git extension's view of it, else `git`, else "main". */
export async function currentBranch(folder = workspaceFolder()): Promise<string> {
  type GitApi = { repositories: { rootUri: vscode.Uri; state: { HEAD?: { name?: string } } }[] };
  const git = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  try {
    const api = git?.isActive ? git.exports.getAPI(1) : undefined;
    const repo = api?.repositories.find((r) => folder.uri.fsPath.startsWith(r.rootUri.fsPath));
    if (repo?.state.HEAD?.name) return repo.state.HEAD.name;
  } catch {
    // the Git extension is disabled or not ready: ask git itself
  }
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: folder.uri.fsPath, timeout: 3000 }, (err, stdout) => {
      const name = stdout?.trim();
      resolve(err || !name || name === 'HEAD' ? 'main' : name);
    });
  });
}

export function selectedContext(explorer: ClusterExplorer): string {
  const context = explorer.selectedContext;
  if (!context) {
    throw new ExplainedError({ reason: 'UnknownContext', what: 'Preview changes', why: 'no Kubernetes context is selected', remedy: 'Run Tether: Select Context, then try again' });
  }
  return context;
}

/** Everything ensure() needs for the workspace's tether.yaml (which must exist and be valid). */
export async function previewRequest(deps: SandboxFeatureDeps, spec?: SandboxSpec): Promise<PreviewRequest & { sandbox: string }> {
  await deps.explorer.kube();
  const context = selectedContext(deps.explorer);
  let resolved = spec;
  if (!resolved) {
    const text = await readSpecText();
    if (text === undefined) {
      throw new ExplainedError({ reason: 'NotFound', what: 'Preview changes', why: `the workspace has no ${specFileName}`, remedy: 'Run Tether: Create Sandbox to write one' });
    }
    resolved = specFromText(text);
  }
  const branch = await currentBranch();
  const settings = vscode.workspace.getConfiguration('tether');
  const relayImage = settings.get<string>('relay.image', '').trim() || undefined;
  const sharedNamespace = settings.get<string>('sandbox.sharedNamespace', '').trim() || undefined;
  const share = previewShareSettings();
  return {
    context,
    spec: resolved,
    developer: developer(),
    branch,
    holderIdentity: holderIdentity(),
    agentScript: () => readRelayAgentScript(deps.extensionUri),
    relayImage,
    sharedNamespace,
    ...(share ? { share } : {}),
    sandbox: sandboxName(developer(), branch),
  };
}
