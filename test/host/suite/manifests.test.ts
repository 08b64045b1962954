/**
 * Kubernetes YAML diagnostics in the editor, on test/fixtures/manifests/workspace: the Problems
 * panel shows what expected.json lists (rule ids, severities, ranges), a quick fix applied to an
 * untitled copy removes its diagnostic, a hover shows the field's schema description, and with the
 * simulator's context selected the cluster-aware GPU rules use its nodes.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { ManifestLinter } from '../../../src/manifests/validate';
import { tetherApi } from './extension';
import { simContext } from './simContext';

const fixtureDir = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'manifests', 'workspace');
const files = ['deploy.yaml', 'service.yaml'];

interface Expected {
  file: string;
  line: number;
  character: number;
  ruleId: string;
  severity: string;
}

const SEVERITY: Record<vscode.DiagnosticSeverity, string> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function lintDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tether-lint');
}

function rows(file: string, diagnostics: readonly vscode.Diagnostic[]) {
  return diagnostics
    .map((d) => ({ file, line: d.range.start.line, character: d.range.start.character, endLine: d.range.end.line, endCharacter: d.range.end.character, ruleId: String(d.code), severity: SEVERITY[d.severity] }))
    .sort((a, b) => a.line - b.line || a.character - b.character || a.ruleId.localeCompare(b.ruleId) || a.endCharacter - b.endCharacter);
}

/** Polls until `probe` returns a value, failing with what it last saw. */
async function until<T>(what: string, probe: () => T | undefined, describe: () => string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function setSchemaSource(value: 'cluster' | 'bundled' | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('tether.lint').update('schemaSource', value, vscode.ConfigurationTarget.Global);
}

describe('Kubernetes YAML diagnostics', function () {
  this.timeout(90_000);
  const uri = (file: string) => vscode.Uri.file(join(fixtureDir, file));

  before(async () => {
    await tetherApi();
    await setSchemaSource('bundled');
    for (const file of files) await vscode.workspace.openTextDocument(uri(file));
  });

  after(async () => {
    await setSchemaSource(undefined);
  });

  it('the Problems panel shows the fixture workspace\'s diagnostics, with the engine\'s ranges', async () => {
    const expected = JSON.parse(readFileSync(join(fixtureDir, 'expected.json'), 'utf8')) as Expected[];
    // The engine's own ranges for the same files (expected.json lists where each one starts).
    const engine = new ManifestLinter().lint(files.map((f) => ({ path: f, text: readFileSync(join(fixtureDir, f), 'utf8') })));
    for (const file of files) {
      const want = engine
        .find((r) => r.path === file)!
        .diagnostics.map((d) => ({ file, line: d.range.start.line, character: d.range.start.character, endLine: d.range.end.line, endCharacter: d.range.end.character, ruleId: d.ruleId, severity: d.severity }))
        .sort((a, b) => a.line - b.line || a.character - b.character || a.ruleId.localeCompare(b.ruleId) || a.endCharacter - b.endCharacter);
      assert.deepEqual(
        want.map(({ file: f, line, character, ruleId, severity }) => ({ file: f, line, character, ruleId, severity })),
        expected.filter((e) => e.file === file).sort((a, b) => a.line - b.line || a.character - b.character || a.ruleId.localeCompare(b.ruleId)),
        `expected.json is what the engine reports for ${file}`,
      );
      const signature = JSON.stringify(want);
      await until(`the diagnostics of ${file}`, () => (JSON.stringify(rows(file, lintDiagnostics(uri(file)))) === signature ? true : undefined), () => JSON.stringify(rows(file, lintDiagnostics(uri(file)))));
    }
    // The cross-file rule: service.yaml's targetPort is checked against deploy.yaml's port names.
    assert.match(lintDiagnostics(uri('service.yaml'))[0].message, /targetPort "metric" is not a port name of the selected pods \(Deployment\/trainer\); they name "metrics"/);
  });

  it('a quick fix applied to an untitled copy removes its diagnostic; the fixture on disk stays as it was', async () => {
    const onDisk = readFileSync(join(fixtureDir, 'deploy.yaml'), 'utf8');
    const copy = await vscode.workspace.openTextDocument({ language: 'yaml', content: onDisk });
    await vscode.window.showTextDocument(copy);
    try {
      const gpu = (d: vscode.Diagnostic) => d.code === 'gpu-request-equals-limit';
      const diagnostic = await until('gpu-request-equals-limit on the copy', () => lintDiagnostics(copy.uri).find(gpu), () => JSON.stringify(rows('untitled', lintDiagnostics(copy.uri))));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', copy.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title === 'Set the nvidia.com/gpu request to the limit (2)');
      assert.ok(fix?.edit, `quick fixes offered: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(actions.some((a) => a.title === 'Disable gpu-request-equals-limit for this line'));
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(copy.lineAt(diagnostic.range.start.line).text, /^\s+nvidia\.com\/gpu: 2$/);
      await until('gpu-request-equals-limit gone from the copy', () => (lintDiagnostics(copy.uri).some(gpu) ? undefined : true), () => JSON.stringify(rows('untitled', lintDiagnostics(copy.uri))));
      // Only that diagnostic went: the malformed memory quantity is still reported.
      assert.ok(lintDiagnostics(copy.uri).some((d) => d.code === 'schema-quantity'));
      assert.equal(readFileSync(join(fixtureDir, 'deploy.yaml'), 'utf8'), onDisk);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it('a duplicate resource names the other file by its path, not a file:// URI', async () => {
    const copy = await vscode.workspace.openTextDocument({ language: 'yaml', content: readFileSync(join(fixtureDir, 'deploy.yaml'), 'utf8') });
    await vscode.window.showTextDocument(copy);
    try {
      const duplicate = await until('duplicate-resource on the copy', () => lintDiagnostics(copy.uri).find((d) => d.code === 'duplicate-resource'), () => JSON.stringify(rows('untitled', lintDiagnostics(copy.uri))));
      assert.doesNotMatch(duplicate.message, /file:\/\//);
      assert.ok(duplicate.message.includes(`is also declared in ${vscode.workspace.asRelativePath(uri('deploy.yaml'))} (document 1)`), duplicate.message);
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  it("a hover shows the field's schema description and type", async () => {
    const doc = await vscode.workspace.openTextDocument(uri('deploy.yaml'));
    const line = doc.getText().split('\n').findIndex((l) => l.trim().startsWith('image:'));
    const position = new vscode.Position(line, doc.lineAt(line).firstNonWhitespaceCharacterIndex + 2);
    const found = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position);
    // MarkdownString.appendText keeps spaces as &nbsp;.
    const text = found.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ');
    assert.match(text, /spec\.template\.spec\.containers\[\]\.image: string/);
    assert.match(text, /Container image name\./);
  });

  it("with the simulator's context selected, the cluster-aware GPU rules use its nodes; \"bundled\" turns them off", async () => {
    const api = await tetherApi();
    await setSchemaSource('cluster');
    if (api.selection().context !== simContext()) await vscode.commands.executeCommand('tether.selectContext', simContext());
    // Editing is what validates: the schema and nodes are read on the first validation after the selection.
    const doc = await vscode.workspace.openTextDocument({ language: 'yaml', content: readFileSync(join(fixtureDir, 'deploy.yaml'), 'utf8') });
    await vscode.window.showTextDocument(doc);
    try {
      const toleration = await until(
        'gpu-toleration-missing from the demo cluster\'s tainted GPU nodes',
        () => lintDiagnostics(doc.uri).find((d) => d.code === 'gpu-toleration-missing'),
        () => JSON.stringify(rows('untitled', lintDiagnostics(doc.uri))),
        60_000,
      );
      assert.match(toleration.message, /every node with nvidia\.com\/gpu is tainted \(nvidia\.com\/gpu=present:NoSchedule\) and the pod has no matching toleration/);
      await setSchemaSource('bundled');
      await until('the cluster-aware rules gone with "bundled"', () => (lintDiagnostics(doc.uri).some((d) => d.code === 'gpu-toleration-missing') ? undefined : true), () => JSON.stringify(rows('untitled', lintDiagnostics(doc.uri))));
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
