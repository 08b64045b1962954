// The demo cluster the simulator seeds: its GPU nodes, and the pod asking for 8 GPUs that cannot
// be scheduled, explained by the index and predicted by the preflight.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { demoCluster } from '../../sim/seed';
import { failedSchedulingMessage } from '../../sim/controllers/scheduler';
import { GpuIndex } from '../../../src/gpu/gpuIndex';
import { nodeUsage, preflight } from '../../../src/gpu/preflight';
import { podTemplateOf } from '../../../src/gpu/podTemplate';
import type { NodeShape, PodShape, ResourceQuotaShape } from '../../../src/gpu/shapes';

const objects = demoCluster();
const nodes = objects.filter((o) => o.kind === 'Node') as NodeShape[];
const bigPod = objects.find((o) => o.kind === 'Pod' && o.metadata.name === 'train-llm-8gpu') as PodShape;

test('the demo GPU nodes and the pending 8-GPU pod with the reason', () => {
  const index = new GpuIndex();
  for (const n of nodes) index.upsertNode(n);
  for (const q of objects.filter((o) => o.kind === 'ResourceQuota')) index.upsertQuota(q as ResourceQuotaShape);
  index.upsertPod({ ...bigPod, status: { phase: 'Pending' } });
  index.upsertEvent({
    metadata: { namespace: 'ml', name: 'train-llm-8gpu.1' },
    involvedObject: { kind: 'Pod', namespace: 'ml', name: 'train-llm-8gpu' },
    reason: 'FailedScheduling',
    message: failedSchedulingMessage(4, [['Insufficient nvidia.com/gpu'], ['Insufficient nvidia.com/gpu'], ['Insufficient nvidia.com/gpu'], ['Insufficient nvidia.com/gpu']]),
    lastTimestamp: '2026-11-22T02:00:00Z',
  });
  const t = index.table();
  assert.deepEqual(t.nodes.map((n) => [n.name, n.model, n.slots.map((s) => `${s.resource}=${s.allocatable}`)]), [
    ['gpu-a', 'NVIDIA-A100-SXM4-80GB', ['nvidia.com/gpu=4']],
    ['gpu-b', 'NVIDIA-A100-SXM4-80GB', ['nvidia.com/mig-1g.10gb=7']],
  ]);
  assert.equal(t.waiting.length, 1);
  assert.equal(
    t.waiting[0].reason,
    'needs 8 nvidia.com/gpu; no node has more than 4 in total; scheduler: 0 of 4 nodes can take the pod: 4 nodes do not have enough free nvidia.com/gpu',
  );
  assert.deepEqual(t.namespaces[0].quotas.map((q) => `${q.quota} ${q.resource} ${q.used}/${q.hard}`), [
    'gpu-quota nvidia.com/gpu 8/16',
    'gpu-quota nvidia.com/mig-1g.10gb 0/7',
  ]);
});

test('the preflight predicts it before it is applied', () => {
  const template = podTemplateOf(bigPod);
  assert.ok(template);
  const r = preflight(template, { nodes, usage: nodeUsage([]) });
  assert.equal(r.summary, 'fits on no node (4 checked): 4 have too little free nvidia.com/gpu');
  assert.deepEqual(r.nodes.find((n) => n.node === 'gpu-a')?.obstacles.map((o) => o.text), ['needs 8 nvidia.com/gpu, 4 of 4 free']);
  const two = podTemplateOf(objects.find((o) => o.kind === 'Job'));
  assert.ok(two);
  assert.equal(preflight(two, { nodes, usage: nodeUsage([]) }).summary, 'fits on: gpu-a');
});
