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

  it("moves a pod's age on while the view is visible, without any change to the pod", async () => {
    const api = await tetherApi();
    await vscode.commands.executeCommand('tether.cluster.focus');
    const namespace = await rowAt(api, [simContext(), 'default']);
    const name = `aging-${Date.now().toString(36)}`;
    const remove = await createPod('default', name);
    try {
      const ageOf = async () => {
        const row = (await rows(api, namespace.node)).find((r) => r.label === name);
        return row && /Running · 1\/1 · (\d+s)$/.exec(row.description)?.[1];
      };
      const first = await eventually(api, `pod ${name} running, with its age`, ageOf, 30_000);
      // Seconds-old ages read in seconds: the row must move on by itself.
      const later = await eventually(api, `the age of ${name} to move on from ${first}`, async () => {
        const age = await ageOf();
        return age && age !== first ? age : undefined;
      }, 15_000);
      assert.ok(parseInt(later, 10) > parseInt(first, 10), `${first} -> ${later}`);
    } finally {
      await remove();
    }
  });
});
