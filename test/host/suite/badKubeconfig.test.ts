import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { eventually, rows } from './clusterRows';

describe('malformed kubeconfig', () => {
  it('shows an error row that explains the kubeconfig problem, not a crash', async () => {
    const api = await tetherApi();
    const error = await eventually(api, 'an error row', async () =>
      (await rows(api)).find((r) => r.node.type === 'message' && r.node.severity === 'error'));
    assert.match(`${error.label}\n${error.tooltip}`, /kubeconfig/i);
    assert.ok(process.env.KUBECONFIG && `${error.label}\n${error.tooltip}`.includes('malformed.kubeconfig'), `the row names the file: ${error.label}`);
  });

  it('keeps the commands working', async () => {
    const api = await tetherApi();
    await vscode.commands.executeCommand('tether.refreshCluster');
    const after = await eventually(api, 'rows after refresh', async () => {
      const r = await rows(api);
      return r.length ? r : undefined;
    });
    assert.ok(after.some((r) => r.node.type === 'message' && r.node.severity === 'error'));
  });
});
