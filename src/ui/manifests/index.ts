import * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import type { ClusterFactsSource } from '../../manifests/cluster';
import { ManifestCodeActions } from './codeActions';
import { ManifestDiagnostics } from './diagnosticsProvider';
import { ManifestHover } from './hover';
import { onDidChangeLintSettings } from './settings';

/**
 * Kubernetes YAML diagnostics in the editor: Problems panel entries for YAML that looks like
 * Kubernetes, quick fixes, and schema hovers. The engine runs in-process under a per-file time and
 * size budget (tether.lint.* settings). With `clusterFacts` (the connected cluster's nodes), the
 * cluster-aware GPU rules run too.
 */
export function registerManifestDiagnostics(_context: vscode.ExtensionContext, deps: { logger: Logger; clusterFacts?: ClusterFactsSource }): vscode.Disposable {
  const diagnostics = new ManifestDiagnostics(deps.logger, deps.clusterFacts);
  const selector: vscode.DocumentSelector = [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }];
  return vscode.Disposable.from(
    diagnostics,
    vscode.languages.registerCodeActionsProvider(selector, new ManifestCodeActions(diagnostics), { providedCodeActionKinds: ManifestCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new ManifestHover(diagnostics)),
    onDidChangeLintSettings(() => diagnostics.reconfigure()),
  );
}
