import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CONTRIBUTED_COMMANDS, tetherApi, tetherExtension } from './extension';

describe('activation', () => {
  it('is not active before anything asks for it (narrow activation events)', () => {
    assert.equal(tetherExtension().isActive, false);
  });

  it('activates without reading the kubeconfig or calling a cluster', async () => {
    const api = await tetherApi();
    assert.ok(tetherExtension().isActive);
    assert.equal(api.selection().context, undefined, 'a context was chosen, so the kubeconfig was read during activation');
  });

  it('registers every contributed command', async () => {
    await tetherApi();
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(CONTRIBUTED_COMMANDS.length > 0, 'package.json contributes no commands');
    const missing = CONTRIBUTED_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });
});
