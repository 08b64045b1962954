import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { childRow, rowAt } from './clusterRows';
import { createPod, simContext } from './simContext';

describe('describe', () => {
  const name = `describe-${Date.now().toString(36)}`;
  let remove: (() => Promise<void>) | undefined;

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await remove?.();
  });

  it('opens a pod as read-only YAML without managedFields', async () => {
    const api = await tetherApi();
    remove = await createPod('default', name);
    const namespace = await rowAt(api, [simContext(), 'default']);
    const pod = await childRow(api, namespace.node, name);
    await vscode.commands.executeCommand('tether.describeResource', pod.node);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    const doc = editor.document;
    assert.equal(doc.languageId, 'yaml');
    assert.notEqual(doc.uri.scheme, 'file');
    const text = doc.getText();
    assert.match(text, /^kind: Pod$/m);
    assert.match(text, new RegExp(`^  name: ${name}$`, 'm'));
    assert.doesNotMatch(text, /managedFields/);
    // VS Code opens a document read-only when no writable file system serves its scheme.
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true, `scheme ${doc.uri.scheme} is writable`);
  });
});
