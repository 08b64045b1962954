/**
 * The engine as the editor runs it: front door "vscode" (its Lease holder is "<developer>@<host>/vscode"),
 * the branch as the Git extension sees it (else `git`), the settings of this window, and the
 * bundles in the installed extension's dist/.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { bundlesIn } from '../engine/bundles';
import type { EngineDeps } from '../engine/engine';
import { gitBranchOf, nodeHost } from '../engine/host';
import type { Logger } from '../kube/logger';
import { readSettings } from './config';

/** The checked-out branch of `folder`: the Git extension's view of it, else `git`'s. */
async function editorGitBranch(folder: string): Promise<string | undefined> {
  type GitApi = { repositories: { rootUri: vscode.Uri; state: { HEAD?: { name?: string } } }[] };
  const git = vscode.extensions.getExtension<{ getAPI(v: 1): GitApi }>('vscode.git');
  try {
    const api = git?.isActive ? git.exports.getAPI(1) : undefined;
    const repo = api?.repositories.find((r) => folder.startsWith(r.rootUri.fsPath));
    if (repo?.state.HEAD?.name) return repo.state.HEAD.name;
  } catch {
    // the Git extension is disabled or not ready: ask git itself
  }
  return gitBranchOf(folder);
}

export function editorEngine(extensionUri: vscode.Uri, logger: Logger): EngineDeps {
  return {
    host: nodeHost('vscode', { gitBranch: editorGitBranch }),
    settings: readSettings,
    bundles: bundlesIn(join(extensionUri.fsPath, 'dist')),
    logger,
  };
}
