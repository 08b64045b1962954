/**
 * The simulator's scheduler leaves GPU pods Pending; the selected context's GPU feed, over real
 * watches of the simulator, lists them as waiting and explains why with the numbers and the
 * scheduler's FailedScheduling event. The feed runs only while held.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KubeClient } from '../../../src/kube/api';
import { loadKubeconfig } from '../../../src/kube/config';
import { WatchHub } from '../../../src/kube/hub';
import { kinds } from '../../../src/kube/kinds';
import { toDisposable } from '../../../src/lifecycle';
import { ContextGpuFeed } from '../../../src/ui/gpu/contextGpuFeed';
import { demoCluster } from '../../sim/seed';
import { startSimulator, type Simulator } from '../../sim/server';
import { until } from '../sandbox/simFixture';

type After = { after(fn: () => Promise<void> | void): void };

async function demo(t: After): Promise<{ sim: Simulator; client: KubeClient; hub: WatchHub }> {
  const sim = await startSimulator({ controllers: true, timings: { reconcileMs: 5, scheduleMs: 10, startMs: 20, readyMs: 20, terminateMs: 20 } });
  t.after(() => sim.stop());
  sim.seed(demoCluster());
  const client = KubeClient.forContext(loadKubeconfig({ KUBECONFIG: sim.kubeconfigPath }), sim.context);
  t.after(() => client.dispose());
  const hub = new WatchHub(() => client, undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());
  return { sim, client, hub };
}

function feedOf(t: After, sim: Simulator, hub: WatchHub): ContextGpuFeed {
  const source = { selectedContext: sim.context, onDidChange: () => toDisposable(() => {}), kube: async () => ({ hub }) };
  const gpu = new ContextGpuFeed(source, { extraResources: () => [], maxPerSecond: 50 });
  t.after(() => gpu.dispose());
  return gpu;
}

const waitingRow = (gpu: ContextGpuFeed, key: string) => (gpu.state.phase === 'running' ? gpu.state.feed.table().waiting.find((w) => w.key === key) : undefined);

test('the demo pod asking for 8 GPUs waits, and the feed says no node has more than 4', async (t) => {
  const { sim, hub } = await demo(t);
  const gpu = feedOf(t, sim, hub);
  assert.equal(gpu.state.phase, 'stopped');
  assert.equal(hub.size, 0, 'nothing is watched before someone holds the feed');

  const hold = gpu.hold();
  const row = await until(() => waitingRow(gpu, 'ml/train-llm-8gpu')?.scheduler ? waitingRow(gpu, 'ml/train-llm-8gpu') : undefined, 'the FailedScheduling event of ml/train-llm-8gpu');
  assert.deepEqual(row.gpus, [{ resource: 'nvidia.com/gpu', count: 8 }]);
  assert.match(row.reason, /^needs 8 nvidia\.com\/gpu; no node has more than 4 in total/);
  assert.match(row.scheduler ?? '', /^0\/4 nodes are available: .*Insufficient nvidia\.com\/gpu/);

  // The training Job's pod holds 2 A100s and the inference pod one MIG slice once they are bound.
  const summary = await until(() => (gpu.summary()?.text === '2/4 GPUs · 1/7 MIG slices · 1 waiting' ? gpu.summary() : undefined), 'the summary with both GPU pods bound');
  assert.equal(summary.attention, true);
  assert.match(summary.tooltip, /^nvidia\.com\/gpu: 2 requested of 4 on 1 node, 2 free$/m);
  assert.match(summary.tooltip, /^ml\/train-llm-8gpu: needs 8 nvidia\.com\/gpu/m);
  assert.equal(gpu.summary('another-context'), undefined, 'a summary is only given for the context the feed runs for');

  hold.dispose();
  assert.equal(gpu.state.phase, 'stopped');
  assert.equal(gpu.summary(), undefined);
  await until(() => hub.size === 0, 'the GPU watches to close');
});

test('a pod that does not tolerate the GPU taint waits for that reason, and one that waits for capacity is bound once the Job holding GPUs is deleted', async (t) => {
  const { sim, client, hub } = await demo(t);
  const gpu = feedOf(t, sim, hub);
  const pod = (name: string, gpus: number, tolerate: boolean) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'ml' },
    spec: {
      restartPolicy: 'Never',
      ...(tolerate ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
      containers: [{ name: 'main', image: 'nvcr.io/nvidia/pytorch:24.05-py3', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
    },
  });
  const held = gpu.hold();
  t.after(() => held.dispose());
  const holder = await until(() => (gpu.state.phase === 'running' ? gpu.state.feed.table().holders.find((h) => h.namespace === 'ml' && h.owner?.kind === 'Job') : undefined), 'the training pod to hold its GPUs');

  sim.apply(pod('untolerated', 1, false));
  sim.apply(pod('needs-three', 3, true));
  const untolerated = await until(() => waitingRow(gpu, 'ml/untolerated')?.scheduler ? waitingRow(gpu, 'ml/untolerated') : undefined, 'ml/untolerated to be explained');
  assert.match(untolerated.reason, /^needs 1 nvidia\.com\/gpu; node gpu-a has 2 free; 1 node has the taint nvidia\.com\/gpu=present:NoSchedule that the pod does not tolerate; scheduler: /);
  const three = await until(() => waitingRow(gpu, 'ml/needs-three')?.scheduler ? waitingRow(gpu, 'ml/needs-three') : undefined, 'ml/needs-three to be explained');
  assert.match(three.reason, /^needs 3 nvidia\.com\/gpu; the largest free slot is 2 on node gpu-a/);

  assert.equal(holder.owner?.name, 'train-resnet');
  await client.delete(kinds.Job, 'ml', 'train-resnet', { propagationPolicy: 'Background' });
  await until(() => gpu.state.phase === 'running' && !waitingRow(gpu, 'ml/needs-three') && gpu.state.feed.table().holders.some((h) => h.key === 'ml/needs-three'), 'ml/needs-three to be bound after the Job and its pod are gone');
  assert.ok(waitingRow(gpu, 'ml/untolerated'), 'the untolerated pod still waits');
});
