/**
 * Writing manifests: completion, Go to Definition / Peek, Find References, the outline and the
 * live-state lenses for Kubernetes YAML, registered on the same documents as the diagnostics.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';
import type { ClusterLookups } from './clusterLookups';
import type { ClusterSchemaSource } from './clusterSchemaSource';
import { COMPLETION_TRIGGERS, ManifestCompletions } from './completionProvider';
import type { ManifestDiagnostics } from './diagnosticsProvider';
import { isRevealTarget, LiveStateLenses, revealInClusterCommand, type RevealTarget } from './liveStateLens';
import { ManifestSources } from './manifestSources';
import { ManifestDefinitions, ManifestReferences, ManifestSymbols } from './navigationProviders';

export interface AuthoringDeps {
  diagnostics: ManifestDiagnostics;
  selector: vscode.DocumentSelector;
  clusterSchema?: ClusterSchemaSource;
  lookups?: ClusterLookups;
  /** Shows a workload in the Cluster view. */
  reveal?: (target: RevealTarget) => Promise<void>;
  report: (err: unknown) => void;
}

export function registerManifestAuthoring(deps: AuthoringDeps): vscode.Disposable {
  const store = new DisposableStore();
  const sources = new ManifestSources(deps.diagnostics, deps.clusterSchema, deps.lookups);
  const { selector } = deps;
  store.add(vscode.languages.registerCompletionItemProvider(selector, new ManifestCompletions(sources), ...COMPLETION_TRIGGERS));
  store.add(vscode.languages.registerDefinitionProvider(selector, new ManifestDefinitions(sources)));
  store.add(vscode.languages.registerReferenceProvider(selector, new ManifestReferences(sources)));
  store.add(vscode.languages.registerDocumentSymbolProvider(selector, new ManifestSymbols(sources), { label: 'Kubernetes' }));
  if (deps.lookups) {
    const lenses = store.add(new LiveStateLenses(sources));
    store.add(vscode.languages.registerCodeLensProvider(selector, lenses));
  }
  store.add(vscode.workspace.onDidCloseTextDocument((d) => sources.forget(d)));
  const reveal = deps.reveal;
  if (reveal) {
    store.add(vscode.commands.registerCommand(revealInClusterCommand, (target?: unknown) => {
      if (!isRevealTarget(target)) return;
      return vscode.commands.executeCommand('tether.cluster.focus').then(() => reveal(target)).then(undefined, deps.report);
    }));
  }
  return store;
}
