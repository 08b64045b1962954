import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONTRIBUTED_COMMANDS, tetherExtension } from './extension';

describe('activation', () => {
  it('loads the extension under development', () => {
    const ext = tetherExtension();
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  it('activates', async () => {
    await tetherExtension().activate();
    assert.ok(tetherExtension().isActive);
  });

  it('registers every contributed command', async () => {
    await tetherExtension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = CONTRIBUTED_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });
});
