import * as vscode from 'vscode';
import type { ManifestDiagnostics } from './diagnosticsProvider';
import { DIAGNOSTIC_SOURCE } from './convert';

/** Quick fixes from the engine's fixes, plus "disable this rule on this line". */
export class ManifestCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly diagnostics: ManifestDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const published = this.diagnostics.publishedFor(document.uri);
    if (!published) return [];
    const actions: vscode.CodeAction[] = [];
    for (const shown of context.diagnostics) {
      if (shown.source !== DIAGNOSTIC_SOURCE) continue;
      const engine = published.diagnostics.find((d) => d.ruleId === shown.code && d.message === shown.message && d.range.start.line === shown.range.start.line && d.range.start.character === shown.range.start.character);
      if (!engine) continue;
      // Offsets are only valid for the text they were computed from.
      if (published.version === document.version) {
        for (const fix of engine.fixes ?? []) {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          const edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
          action.edit = edit;
          action.diagnostics = [shown];
          action.isPreferred = engine.fixes!.length === 1;
          actions.push(action);
        }
      }
      const line = document.lineAt(shown.range.start.line);
      const indent = line.text.slice(0, line.firstNonWhitespaceCharacterIndex);
      const disable = new vscode.CodeAction(`Disable ${engine.ruleId} for this line`, vscode.CodeActionKind.QuickFix);
      disable.edit = new vscode.WorkspaceEdit();
      disable.edit.insert(document.uri, new vscode.Position(line.lineNumber, 0), `${indent}# tether-lint disable=${engine.ruleId}\n`);
      disable.diagnostics = [shown];
      actions.push(disable);
    }
    return actions;
  }
}
