/**
 * A CodeLens over each workload in a manifest (next to "Will it schedule?") with its live state in
 * the selected context — "3/3 ready · 0 restarts", "not in cluster" — read from the manifest
 * feature's cache of shared watches; clicking it shows the workload in the Cluster view.
 */
import * as vscode from 'vscode';
import { workloadLenses } from '../../manifests/navigate/symbols';
import { liveStateTitle } from './liveState';
import type { ManifestSources } from './manifestSources';

export const revealInClusterCommand = 'tether.revealInCluster';

/** A workload to show in the Cluster view. */
export interface RevealTarget {
  context: string;
  namespace: string;
  kind: string;
  name: string;
}

export function isRevealTarget(value: unknown): value is RevealTarget {
  const v = value as Partial<RevealTarget> | undefined;
  return typeof v?.context === 'string' && typeof v.namespace === 'string' && typeof v.kind === 'string' && typeof v.name === 'string';
}

export class LiveStateLenses implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscription?: vscode.Disposable;

  constructor(private readonly sources: ManifestSources) {
    const sub = sources.lookups?.onDidChange(() => this.changed.fire());
    if (sub) this.subscription = { dispose: () => sub.dispose() };
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Rendering a lens never reads the kubeconfig: lenses appear once a context is selected.
    const lookup = this.sources.cluster(false);
    if (!lookup || !this.sources.isManifest(document)) return [];
    return workloadLenses(this.sources.analysis(document)).map((lens) => {
      const namespace = lens.namespace ?? lookup.defaultNamespace;
      const state = lookup.workload(lens.kind, namespace, lens.name);
      const at = document.positionAt(lens.offset);
      const target: RevealTarget = { context: lookup.context, namespace, kind: lens.kind, name: lens.name };
      const title = liveStateTitle(state);
      const tooltip = `${lens.kind} ${namespace}/${lens.name} in context ${lookup.context}`;
      return new vscode.CodeLens(new vscode.Range(at, at), state.phase === 'present'
        ? { title, tooltip: `Show ${tooltip} in the Cluster view`, command: revealInClusterCommand, arguments: [target] }
        : { title, tooltip, command: '' });
    });
  }

  dispose(): void {
    this.subscription?.dispose();
    this.changed.dispose();
  }
}
