import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { tetherApi } from './extension';
import { childRow, eventually, rowAt, rows } from './clusterRows';
import { createPod, simContext } from './simContext';

describe('live changes', () => {
  it('shows a pod created in the cluster and drops it when it is deleted', async () => {
    const api = await tetherApi();
    const namespace = await rowAt(api, [simContext(), 'default']);
    const name = `live-${Date.now().toString(36)}`;
    const remove = await createPod('default', name);
    let removed = false;
    try {
      const row = await childRow(api, namespace.node, name);
      assert.equal(row.node.type, 'pod');
      await remove();
      removed = true;
      await eventually(api, `pod ${name} to leave the tree`, async () =>
        ((await rows(api, namespace.node)).some((r) => r.label === name) ? undefined : true));
    } finally {
      if (!removed) await remove();
    }
  });

  it("re-renders a pod's row as its age moves on while the view is visible, without any change to the pod", async () => {
    const api = await tetherApi();
    await vscode.commands.executeCommand('tether.cluster.focus');
    const namespace = await rowAt(api, [simContext(), 'default']);
    const name = `aging-${Date.now().toString(36)}`;
    const remove = await createPod('default', name);
    const renders: string[] = [];
    const listening = api.clusterTree.onDidChangeTreeData?.((e) => {
      for (const node of Array.isArray(e) ? e : [e]) if (node?.type === 'pod' && node.name === name) renders.push(node.id);
    });
    assert.ok(listening, 'the Cluster view tells VS Code about changes');
    try {
      const running = await eventually(api, `pod ${name} running, with an age in seconds`, async () => {
        const row = (await rows(api, namespace.node)).find((r) => r.label === name);
        return row && /Running · 1\/1 · \d+s$/.test(row.description) ? row : undefined;
      }, 30_000);
      renders.length = 0;
      // Nothing changes the pod now; its age reads differently every second.
      await eventually(api, `the row of ${name} to be re-rendered for its age`, async () => (renders.length > 0 ? true : undefined), 10_000);
      assert.deepEqual([...new Set(renders)], [running.node.id], 'the row itself, not its namespace');
    } finally {
      listening?.dispose();
      await remove();
    }
  });
});
