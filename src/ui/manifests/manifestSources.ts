/**
 * What the manifest providers read, in one place: the analysis of a document's current text (the
 * diagnostics' own when it is current, else one computed from it without touching the
 * diagnostics), the workspace's declarations, the schema in use and the selected cluster's lookup.
 */
import * as vscode from 'vscode';
import type { SchemaSource } from '../../manifests/complete/schemaItems';
import { looksLikeKubernetes } from '../../manifests/detect';
import { WorkspaceIndex } from '../../manifests/navigate/workspaceIndex';
import type { FileAnalysis } from '../../manifests/validate';
import type { ClusterLookups, SelectedClusterLookup } from './clusterLookups';
import type { ClusterSchemaSource } from './clusterSchemaSource';
import type { ManifestDiagnostics } from './diagnosticsProvider';

/** Larger files get no completion, navigation or lenses: reading them on each request would slow the editor. */
export const MAX_DOCUMENT_CHARS = 2 * 1024 * 1024;

export class ManifestSources {
  /** The last analysis computed here, per document, for the next request's reuse. */
  private readonly own = new Map<string, FileAnalysis>();

  constructor(
    private readonly diagnostics: ManifestDiagnostics,
    private readonly clusterSchema: ClusterSchemaSource | undefined,
    readonly lookups: ClusterLookups | undefined,
  ) {}

  /** Kubernetes YAML this feature serves (a YAML file with apiVersion and kind, or an empty one next to such files). */
  isManifest(document: vscode.TextDocument, text = document.getText()): boolean {
    if (document.languageId !== 'yaml' || text.length > MAX_DOCUMENT_CHARS) return false;
    if (looksLikeKubernetes(text)) return true;
    if (text.trim() !== '') return false;
    const dir = document.uri.toString().replace(/[^/]*$/, '');
    return this.diagnostics.workspace.paths().some((p) => p.startsWith(dir));
  }

  /** The analysis of the document's current text. */
  analysis(document: vscode.TextDocument): FileAnalysis {
    const key = document.uri.toString();
    const text = document.getText();
    const ws = this.diagnostics.workspace;
    const published = ws.analysis(key);
    if (published?.text === text) return published;
    const previous = this.own.get(key);
    if (previous?.text === text) return previous;
    const fresh = ws.engine.analyze({ path: key, text }, previous ?? published);
    this.own.set(key, fresh);
    return fresh;
  }

  forget(document: vscode.TextDocument): void {
    this.own.delete(document.uri.toString());
  }

  /** The workspace's declarations, with `current` standing in for its file's published analysis. */
  workspace(current?: FileAnalysis): WorkspaceIndex {
    const ws = this.diagnostics.workspace;
    const analyses: FileAnalysis[] = [];
    for (const path of ws.paths()) {
      if (current && path === current.path) continue;
      const a = ws.analysis(path);
      if (a) analyses.push(a);
    }
    if (current) analyses.push(current);
    return WorkspaceIndex.of(analyses);
  }

  /** The schema diagnostics use now, and what to call it. */
  schema(): SchemaSource {
    const schema = this.diagnostics.workspace.engine.schema;
    const target = this.clusterSchema?.current();
    const origin = target && target.schema === schema ? `schema of cluster ${target.context} (Kubernetes ${schema.version})` : `Kubernetes ${schema.version} schema`;
    return { schema, origin };
  }

  /** The selected context's lookup; `load`: read the kubeconfig if nothing has yet (a user's request). */
  cluster(load = true): SelectedClusterLookup | undefined {
    return this.lookups?.current(load);
  }

  /** A workspace file as an item's origin names it: its path in the workspace. */
  fileLabel(file: string): string {
    try {
      return vscode.workspace.asRelativePath(vscode.Uri.parse(file), false);
    } catch {
      return file;
    }
  }
}
