import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { childRow, eventually, rows } from './clusterRows';
import { simContext } from './simContext';

describe('contexts', () => {
  it('lists every kubeconfig context, the current one selected', async () => {
    const api = await tetherApi();
    const roots = await eventually(api, 'both contexts', async () => {
      const r = await rows(api);
      return r.some((x) => x.label === simContext()) && r.some((x) => x.label === 'unreachable') ? r : undefined;
    });
    const selected = roots.find((r) => r.label === simContext());
    assert.match(selected?.description ?? '', /selected/);
    assert.equal(api.selection().context, simContext());
  });

  it('shows the namespaces of the selected context', async () => {
    const api = await tetherApi();
    const context = await childRow(api, undefined, simContext());
    await childRow(api, context.node, 'default');
    await childRow(api, context.node, 'kube-system');
  });

  it('turns an unreachable context into an error row, and switching back works', async () => {
    const api = await tetherApi();
    await vscode.commands.executeCommand('tether.selectContext', 'unreachable');
    try {
      assert.equal(api.selection().context, 'unreachable');
      const error = await eventually(api, 'an error row under the unreachable context', async () => {
        const context = (await rows(api)).find((r) => r.label === 'unreachable');
        if (!context) return undefined;
        return (await rows(api, context.node)).find((r) => r.node.type === 'message' && r.node.severity === 'error');
      });
      assert.equal(error.icon, 'error');
      assert.ok(error.tooltip.includes('Next:'), `the error row says what to do next: ${error.tooltip}`);
    } finally {
      await vscode.commands.executeCommand('tether.selectContext', simContext());
    }
    const context = await childRow(api, undefined, simContext());
    await childRow(api, context.node, 'default');
  });
});
