import * as assert from 'node:assert/strict';
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
});
