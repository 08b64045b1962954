/**
 * What a preview needs from the editor: the workspace folder and its tether.yaml (unsaved edits
 * first) as the engine's Workspace, and the selected context. Everything else (who, which branch,
 * the request) is the engine's (engine/preview.ts).
 */
import * as vscode from 'vscode';
import type { EngineDeps } from '../../engine/engine';
import type { SandboxLook } from '../../engine/status';
import type { Workspace } from '../../engine/workspace';
import { ExplainedError } from '../../kube/errors';
import type { Logger } from '../../kube/logger';
import { specFileName } from '../../sandbox/spec';
import type { ClusterExplorer } from '../session/explorer';

export interface SandboxFeatureDeps {
  explorer: ClusterExplorer;
  logger: Logger;
  engine: EngineDeps;
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

/** The open folder as the engine's Workspace. */
export function editorWorkspace(folder = workspaceFolder()): Workspace {
  const uri = specUri(folder);
  return { folder: folder.uri.fsPath, specPath: uri.fsPath, readSpec: () => readSpecText(uri) };
}

export function selectedContext(explorer: ClusterExplorer): string {
  const context = explorer.selectedContext;
  if (!context) {
    throw new ExplainedError({ reason: 'UnknownContext', what: 'Use the sandbox', why: 'no Kubernetes context is selected', remedy: '', step: { code: 'selectContext' } });
  }
  return context;
}

/** What the editor knows of where sandboxes are (engine/status.ts): the Cluster view's filter, the open folder's tether.yaml. */
export function editorLook(explorer: ClusterExplorer, context: string): SandboxLook {
  const namespaces = explorer.sessionFor(context)?.namespaceFilter ?? [];
  return vscode.workspace.workspaceFolders?.length ? { namespaces, workspace: editorWorkspace() } : { namespaces };
}
