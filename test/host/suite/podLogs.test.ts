import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { eventually, rowAt, rows } from './clusterRows';
import { simContext } from './simContext';

describe('pod logs', () => {
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('follows a pod\'s log in a read-only log document', async () => {
    const api = await tetherApi();
    const web = await rowAt(api, [simContext(), 'shop', 'web']);
    const pod = (await rows(api, web.node))[0];
    assert.ok(pod, 'web has no pod');
    await vscode.commands.executeCommand('tether.showPodLogs', pod.node);
    const doc = await eventually(api, 'the log document with text', async () => {
      const d = vscode.window.activeTextEditor?.document;
      return d && d.uri.path.includes(pod.label) && d.getText().trim() ? d : undefined;
    });
    assert.equal(doc.languageId, 'log');
    assert.notEqual(vscode.workspace.fs.isWritableFileSystem(doc.uri.scheme), true);
  });
});
