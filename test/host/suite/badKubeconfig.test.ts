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

describe('malformed kubeconfig chosen with the tether.kubeconfig setting', () => {
  const setting = () => vscode.workspace.getConfiguration('tether');

  after(async () => {
    await setting().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
  });

  it('is told to choose another file in the setting, not to remove it from KUBECONFIG', async () => {
    const api = await tetherApi();
    const file = process.env.KUBECONFIG;
    assert.ok(file, 'the scenario sets KUBECONFIG');
    await setting().update('kubeconfig', file, vscode.ConfigurationTarget.Global);
    // The tooltip is Markdown: drop its escapes to read it as shown.
    const shown = (tooltip: string) => tooltip.replace(/\\(.)/g, '$1');
    const error = await eventually(api, 'an error row naming the setting', async () =>
      (await rows(api)).find((r) => r.node.type === 'message' && r.node.severity === 'error' && shown(r.tooltip).includes('tether.kubeconfig')));
    assert.match(shown(error.tooltip), /pick an existing file with Tether: Pick Kubeconfig File, or clear the tether\.kubeconfig setting/);
    assert.doesNotMatch(shown(error.tooltip), /remove it from KUBECONFIG/);
  });
});
