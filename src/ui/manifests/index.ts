import * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import type { ClusterFactsSource } from '../../manifests/cluster';
import { ClusterSchemaSource, type SelectedCluster } from './clusterSchemaSource';
import { ManifestCodeActions } from './codeActions';
import { ManifestDiagnostics } from './diagnosticsProvider';
import { ManifestHover } from './hover';
import { onDidChangeLintSettings } from './settings';

/**
 * Kubernetes YAML diagnostics in the editor: Problems panel entries for YAML that looks like
 * Kubernetes, quick fixes, and schema hovers. The engine runs in-process under a per-file time and
 * size budget (tether.lint.* settings). With `clusterFacts` (the connected cluster's nodes), the
 * cluster-aware GPU rules run too. With `cluster` (the Cluster view's selection), files are validated
 * against the selected context's own /openapi/v3 schema and nodes, read on the first validation
 * after the selection changes (tether.lint.schemaSource "cluster"), else against the bundled schema.
 */
export function registerManifestDiagnostics(
  _context: vscode.ExtensionContext,
  deps: { logger: Logger; clusterFacts?: ClusterFactsSource; cluster?: SelectedCluster },
): vscode.Disposable {
  const clusterSchema = deps.cluster ? new ClusterSchemaSource(deps.cluster, deps.logger) : undefined;
  const diagnostics = new ManifestDiagnostics(deps.logger, deps.clusterFacts, clusterSchema);
  const selector: vscode.DocumentSelector = [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }];
  return vscode.Disposable.from(
    diagnostics,
    ...(clusterSchema ? [clusterSchema] : []),
    vscode.languages.registerCodeActionsProvider(selector, new ManifestCodeActions(diagnostics), { providedCodeActionKinds: ManifestCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new ManifestHover(diagnostics)),
    onDidChangeLintSettings(() => diagnostics.reconfigure()),
  );
}
