import * as vscode from 'vscode';
import { fieldAt } from '../../manifests/schema/hover';
import type { ManifestDiagnostics } from './diagnosticsProvider';

/** Shows the schema description and type of the Kubernetes field under the cursor. */
export class ManifestHover implements vscode.HoverProvider {
  constructor(private readonly diagnostics: ManifestDiagnostics) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const ws = this.diagnostics.workspace;
    const analysis = ws.analysis(document.uri.toString());
    if (!analysis || analysis.text !== document.getText()) return undefined;
    const offset = document.offsetAt(position);
    // List items share their document: take the resource whose own tree holds the offset.
    const resource = analysis.resources.find((r) => offset >= r.root.start && offset <= r.root.end);
    if (!resource) return undefined;
    const info = fieldAt(ws.engine.schema, resource, offset);
    if (!info) return undefined;
    const md = new vscode.MarkdownString();
    md.appendCodeblock(`${info.path}: ${info.type}${info.required ? ' (required)' : ''}`, 'yaml');
    if (info.description) md.appendText(info.description);
    if (info.enum) md.appendMarkdown(`\n\nOne of: ${info.enum.map((e) => `\`${e}\``).join(', ')}`);
    md.appendMarkdown(`\n\n_Kubernetes ${ws.engine.schema.version} schema_`);
    return new vscode.Hover(md, new vscode.Range(document.positionAt(info.start), document.positionAt(info.end)));
  }
}
