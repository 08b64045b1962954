/** Completion in Kubernetes YAML: the engine's items as VS Code's, each saying where it came from. */
import * as vscode from 'vscode';
import { complete } from '../../manifests/complete/complete';
import type { CompletionEntry, ItemKind } from '../../manifests/complete/items';
import type { ManifestSources } from './manifestSources';

/** Typed characters that open the list: a value after "key: ", an item after "- ". */
export const COMPLETION_TRIGGERS = [':', ' '];

const KIND: Record<ItemKind, vscode.CompletionItemKind> = {
  field: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  kind: vscode.CompletionItemKind.Class,
  reference: vscode.CompletionItemKind.Reference,
  snippet: vscode.CompletionItemKind.Snippet,
  label: vscode.CompletionItemKind.Constant,
  resource: vscode.CompletionItemKind.Unit,
};

const SOURCE: Record<CompletionEntry['source'], string> = {
  schema: 'schema',
  workspace: 'workspace',
  cluster: 'cluster',
  template: 'template',
};

function toItem(document: vscode.TextDocument, position: vscode.Position, e: CompletionEntry): vscode.CompletionItem {
  const item = new vscode.CompletionItem({ label: e.label, description: SOURCE[e.source] }, KIND[e.kind]);
  item.detail = e.detail;
  const docs = new vscode.MarkdownString();
  if (e.documentation) docs.appendText(e.documentation).appendMarkdown('\n\n');
  docs.appendMarkdown(`_From: ${e.origin.replace(/[\\`*_[\]<>]/g, (c) => `\\${c}`)}_`);
  item.documentation = docs;
  item.insertText = e.snippet ? new vscode.SnippetString(e.insertText) : e.insertText;
  // The engine indents every line itself, at the columns the document uses.
  item.keepWhitespace = true;
  const start = document.positionAt(e.replaceStart);
  const end = document.positionAt(e.replaceEnd);
  if (start.line === position.line && end.line === position.line && start.isBeforeOrEqual(position)) {
    item.range = { inserting: new vscode.Range(start, position), replacing: new vscode.Range(start, end.isAfterOrEqual(position) ? end : position) };
  }
  item.sortText = e.sortText;
  if (e.filterText) item.filterText = e.filterText;
  if (e.deprecated) item.tags = [vscode.CompletionItemTag.Deprecated];
  return item;
}

export class ManifestCompletions implements vscode.CompletionItemProvider {
  constructor(private readonly sources: ManifestSources) {}

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position, _token: vscode.CancellationToken, context: vscode.CompletionContext): vscode.CompletionList | undefined {
    const text = document.getText();
    if (!this.sources.isManifest(document, text)) return undefined;
    if (context.triggerCharacter === ' ') {
      const before = document.lineAt(position.line).text.slice(0, position.character);
      if (!/(:|^\s*-)\s$/.test(before)) return undefined;
    }
    const offset = document.offsetAt(position);
    const result = complete({
      text,
      offset,
      schema: this.sources.schema(),
      workspace: this.sources.workspace(),
      cluster: this.sources.cluster(),
      fileLabel: (file) => this.sources.fileLabel(file),
    });
    if (result.items.length === 0 && !result.incomplete) return undefined;
    return new vscode.CompletionList(result.items.map((e) => toItem(document, position, e)), result.incomplete);
  }
}
