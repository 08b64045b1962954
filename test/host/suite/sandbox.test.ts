import * as assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { PreviewResult } from '../../../src/sandbox/preview/previewLoop';
import { fetchText } from '../../fetchText';
import type { TetherApi } from '../../../src/ui/api';
import { eventually } from './clusterRows';
import { tetherApi } from './extension';
import { simContext } from './simContext';

/** The sandboxes the Sandboxes view lists, as it reads them now. */
async function shownSandboxes(api: TetherApi): Promise<string[]> {
  const groups = (await api.sandboxTree.getChildren()) ?? [];
  const rows = await Promise.all(groups.map(async (group) => (await api.sandboxTree.getChildren(group)) ?? []));
  return rows.flat().flatMap((node) => (node.type === 'sandbox' ? [node.summary.sandbox] : []));
}

/** tether.yaml for the demo cluster's shop/api, forked to a process on this computer. */
function specText(localPort: number): string {
  return [
    'name: shop',
    'baseline: { namespace: shop }',
    'forks:',
    '  - workload: { name: api }',
    '    mode: local',
    `    ports: [{ port: 3000, localPort: ${localPort} }]`,
    'preview: { service: api, path: /products }',
    '',
  ].join('\n');
}

describe('sandboxes and the preview', () => {
  let local: Server;
  let localPort = 0;
  let reply = 'from this computer v1';
  const folder = () => vscode.workspace.workspaceFolders![0].uri;
  const specUri = () => vscode.Uri.joinPath(folder(), 'tether.yaml');
  let preview: PreviewResult | undefined;

  before(async () => {
    local = createServer((req, res) => res.end(`${reply} ${req.url}`));
    await new Promise<void>((r) => local.listen(0, '127.0.0.1', r));
    localPort = (local.address() as AddressInfo).port;
    await tetherApi();
    await vscode.commands.executeCommand('tether.selectContext', simContext());
  });

  after(async () => {
    if (preview) await vscode.commands.executeCommand('tether.deleteSandbox', { context: simContext(), sandbox: preview.sandbox, namespace: preview.namespace, confirmed: true });
    await vscode.workspace.fs.delete(specUri()).then(undefined, () => undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    local.closeAllConnections();
    local.close();
  });

  it('shows tether.yaml errors in the Problems panel with exact ranges', async () => {
    await vscode.workspace.fs.writeFile(specUri(), new TextEncoder().encode('name: Shop\nbaseline: { namespace: shop }\nforks: []\n'));
    const doc = await vscode.workspace.openTextDocument(specUri());
    await vscode.window.showTextDocument(doc);
    const api = await tetherApi();
    const diagnostics = await eventually(api, 'tether.yaml diagnostics', async () => {
      const found = vscode.languages.getDiagnostics(specUri()).filter((d) => d.source === 'tether');
      return found.length >= 2 ? found : undefined;
    });
    const name = diagnostics.find((d) => /name "Shop"/.test(d.message));
    assert.ok(name, diagnostics.map((d) => d.message).join('; '));
    assert.deepEqual([name.range.start.line, name.range.start.character, name.range.end.character], [0, 6, 10]);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Preview Changes brings up the sandbox and its URL answers from the local process; the second run is warm', async () => {
    await vscode.workspace.fs.writeFile(specUri(), new TextEncoder().encode(specText(localPort)));
    preview = await vscode.commands.executeCommand<PreviewResult | undefined>('tether.previewChanges');
    assert.ok(preview, 'Preview Changes returned no result (see the error notification in the log)');
    assert.match(preview.url, /^http:\/\/127\.0\.0\.1:\d+\/products$/);
    assert.equal(await fetchText(preview.url), 'from this computer v1 /products');
    reply = 'from this computer v2';
    assert.equal(await fetchText(preview.url), 'from this computer v2 /products');

    const warm = await vscode.commands.executeCommand<PreviewResult | undefined>('tether.previewChanges');
    assert.equal(warm?.warm, true, 'the second run reuses the running sandbox (its speed: bench/preview.ts)');
  });

  it('the preview tool returns the URL, the pods and the last errors', async function () {
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    if (!lm?.invokeTool) return this.skip();
    const result = await lm.invokeTool('tether_preview', { input: { includeLogs: true }, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, new RegExp(`^Preview URL: ${preview!.url.replace(/[.]/g, '\\.')}\n`));
    assert.match(text, /already running; health check answered HTTP 200/);
    assert.match(text, /\[agent\] ready/);
    assert.match(text, /Last errors: none/);
  });

  it('the status tool reports the running sandbox without changing it', async function () {
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    if (!lm?.invokeTool) return this.skip();
    const result = await lm.invokeTool('tether_sandbox_status', { input: {}, toolInvocationToken: undefined });
    const text = result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
    assert.match(text, new RegExp(`Running in this window: ${preview!.sandbox}`));
    assert.match(text, /tunnel api: connected/);
  });

  it('Delete Sandbox removes it and closes the preview; the Sandboxes view shows it gone at once', async () => {
    const target = preview!;
    const api = await tetherApi();
    assert.ok((await shownSandboxes(api)).includes(target.sandbox), 'the Sandboxes view shows the sandbox before');
    const deleted = await vscode.commands.executeCommand<string[] | undefined>('tether.deleteSandbox', { context: simContext(), sandbox: target.sandbox, namespace: target.namespace, confirmed: true });
    assert.ok(deleted?.includes(`Namespace/${target.namespace}`), (deleted ?? []).join(', '));
    preview = undefined;
    assert.ok(!(await shownSandboxes(api)).includes(target.sandbox), 'the Sandboxes view no longer shows it, without a refresh');
    await assert.rejects(fetchText(target.url), /ECONNREFUSED/);
  });
});
