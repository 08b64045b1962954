/**
 * A pod asking for more GPUs than any node of the cluster under test has stays Pending; the
 * selected context's GPU feed, over real watches, lists it as waiting and explains why with the
 * numbers and the scheduler's FailedScheduling event. The feed runs only while held. On the
 * simulator's demo cluster, taints and capacity freed by a deleted Job are explained too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isGpuResource } from '../../../src/gpu/podGpus';
import { WatchHub } from '../../../src/kube/hub';
import { kinds } from '../../../src/kube/kinds';
import type { KubeObject } from '../../../src/kube/types';
import { toDisposable } from '../../../src/lifecycle';
import { ContextGpuFeed } from '../../../src/ui/gpu/contextGpuFeed';
import { demoCluster } from '../../sim/seed';
import { clusterFor, simulatorOnly, type ClusterUnderTest, type TestHandle } from '../../cluster/clusterUnderTest';
import { gpuNode, plainNode } from '../../cluster/simulatorCluster';

type NodeObject = KubeObject & { status?: { allocatable?: Record<string, string> } };

function feedOf(t: TestHandle, cluster: ClusterUnderTest): { gpu: ContextGpuFeed; hub: WatchHub } {
  const hub = new WatchHub(() => cluster.client(), undefined, { lingerMs: 0 });
  t.after(() => hub.dispose());
  const source = { selectedContext: cluster.context, onDidChange: () => toDisposable(() => {}), kube: async () => ({ hub }), readableNamespaces: () => [cluster.namespace] };
  const gpu = new ContextGpuFeed(source, { extraResources: () => [], maxPerSecond: 50 });
  t.after(() => gpu.dispose());
  return { gpu, hub };
}

const waitingRow = (gpu: ContextGpuFeed, key: string) => (gpu.state.phase === 'running' ? gpu.state.feed.table().waiting.find((w) => w.key === key) : undefined);

test('a pod asking for more GPUs than any node has waits, and the feed says how many the largest node has', async (t) => {
  const cluster = await clusterFor(t, 'gpu-pending', { nodes: [plainNode('node-1'), gpuNode('gpu-1', 4), gpuNode('gpu-2', 2)] });
  if (await cluster.requireGpu(t)) return;
  const ns = cluster.namespace;
  const nodes = (await cluster.gpuNodes()) as NodeObject[];
  const resource = Object.entries(nodes[0].status?.allocatable ?? {}).find(([name, count]) => isGpuResource(name) && Number(count) > 0)?.[0] ?? 'nvidia.com/gpu';
  const largest = Math.max(...nodes.map((n) => Number(n.status?.allocatable?.[resource] ?? 0)));
  const wanted = largest + 1;
  const { gpu, hub } = feedOf(t, cluster);
  assert.equal(gpu.state.phase, 'stopped');
  assert.equal(hub.size, 0, 'nothing is watched before someone holds the feed');

  const hold = gpu.hold();
  await cluster.apply({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'too-many-gpus', namespace: ns, labels: { app: 'too-many-gpus' } },
    spec: {
      restartPolicy: 'Never',
      tolerations: [{ operator: 'Exists' }],
      containers: [{ name: 'main', image: cluster.images.relay, command: ['node', '-e', 'setInterval(() => {}, 1 << 30)'], resources: { limits: { [resource]: String(wanted) } } }],
    },
  });
  const key = `${ns}/too-many-gpus`;
  const row = await cluster.until(() => (waitingRow(gpu, key)?.scheduler ? waitingRow(gpu, key) : undefined), `the FailedScheduling event of ${key}`);
  assert.deepEqual(row.gpus, [{ resource, count: wanted }]);
  assert.equal(row.reason.startsWith(`needs ${wanted} ${resource}; no node has more than ${largest} in total`), true, row.reason);
  assert.match(row.scheduler ?? '', new RegExp(`^0/\\d+ nodes are available: .*Insufficient ${resource.replace(/\./g, '\\.')}`));

  const summary = await cluster.until(() => (gpu.summary()?.tooltip.includes(`${key}: needs ${wanted} ${resource}`) ? gpu.summary() : undefined), 'the summary to name the waiting pod');
  assert.equal(summary.attention, true);
  assert.match(summary.text, /\d+ waiting$/);
  assert.equal(gpu.summary('another-context'), undefined, 'a summary is only given for the context the feed runs for');

  hold.dispose();
  assert.equal(gpu.state.phase, 'stopped');
  assert.equal(gpu.summary(), undefined);
  await cluster.until(() => hub.size === 0, 'the GPU watches to close');
});

test('the demo pod asking for 8 GPUs waits, and the summary counts the GPUs and MIG slices bound pods hold', async (t) => {
  if (simulatorOnly(t, "it reads the simulator's demo cluster: four nodes, an A100 node with MIG slices and the pods that hold them")) return;
  const cluster = await clusterFor(t, 'gpu-demo', { nodes: [] });
  cluster.sim().seed(demoCluster());
  const { gpu } = feedOf(t, cluster);
  const hold = gpu.hold();
  t.after(() => hold.dispose());
  const row = await cluster.until(() => (waitingRow(gpu, 'ml/train-llm-8gpu')?.scheduler ? waitingRow(gpu, 'ml/train-llm-8gpu') : undefined), 'the FailedScheduling event of ml/train-llm-8gpu');
  assert.match(row.reason, /^needs 8 nvidia\.com\/gpu; no node has more than 4 in total/);
  assert.match(row.scheduler ?? '', /^0\/4 nodes are available: .*Insufficient nvidia\.com\/gpu/);

  // The training Job's pod holds 2 A100s and the inference pod one MIG slice once they are bound.
  const summary = await cluster.until(() => (gpu.summary()?.text === '2/4 GPUs · 1/7 MIG slices · 1 waiting' ? gpu.summary() : undefined), 'the summary with both GPU pods bound');
  assert.match(summary.tooltip, /^nvidia\.com\/gpu: 2 requested of 4 on 1 node, 2 free$/m);
});

test('a pod that does not tolerate the GPU taint waits for that reason, and one that waits for capacity is bound once the Job holding GPUs is deleted', async (t) => {
  if (simulatorOnly(t, "it reads the simulator's demo cluster: its tainted GPU nodes and the Job holding two of them")) return;
  const cluster = await clusterFor(t, 'gpu-taints', { nodes: [] });
  const sim = cluster.sim();
  sim.seed(demoCluster());
  const { gpu } = feedOf(t, cluster);
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
  const holder = await cluster.until(() => (gpu.state.phase === 'running' ? gpu.state.feed.table().holders.find((h) => h.namespace === 'ml' && h.owner?.kind === 'Job') : undefined), 'the training pod to hold its GPUs');

  sim.apply(pod('untolerated', 1, false));
  sim.apply(pod('needs-three', 3, true));
  const untolerated = await cluster.until(() => waitingRow(gpu, 'ml/untolerated')?.scheduler ? waitingRow(gpu, 'ml/untolerated') : undefined, 'ml/untolerated to be explained');
  assert.match(untolerated.reason, /^needs 1 nvidia\.com\/gpu; node gpu-a has 2 free; 1 node has the taint nvidia\.com\/gpu=present:NoSchedule that the pod does not tolerate; scheduler: /);
  const three = await cluster.until(() => waitingRow(gpu, 'ml/needs-three')?.scheduler ? waitingRow(gpu, 'ml/needs-three') : undefined, 'ml/needs-three to be explained');
  assert.match(three.reason, /^needs 3 nvidia\.com\/gpu; the largest free slot is 2 on node gpu-a/);

  assert.equal(holder.owner?.name, 'train-resnet');
  await cluster.client().delete(kinds.Job, 'ml', 'train-resnet', { propagationPolicy: 'Background' });
  await cluster.until(() => gpu.state.phase === 'running' && !waitingRow(gpu, 'ml/needs-three') && gpu.state.feed.table().holders.some((h) => h.key === 'ml/needs-three'), 'ml/needs-three to be bound after the Job and its pod are gone');
  assert.ok(waitingRow(gpu, 'ml/untolerated'), 'the untolerated pod still waits');
});
