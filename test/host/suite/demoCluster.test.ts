/** The Cluster view over the simulator's demo seed (test/sim/seed.ts): the states a user must see. */
import * as assert from 'node:assert/strict';
import { tetherApi } from './extension';
import { childRow, eventually, rowAt, rows, type Row } from './clusterRows';
import { simContext } from './simContext';
import type { TetherApi } from '../../../src/ui/api';

/** Waits until the row at `path` satisfies `ok`; fails showing the row as last seen. */
async function rowUntil(api: TetherApi, path: string[], what: string, ok: (row: Row) => boolean, timeoutMs = 30_000): Promise<Row> {
  let last: Row | undefined;
  try {
    return await eventually(api, what, async () => {
      const parent = path.length > 1 ? (await rowAt(api, path.slice(0, -1))).node : undefined;
      last = (await rows(api, parent)).find((r) => r.label === path[path.length - 1]);
      return last && ok(last) ? last : undefined;
    }, timeoutMs);
  } catch (err) {
    throw new Error(`${(err as Error).message}; row ${path.join(' > ')} was ${last ? JSON.stringify({ description: last.description, tooltip: last.tooltip, icon: last.icon }) : 'missing'}`);
  }
}

describe('demo cluster', () => {
  it('shows the demo namespaces', async () => {
    const api = await tetherApi();
    const context = await childRow(api, undefined, simContext());
    for (const ns of ['shop', 'ml']) await childRow(api, context.node, ns);
  });

  it('groups pods under their workloads', async () => {
    const api = await tetherApi();
    const shop = await rowAt(api, [simContext(), 'shop']);
    for (const name of ['web', 'api', 'cart']) {
      const workload = await childRow(api, shop.node, name);
      assert.match(workload.description, /^Deployment/);
    }
    const web = await rowUntil(api, [simContext(), 'shop', 'web'], 'web to have its 2 pods', (r) => r.node.type === 'workload' && r.node.pods.length === 2);
    const pods = await rows(api, web.node);
    assert.equal(pods.length, 2);
    for (const pod of pods) assert.match(pod.label, /^web-[a-z0-9]+-[a-z0-9]{5}$/);
  });

  it('shows running pods as ready', async () => {
    const api = await tetherApi();
    const web = await rowAt(api, [simContext(), 'shop', 'web']);
    const pod = (await rows(api, web.node))[0];
    await rowUntil(api, [simContext(), 'shop', 'web', pod.label], 'a web pod to be Running 1/1', (r) => /Running · 1\/1/.test(r.description));
  });

  it('shows the crash-looping pod with its reason', async () => {
    const api = await tetherApi();
    const cart = await rowUntil(api, [simContext(), 'shop', 'cart'], 'cart to have a pod', (r) => r.node.type === 'workload' && r.node.pods.length > 0);
    const pod = (await rows(api, cart.node))[0];
    const row = await rowUntil(api, [simContext(), 'shop', 'cart', pod.label], 'the cart pod in CrashLoopBackOff with its exit code and restarts',
      (r) => r.description.includes('CrashLoopBackOff · exit 3') && /[1-9]\d* restarts?|[1-9]\d*↻/.test(r.description), 60_000);
    assert.equal(row.icon, 'error');
  });

  it('shows the pending 8-GPU pod with the scheduler reason and a GPU badge', async () => {
    const api = await tetherApi();
    const row = await rowUntil(api, [simContext(), 'ml', 'train-llm-8gpu'], 'the 8-GPU pod to carry the scheduler reason',
      (r) => /Insufficient nvidia\.com\/gpu/.test(`${r.description}\n${r.tooltip}`));
    assert.match(row.description, /⚡8 GPUs/);
    assert.match(`${row.description}\n${row.tooltip}`, /Pending|Unschedulable/);
    assert.match(row.tooltip, /0\/4 nodes are available/);
  });

  it('badges the GPU training job with its GPU count', async () => {
    const api = await tetherApi();
    const job = await rowUntil(api, [simContext(), 'ml', 'train-resnet'], 'train-resnet to have a pod', (r) => r.node.type === 'workload' && r.node.pods.length > 0);
    assert.match(job.description, /^Job/);
    const pod = (await rows(api, job.node))[0];
    assert.match(pod.description, /⚡2 GPUs/);
  });

  it("sums the ml namespace's GPUs with those held apart from those waiting", async () => {
    const api = await tetherApi();
    // train-resnet holds 2 GPUs and inference 1 MIG slice; train-llm-8gpu waits for 8.
    const ml = await rowUntil(api, [simContext(), 'ml'], 'the ml namespace summary with held and waiting GPUs apart', (r) => /^3 pods · 3 GPUs held · 8 waiting$/.test(r.description));
    assert.doesNotMatch(ml.description, /11 GPUs/);
  });
});
