/**
 * Problems for tether.yaml from the spec validator (exact ranges), as the file is edited. The JSON
 * schema (completion, hover) is contributed through `yamlValidation` for editors with the YAML
 * extension; these diagnostics work without it.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { parseSpec, specFileName } from '../../sandbox/spec';

function isSpec(document: vscode.TextDocument): boolean {
  return basename(document.uri.path) === specFileName;
}

export function registerSpecDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('tether.yaml');
  const update = (document: vscode.TextDocument) => {
    if (!isSpec(document)) return;
    const { diagnostics } = parseSpec(document.getText());
    collection.set(
      document.uri,
      diagnostics.map((d) => {
        const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
        const diagnostic = new vscode.Diagnostic(range, d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
        diagnostic.source = 'tether';
        diagnostic.code = d.code;
        return diagnostic;
      }),
    );
  };
  for (const document of vscode.workspace.textDocuments) update(document);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(update),
    vscode.workspace.onDidChangeTextDocument((e) => update(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => (isSpec(d) ? collection.delete(d.uri) : undefined)),
  );
}
