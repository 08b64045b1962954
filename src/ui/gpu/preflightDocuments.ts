/**
 * "Will it schedule?" reports as read-only Markdown documents on scheme `tether-preflight`: one
 * per pod template (checking the same template again refreshes its open report), nothing to save
 * when closed. Owns the report texts; a report's text goes when its document closes.
 */
import * as vscode from 'vscode';
import { DisposableStore } from '../../lifecycle';

export const preflightScheme = 'tether-preflight';

export class PreflightDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly store = new DisposableStore();
  private readonly changes = this.store.add(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changes.event;
  private readonly reports = new Map<string, string>();

  constructor() {
    this.store.add(vscode.workspace.registerTextDocumentContentProvider(preflightScheme, this));
    this.store.add(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === preflightScheme) this.reports.delete(doc.uri.toString());
      }),
    );
  }

  /** The report's address: named for the template, one per (manifest, template). */
  static uriFor(source: vscode.Uri, index: number, title: string): vscode.Uri {
    const name = title.replace(/[\\/?#%]+/g, '-');
    const query = new URLSearchParams({ source: source.toString(), index: String(index) }).toString();
    return vscode.Uri.from({ scheme: preflightScheme, path: `/Will it schedule - ${name}.md`, query });
  }

  /** Opens (or refreshes) the report at `uri` with `body`. */
  async show(uri: vscode.Uri, body: string): Promise<vscode.TextDocument> {
    const key = uri.toString();
    const known = this.reports.has(key);
    this.reports.set(key, body);
    if (known) this.changes.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return doc.languageId === 'markdown' ? doc : vscode.languages.setTextDocumentLanguage(doc, 'markdown');
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# This report is no longer available\n\nRun Will It Schedule? again on the manifest.\n';
  }

  dispose(): void {
    this.reports.clear();
    this.store.dispose();
  }
}
