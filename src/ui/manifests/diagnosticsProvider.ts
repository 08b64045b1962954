import * as vscode from 'vscode';
import type { Logger } from '../../kube/logger';
import { looksLikeKubernetes } from '../../manifests/detect';
import { skippedFoldersGlob } from '../../manifests/yamlFiles';
import type { ClusterFactsSource } from '../../manifests/cluster';
import type { SchemaIndex } from '../../manifests/schema/index';
import type { Diagnostic, LintOptions } from '../../manifests/types';
import { ManifestWorkspace } from '../../manifests/workspace';
import type { ClusterSchemaSource, ClusterLintTarget } from './clusterSchemaSource';
import { toVscodeDiagnostic } from './convert';
import { readLintSettings, type LintSettings } from './settings';

const DEBOUNCE_MS = 250;

/** Files are linted by URI; messages name them as the Explorer does (workspace-relative, or the path). */
function displayPath(key: string): string {
  const uri = vscode.Uri.parse(key);
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri);
}
const MAX_WORKSPACE_FILES = 2000;

/** Engine diagnostics of one file as last published, for code actions. */
export interface Published {
  version: number;
  diagnostics: Diagnostic[];
  signature: string;
}

/**
 * Keeps the Problems panel in step with the Kubernetes YAML in the workspace: open documents are
 * re-validated after typing pauses; other files are indexed once, in the background, for the
 * cross-file rules.
 */
export class ManifestDiagnostics implements vscode.Disposable {
  readonly workspace: ManifestWorkspace;
  private settings: LintSettings;
  private readonly collection = vscode.languages.createDiagnosticCollection('tether-lint');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly published = new Map<string, Published>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private scanned = false;
  private disposed = false;

  private clusterKey = '';

  constructor(
    private readonly logger: Logger,
    private readonly cluster?: ClusterFactsSource,
    private readonly clusterSchema?: ClusterSchemaSource,
  ) {
    this.settings = readLintSettings();
    this.workspace = new ManifestWorkspace(this.options(), this.target()?.schema);
    if (cluster) this.subscriptions.push(cluster.onDidChange(() => this.clusterChanged()));
    if (clusterSchema) this.subscriptions.push(clusterSchema.onDidChange(() => this.clusterSchemaChanged()));
    this.subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.closed(d)),
      vscode.workspace.onDidDeleteFiles((e) => this.deleted(e.files)),
    );
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  publishedFor(uri: vscode.Uri): Published | undefined {
    return this.published.get(uri.toString());
  }

  /** The selected context's schema and facts, when the settings want them and they have been read. */
  private target(): ClusterLintTarget | undefined {
    return this.settings.schemaSource === 'cluster' ? this.clusterSchema?.current() : undefined;
  }

  private schema(): SchemaIndex | undefined {
    return this.target()?.schema;
  }

  /** Settings plus, when a cluster is connected, its facts for the cluster-aware rules. */
  private options(): LintOptions {
    const facts = this.cluster?.current() ?? this.target()?.facts;
    this.clusterKey = facts ? JSON.stringify(facts) : '';
    const options = { ...this.settings.options, displayPath };
    return facts ? { ...options, cluster: facts } : options;
  }

  private clusterSchemaChanged(): void {
    if (this.settings.schemaSource === 'cluster') this.reconfigure();
  }

  private clusterChanged(): void {
    const facts = this.cluster?.current() ?? this.target()?.facts;
    // Node status updates arrive often; only a change in the facts themselves re-validates.
    if ((facts ? JSON.stringify(facts) : '') === this.clusterKey) return;
    this.reconfigure();
  }

  reconfigure(): void {
    this.settings = readLintSettings();
    if (!this.settings.enable) {
      this.collection.clear();
      this.published.clear();
      return;
    }
    this.workspace.configure(this.options(), this.schema());
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
    this.publish();
  }

  private isCandidate(doc: vscode.TextDocument): boolean {
    return this.settings.enable && doc.languageId === 'yaml' && (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled');
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!this.isCandidate(doc) || this.disposed) return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      this.validate(doc);
    }, delay));
  }

  private validate(doc: vscode.TextDocument): void {
    if (this.disposed || doc.isClosed) return;
    const key = doc.uri.toString();
    const text = doc.getText();
    if (!looksLikeKubernetes(text)) {
      if (this.workspace.delete(key)) this.publish();
      return;
    }
    if (this.settings.schemaSource === 'cluster') this.clusterSchema?.want();
    const started = performance.now();
    this.workspace.set(key, text, doc.version);
    this.publish();
    const ms = performance.now() - started;
    if (ms > 100) this.logger.debug(`[lint] ${doc.uri.fsPath}: ${ms.toFixed(0)} ms`);
    if (!this.scanned && this.settings.scanWorkspace) {
      this.scanned = true;
      void this.scanWorkspace().catch((err) => this.logger.warn(`[lint] workspace scan failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  /** Reads the workspace's YAML once, a file at a time, yielding between files. */
  private async scanWorkspace(): Promise<void> {
    const uris = await vscode.workspace.findFiles('**/*.{yaml,yml}', skippedFoldersGlob, MAX_WORKSPACE_FILES);
    const open = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    let added = 0;
    for (const uri of uris) {
      if (this.disposed) return;
      const key = uri.toString();
      if (open.has(key) || this.workspace.has(key)) continue;
      const bytes = await vscode.workspace.fs.readFile(uri);
      if (bytes.byteLength > 2 * 1024 * 1024) continue;
      const text = new TextDecoder().decode(bytes);
      if (!looksLikeKubernetes(text)) continue;
      this.workspace.set(key, text, 0);
      added++;
      await new Promise((r) => setTimeout(r, 0));
    }
    this.logger.info(`[lint] indexed ${added} Kubernetes YAML file(s) from the workspace`);
    this.publish();
  }

  private publish(): void {
    if (this.disposed) return;
    const seen = new Set<string>();
    for (const report of this.workspace.reports()) {
      seen.add(report.path);
      // Only files whose diagnostics changed go over to the Problems panel again.
      const signature = JSON.stringify(report.diagnostics);
      const before = this.published.get(report.path);
      this.published.set(report.path, { version: report.version, diagnostics: report.diagnostics, signature });
      if (before?.signature !== signature) this.collection.set(vscode.Uri.parse(report.path), report.diagnostics.map(toVscodeDiagnostic));
    }
    for (const key of [...this.published.keys()]) {
      if (!seen.has(key)) {
        this.published.delete(key);
        this.collection.delete(vscode.Uri.parse(key));
      }
    }
  }

  private closed(doc: vscode.TextDocument): void {
    // Untitled documents vanish; files stay indexed (their text on disk is what counts now).
    if (doc.uri.scheme === 'untitled' && this.workspace.delete(doc.uri.toString())) this.publish();
  }

  private deleted(files: readonly vscode.Uri[]): void {
    let changed = false;
    for (const f of files) changed = this.workspace.delete(f.toString()) || changed;
    if (changed) this.publish();
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const s of this.subscriptions) s.dispose();
    this.collection.dispose();
  }
}
