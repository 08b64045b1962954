import * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import type { ClusterFactsSource } from '../../manifests/cluster';
import { registerManifestAuthoring } from './authoring';
import { ClusterLookups, type GpuNumbers, type LookupSource } from './clusterLookups';
import { ClusterSchemaSource, type SelectedCluster } from './clusterSchemaSource';
import { ManifestCodeActions } from './codeActions';
import { ManifestDiagnostics } from './diagnosticsProvider';
import { ManifestHover } from './hover';
import type { RevealTarget } from './liveStateLens';
import { onDidChangeLintSettings } from './settings';

/**
 * Kubernetes YAML diagnostics in the editor: Problems panel entries for YAML that looks like
 * Kubernetes, quick fixes, and schema hovers. The engine runs in-process under a per-file time and
 * size budget (tether.lint.* settings). With `clusterFacts` (the connected cluster's nodes), the
 * cluster-aware GPU rules run too. With `cluster` (the Cluster view's selection), files are validated
 * against the selected context's own /openapi/v3 schema and nodes, read on the first validation
 * after the selection changes (tether.lint.schemaSource "cluster"), else against the bundled schema.
 * Writing manifests (authoring.ts): completion, navigation, the outline and live-state lenses,
 * with cluster values from one cache of shared watches (`ClusterLookups`) started on first use.
 */
export function registerManifestDiagnostics(
  _context: vscode.ExtensionContext,
  deps: {
    logger: Logger;
    clusterFacts?: ClusterFactsSource;
    cluster?: SelectedCluster & LookupSource;
    gpu?: GpuNumbers;
    reveal?: (target: RevealTarget) => Promise<void>;
    report?: (err: unknown) => void;
  },
): vscode.Disposable {
  const clusterSchema = deps.cluster ? new ClusterSchemaSource(deps.cluster, deps.logger) : undefined;
  const diagnostics = new ManifestDiagnostics(deps.logger, deps.clusterFacts, clusterSchema);
  const selector: vscode.DocumentSelector = [{ language: 'yaml', scheme: 'file' }, { language: 'yaml', scheme: 'untitled' }];
  const lookups = deps.cluster ? new ClusterLookups(deps.cluster, { logger: deps.logger, gpu: deps.gpu }) : undefined;
  const report = deps.report ?? ((err: unknown) => deps.logger.warn(`[manifests] ${err instanceof Error ? err.message : String(err)}`));
  return vscode.Disposable.from(
    diagnostics,
    ...(clusterSchema ? [clusterSchema] : []),
    ...(lookups ? [lookups] : []),
    registerManifestAuthoring({ diagnostics, selector, clusterSchema, lookups, reveal: deps.reveal, report }),
    vscode.languages.registerCodeActionsProvider(selector, new ManifestCodeActions(diagnostics), { providedCodeActionKinds: ManifestCodeActions.kinds }),
    vscode.languages.registerHoverProvider(selector, new ManifestHover(diagnostics)),
    onDidChangeLintSettings(() => diagnostics.reconfigure()),
  );
}
