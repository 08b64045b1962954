/**
 * Writing manifests in the editor, on the sample workspace's sample/k8s/api.yaml with the
 * simulator's demo cluster selected: completion offers the cluster's ConfigMaps, ServiceAccounts,
 * classes and GPU node labels (saying where they came from) next to the schema's fields; Go to
 * Definition opens a Secret that only the cluster has read-only, without its data; the outline
 * lists the documents and containers; the live-state lens says how the Deployment runs. The file
 * on disk is left as it was.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { simContext } from './simContext';

const samplePath = join(__dirname, '..', '..', '..', 'sample', 'k8s', 'api.yaml');

async function until<T>(what: string, probe: () => Promise<T | undefined>, describe: () => string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${describe()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

function sourceOf(item: vscode.CompletionItem): string | undefined {
  return typeof item.label === 'string' ? undefined : item.label.description;
}

/** Tether's items only: VS Code adds words of the document as completions too. */
function ours(items: readonly vscode.CompletionItem[]): vscode.CompletionItem[] {
  return items.filter((i) => sourceOf(i) !== undefined);
}

function docsOf(item: vscode.CompletionItem): string {
  const d = item.documentation;
  return typeof d === 'string' ? d : (d?.value ?? '');
}

describe('Writing manifests', function () {
  this.timeout(120_000);
  let doc: vscode.TextDocument;
  let editor: vscode.TextEditor;
  const onDisk = readFileSync(samplePath, 'utf8');
  let last: vscode.CompletionItem[] = [];

  /** Puts `insert` on a new line before the first line matching `before`; returns the position at its end. */
  async function insertLine(before: RegExp, insert: string): Promise<vscode.Position> {
    const line = doc.getText().split('\n').findIndex((l) => before.test(l));
    assert.ok(line >= 0, `no line matches ${before}`);
    const lines = insert.split('\n');
    await editor.edit((b) => b.insert(new vscode.Position(line, 0), `${insert}\n`));
    return new vscode.Position(line + lines.length - 1, lines[lines.length - 1].length);
  }

  async function completionsAt(position: vscode.Position, wanted: (items: vscode.CompletionItem[]) => boolean): Promise<vscode.CompletionItem[]> {
    return until('completion items', async () => {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position);
      last = ours(list.items);
      return wanted(last) ? last : undefined;
    }, () => last.map((i) => `${labelOf(i)} (${sourceOf(i)})`).slice(0, 40).join(', '));
  }

  async function undoAll(): Promise<void> {
    while (doc.isDirty) await vscode.commands.executeCommand('undo');
  }

  before(async () => {
    const api = await tetherApi();
    if (api.selection().context !== simContext()) await vscode.commands.executeCommand('tether.selectContext', simContext());
    doc = await vscode.workspace.openTextDocument(vscode.Uri.file(samplePath));
    editor = await vscode.window.showTextDocument(doc);
  });

  afterEach(async () => {
    await vscode.window.showTextDocument(doc);
    await undoAll();
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    assert.equal(readFileSync(samplePath, 'utf8'), onDisk, 'the sample file on disk is unchanged');
  });

  it('offers the cluster\'s ConfigMaps for a configMapRef, saying they come from the cluster', async () => {
    const at = await insertLine(/^\s+ports:/, '          envFrom:\n            - configMapRef:\n                name: ');
    const items = await completionsAt(at, (all) => all.some((i) => labelOf(i) === 'api-config'));
    const config = items.find((i) => labelOf(i) === 'api-config')!;
    assert.equal(sourceOf(config), 'cluster');
    assert.match(docsOf(config), new RegExp(`From: cluster ${simContext()}, namespace shop`));
    assert.ok(!items.some((i) => labelOf(i) === 'api-credentials'), 'a configMapRef is offered ConfigMaps, not Secrets');
  });

  it('offers ServiceAccounts, PriorityClasses and RuntimeClasses from the cluster; field names from the schema', async () => {
    const spec = await insertLine(/^\s+containers:/, '      ');
    const fields = await completionsAt(spec, (all) => all.some((i) => labelOf(i) === 'serviceAccountName'));
    assert.equal(sourceOf(fields.find((i) => labelOf(i) === 'priorityClassName')!), 'schema');
    await undoAll();
    for (const [field, value] of [['serviceAccountName', 'api'], ['priorityClassName', 'gpu-high'], ['runtimeClassName', 'nvidia']]) {
      const at = await insertLine(/^\s+containers:/, `      ${field}: `);
      const items = await completionsAt(at, (all) => all.some((i) => labelOf(i) === value));
      assert.equal(sourceOf(items.find((i) => labelOf(i) === value)!), 'cluster', `${field}: ${value}`);
      assert.ok(items.every((i) => sourceOf(i) === 'cluster'), `${field}: only the cluster knows such names here`);
      await undoAll();
    }
  });

  it('offers the GPU nodes\' product label first for a nodeSelector, and their values', async () => {
    const at = await insertLine(/^\s+containers:/, '      nodeSelector:\n        ');
    const items = await completionsAt(at, (all) => all.some((i) => labelOf(i) === 'nvidia.com/gpu.product'));
    const sorted = [...items].sort((a, b) => ((a.sortText ?? '') < (b.sortText ?? '') ? -1 : 1));
    assert.equal(labelOf(sorted[0]), 'nvidia.com/gpu.product');
    assert.match(sorted[0].detail ?? '', /2 nodes: NVIDIA-A100-SXM4-80GB/);
  });

  it('goes from a secretKeyRef to the cluster\'s Secret, opened read-only and without its data', async () => {
    const at = await insertLine(/^\s+ports:/, '          env:\n            - name: DB_PASSWORD\n              valueFrom:\n                secretKeyRef: { name: api-credentials, key: DB_PASSWORD }');
    const position = new vscode.Position(at.line, doc.lineAt(at.line).text.indexOf('api-credentials') + 3);
    const locations = await until('a definition in the cluster', async () => {
      const found = await vscode.commands.executeCommand<vscode.Location[]>('vscode.executeDefinitionProvider', doc.uri, position);
      return found.length ? found : undefined;
    }, () => 'none');
    assert.equal(locations[0].uri.scheme, 'tether-describe');
    const secret = await vscode.workspace.openTextDocument(locations[0].uri);
    const text = await until('the Secret\'s metadata', async () => (secret.getText().includes('api-credentials') ? secret.getText() : undefined), () => secret.getText());
    assert.match(text, /metadata only/);
    assert.ok(!text.includes('ZGVtby1wYXNzd29yZA') && !/DB_PASSWORD:/.test(text), text);
  });

  it('the outline lists each document and the containers beneath the Deployment', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    const ours = symbols.filter((s) => s.name.includes('/'));
    assert.deepEqual(ours.map((s) => s.name), ['Deployment/api', 'Service/api']);
    assert.deepEqual(ours[0].children.map((c) => c.name), ['api']);
  });

  it('the Deployment\'s lens says how it runs in the cluster', async () => {
    const lens = await until('the live-state lens', async () => {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 10);
      return lenses.find((l) => /2\/2 ready · \d+ restarts?/.test(l.command?.title ?? ''));
    }, () => 'no lens yet');
    assert.equal(lens.command?.command, 'tether.revealInCluster');
  });
});
