import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GpuIndex } from '../../../src/gpu/gpuIndex';
import type { EventShape, NodeShape, PodShape, ResourceQuotaShape, Taint, Toleration } from '../../../src/gpu/shapes';
import { recorded } from './fixtures/recorded';

const gpuTaint: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

function node(name: string, allocatable: Record<string, string>, opts: { taints?: Taint[]; labels?: Record<string, string> } = {}): NodeShape {
  return {
    metadata: { name, labels: opts.labels ?? {} },
    spec: { taints: opts.taints },
    status: { allocatable: { cpu: '8', memory: '32Gi', ...allocatable }, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

function pod(
  ns: string,
  name: string,
  gpus: Record<string, string>,
  opts: { node?: string; phase?: string; uid?: string; tolerations?: Toleration[] } = {},
): PodShape {
  return {
    metadata: { namespace: ns, name, uid: opts.uid ?? `${ns}-${name}`, creationTimestamp: '2026-11-22T01:00:00Z' },
    spec: { nodeName: opts.node, tolerations: opts.tolerations, containers: [{ name: 'main', resources: { limits: gpus } }] },
    status: { phase: opts.phase ?? (opts.node ? 'Running' : 'Pending') },
  };
}

function failedScheduling(ns: string, podName: string, message: string, at: string, uid?: string): EventShape {
  return {
    metadata: { namespace: ns, name: `${podName}.${Date.parse(at).toString(16)}` },
    involvedObject: { kind: 'Pod', namespace: ns, name: podName, uid: uid ?? `${ns}-${podName}` },
    reason: 'FailedScheduling',
    message,
    lastTimestamp: at,
  };
}

test('recorded node, running GPU pod and pending GPU pod with its event', () => {
  const index = new GpuIndex();
  index.upsertNode(recorded<NodeShape>('node-with-gpu-capacity'));
  index.upsertPod(recorded<PodShape>('pod-gpu-fits'));
  index.upsertPod(recorded<PodShape>('pod-gpu-too-big'));
  for (const e of recorded<{ items: EventShape[] }>('pod-pending-gpu-events').items) index.upsertEvent(e);
  const table = index.table();

  assert.deepEqual(table.nodes.map((n) => [n.name, n.slots]), [
    ['vm', [{ resource: 'nvidia.com/gpu', allocatable: 4, requested: 2, free: 2 }]],
  ]);
  assert.equal(table.nodes[0].ready, true);
  assert.deepEqual(table.holders.map((h) => [h.key, h.node, h.ready, h.gpus]), [
    ['samples/gpu-fits', 'vm', true, [{ resource: 'nvidia.com/gpu', count: 2 }]],
  ]);
  assert.equal(table.waiting.length, 1);
  assert.equal(table.waiting[0].key, 'samples/gpu-too-big');
  assert.equal(
    table.waiting[0].reason,
    'needs 8 nvidia.com/gpu; no node has more than 4 in total; scheduler: 0 of 1 node can take the pod: 1 node does not have enough free nvidia.com/gpu',
  );
  assert.match(table.waiting[0].scheduler ?? '', /^0\/1 nodes are available: 1 Insufficient nvidia.com\/gpu/);
  assert.deepEqual(table.namespaces, [
    {
      namespace: 'samples',
      requested: [{ resource: 'nvidia.com/gpu', count: 10 }],
      held: [{ resource: 'nvidia.com/gpu', count: 2 }],
      waitingFor: [{ resource: 'nvidia.com/gpu', count: 8 }],
      quotas: [],
      holding: 1,
      waiting: 1,
    },
  ]);
  assert.deepEqual(table.resources, [
    { resource: 'nvidia.com/gpu', allocatable: 4, requested: 2, free: 2, nodes: 1, largestAllocatable: 4, largestFree: { node: 'vm', free: 2 } },
  ]);
});

test('without nodes (no access to them) the waiting reason falls back to the pod condition', () => {
  const index = new GpuIndex();
  index.upsertPod(recorded<PodShape>('pod-gpu-too-big'));
  assert.equal(
    index.table().waiting[0].reason,
    'needs 8 nvidia.com/gpu; scheduler: 0 of 1 node can take the pod: 1 node does not have enough free nvidia.com/gpu',
  );
});

function tainted(): GpuIndex {
  const index = new GpuIndex();
  index.upsertNode(node('gpu-a', { 'nvidia.com/gpu': '4' }, { taints: [gpuTaint], labels: { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' } }));
  index.upsertNode(node('gpu-b', { 'nvidia.com/gpu': '4' }, { taints: [gpuTaint] }));
  index.upsertNode(node('gpu-c', { 'nvidia.com/gpu': '2' }, { taints: [gpuTaint] }));
  index.upsertNode(node('cpu-1', {}));
  const tol = [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }];
  index.upsertPod(pod('ml', 'train-0', { 'nvidia.com/gpu': '4' }, { node: 'gpu-a', tolerations: tol }));
  index.upsertPod(pod('ml', 'train-1', { 'nvidia.com/gpu': '2' }, { node: 'gpu-b', tolerations: tol }));
  index.upsertPod(pod('ml', 'infer', { 'nvidia.com/gpu': '2' }, { node: 'gpu-c', tolerations: tol }));
  index.upsertPod(pod('ml', 'done', { 'nvidia.com/gpu': '2' }, { node: 'gpu-b', phase: 'Succeeded', tolerations: tol }));
  index.upsertPod(pod('ml', 'failed', { 'nvidia.com/gpu': '2' }, { node: 'gpu-b', phase: 'Failed', tolerations: tol }));
  index.upsertPod(pod('web', 'big', { 'nvidia.com/gpu': '4' }));
  return index;
}

test('the example reason: largest free slot and untolerated taints', () => {
  const index = tainted();
  const t = index.table();
  assert.deepEqual(t.nodes.map((n) => n.name), ['gpu-a', 'gpu-b', 'gpu-c'], 'nodes without GPUs are left out');
  assert.equal(t.nodes[0].model, 'NVIDIA-A100-SXM4-80GB');
  assert.deepEqual(t.nodes.map((n) => n.slots[0].free), [0, 2, 0], 'finished pods hold nothing');
  assert.equal(
    t.waiting[0].reason,
    'needs 4 nvidia.com/gpu; the largest free slot is 2 on node gpu-b; 3 nodes have the taint nvidia.com/gpu=present:NoSchedule ' +
      'that the pod does not tolerate',
  );
});

test('an update frees GPUs, keeps unchanged rows, and changes the reason', () => {
  const index = tainted();
  const before = index.table();
  index.deletePod(pod('ml', 'train-0', {}, { node: 'gpu-a' }));
  const after = index.table();
  assert.notEqual(after, before);
  assert.equal(after.nodes[1], before.nodes[1], 'gpu-b row is the same object');
  assert.notEqual(after.nodes[0], before.nodes[0]);
  assert.deepEqual(after.nodes[0].slots[0], { resource: 'nvidia.com/gpu', allocatable: 4, requested: 0, free: 4 });
  assert.equal(after.nodes[0].pods, 0);
  assert.match(after.waiting[0].reason, /^needs 4 nvidia.com\/gpu; node gpu-a has 4 free; 3 nodes have the taint/);
  assert.equal(index.table(), after, 'no change, same table');
  assert.deepEqual(after.holders.map((h) => h.name).sort(), ['infer', 'train-1']);
});

test('a pod that finishes releases its GPUs; a bound pod stops waiting', () => {
  const index = tainted();
  index.upsertPod(pod('ml', 'train-1', { 'nvidia.com/gpu': '2' }, { node: 'gpu-b', phase: 'Succeeded' }));
  assert.equal(index.table().nodes[1].slots[0].free, 4);
  index.upsertPod(pod('web', 'big', { 'nvidia.com/gpu': '4' }, { node: 'gpu-b' }));
  const t = index.table();
  assert.equal(t.waiting.length, 0);
  assert.equal(t.nodes[1].slots[0].free, 0);
  assert.deepEqual(t.namespaces.map((n) => [n.namespace, n.holding, n.waiting]), [
    ['ml', 2, 0],
    ['web', 1, 0],
  ]);
});

test('tolerating the taint leaves the selector as the obstacle', () => {
  const index = tainted();
  const p = pod('web', 'big', { 'nvidia.com/gpu': '4' }, { tolerations: [{ operator: 'Exists' }] });
  p.spec = { ...p.spec, nodeSelector: { 'nvidia.com/gpu.product': 'H100' } };
  index.upsertPod(p);
  assert.match(
    index.table().waiting[0].reason,
    /3 nodes with its GPUs do not match its nodeSelector or node affinity \(gpu-a: nodeSelector nvidia.com\/gpu.product=H100: the node has nvidia.com\/gpu.product=NVIDIA-A100-SXM4-80GB\)/,
  );
});

test('cordoning a node changes cached obstacles', () => {
  const index = tainted();
  index.upsertPod(pod('web', 'big', { 'nvidia.com/gpu': '4' }, { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists' }] }));
  assert.doesNotMatch(index.table().waiting[0].reason, /cordoned/);
  const cordoned = node('gpu-b', { 'nvidia.com/gpu': '4' }, { taints: [gpuTaint] });
  cordoned.spec = { ...cordoned.spec, unschedulable: true };
  index.upsertNode(cordoned);
  assert.match(index.table().waiting[0].reason, /1 node is cordoned/);
});

test('MIG profiles and several vendors are separate resources', () => {
  const index = new GpuIndex({ extraResources: ['gpu.intel.com/i915'] });
  index.upsertNode(node('mig-1', { 'nvidia.com/mig-1g.10gb': '7', 'nvidia.com/mig-3g.40gb': '2' }, { labels: { 'nvidia.com/mig.product': 'A100-MIG' } }));
  index.upsertNode(node('amd-1', { 'amd.com/gpu': '8' }, { labels: { 'amd.com/gpu.product-name': 'MI300X' } }));
  index.upsertNode(node('intel-1', { 'gpu.intel.com/i915': '1', 'example.com/fpga': '2' }));
  index.upsertPod(pod('ml', 'slice', { 'nvidia.com/mig-1g.10gb': '3' }, { node: 'mig-1' }));
  index.upsertPod(pod('ml', 'rocm', { 'amd.com/gpu': '2' }, { node: 'amd-1' }));
  index.upsertPod(pod('ml', 'wants-nvidia', { 'nvidia.com/gpu': '1' }));
  const t = index.table();
  assert.deepEqual(
    t.resources.map((r) => [r.resource, r.allocatable, r.requested, r.free]),
    [
      ['amd.com/gpu', 8, 2, 6],
      ['gpu.intel.com/i915', 1, 0, 1],
      ['nvidia.com/mig-1g.10gb', 7, 3, 4],
      ['nvidia.com/mig-3g.40gb', 2, 0, 2],
    ],
  );
  assert.deepEqual(t.nodes.map((n) => [n.name, n.model]), [
    ['amd-1', 'MI300X'],
    ['intel-1', undefined],
    ['mig-1', 'A100-MIG'],
  ]);
  assert.match(t.waiting[0].reason, /^needs 1 nvidia.com\/gpu; no node offers nvidia.com\/gpu/);
  index.upsertNode(node('amd-1', {}));
  assert.deepEqual(index.table().nodes.map((n) => n.name), ['intel-1', 'mig-1'], 'a node that loses its GPUs leaves the table');
  index.deleteNode('mig-1');
  assert.deepEqual(index.table().nodes.map((n) => n.name), ['intel-1']);
});

test('quotas: used from status, else from the pods seen; non-GPU quotas ignored', () => {
  const index = tainted();
  const quota = (name: string, hard: Record<string, string>, used?: Record<string, string>): ResourceQuotaShape => ({
    metadata: { namespace: 'ml', name },
    spec: { hard },
    status: used ? { hard, used } : undefined,
  });
  index.upsertQuota(quota('gpus', { 'requests.nvidia.com/gpu': '8', 'requests.cpu': '10' }, { 'requests.nvidia.com/gpu': '6', 'requests.cpu': '1' }));
  index.upsertQuota(quota('fresh', { 'requests.nvidia.com/gpu': '16' }));
  index.upsertQuota(quota('cpu-only', { 'requests.cpu': '10' }));
  index.upsertQuota({ metadata: { namespace: 'empty', name: 'gpus' }, spec: { hard: { 'requests.amd.com/gpu': '2' } } });
  let t = index.table();
  assert.deepEqual(t.namespaces.find((n) => n.namespace === 'ml')?.quotas, [
    { quota: 'gpus', resource: 'nvidia.com/gpu', hard: 8, used: 6 },
    { quota: 'fresh', resource: 'nvidia.com/gpu', hard: 16, used: 8 },
  ]);
  assert.deepEqual(t.namespaces.find((n) => n.namespace === 'empty'), {
    namespace: 'empty',
    requested: [],
    held: [],
    waitingFor: [],
    quotas: [{ quota: 'gpus', resource: 'amd.com/gpu', hard: 2, used: 0 }],
    holding: 0,
    waiting: 0,
  });
  index.deleteQuota({ metadata: { namespace: 'empty', name: 'gpus' } });
  t = index.table();
  assert.deepEqual(t.namespaces.map((n) => n.namespace), ['ml', 'web']);
});

test('events: the newest FailedScheduling wins; events about an earlier pod of that name are ignored', () => {
  const index = tainted();
  const uid = 'web-big';
  index.upsertEvent(failedScheduling('web', 'big', '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.', '2026-11-22T01:00:00Z', uid));
  index.upsertEvent(failedScheduling('web', 'big', "0/3 nodes are available: 3 node(s) had untolerated taint {nvidia.com/gpu: present}.", '2026-11-22T01:05:00Z', uid));
  index.upsertEvent(failedScheduling('web', 'big', '0/9 nodes are available: from an earlier pod.', '2026-11-22T02:00:00Z', 'old-uid'));
  index.upsertEvent({ metadata: { namespace: 'web', name: 'x' }, involvedObject: { kind: 'Pod', name: 'big', namespace: 'web' }, reason: 'Scheduled', message: 'ignored' });
  const w = index.table().waiting[0];
  assert.equal(w.scheduler, '0/3 nodes are available: 3 node(s) had untolerated taint {nvidia.com/gpu: present}.');
  assert.match(w.reason, /scheduler: 0 of 3 nodes can take the pod: 3 nodes have the taint nvidia.com\/gpu=present/);
  index.deleteEvent(failedScheduling('web', 'big', '', '2026-11-22T01:05:00Z'));
  assert.equal(index.table().waiting[0].scheduler, '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.');
});

test('owners: ReplicaSets are shown as their Deployment', () => {
  const index = new GpuIndex();
  const p = pod('ml', 'serve-7d9f8-abcde', { 'nvidia.com/gpu': '1' }, { node: 'n' });
  p.metadata = {
    ...p.metadata,
    labels: { 'pod-template-hash': '7d9f8' },
    ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'serve-7d9f8', uid: 'u', controller: true }],
  };
  const j = pod('ml', 'train-x', { 'nvidia.com/gpu': '1' }, { node: 'n' });
  j.metadata = { ...j.metadata, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'train', uid: 'j', controller: true }] };
  index.upsertPod(p);
  index.upsertPod(j);
  assert.deepEqual(index.table().holders.map((h) => h.owner), [
    { kind: 'Deployment', name: 'serve' },
    { kind: 'Job', name: 'train' },
  ]);
});

test('waiting rows are kept while nothing they depend on changes', () => {
  const index = new GpuIndex();
  index.upsertNode(node('gpu-a', { 'nvidia.com/gpu': '8' }));
  index.upsertNode(node('gpu-b', { 'nvidia.com/gpu': '8' }));
  index.upsertPod(pod('ml', 'a1', { 'nvidia.com/gpu': '4' }, { node: 'gpu-a' }));
  index.upsertPod(pod('ml', 'huge', { 'nvidia.com/gpu': '16' }));
  const first = index.table().waiting[0];
  index.upsertPod(pod('ml', 'b1', { 'nvidia.com/gpu': '1' }, { node: 'gpu-b' }));
  const second = index.table();
  assert.equal(second.waiting[0], first, 'a holder on another node does not touch the waiting row');
  assert.equal(second.holders.length, 2);
  index.upsertNode(node('gpu-c', { 'nvidia.com/gpu': '16' }));
  const third = index.table().waiting[0];
  assert.notEqual(third, first);
  assert.match(third.reason, /^needs 16 nvidia.com\/gpu; node gpu-c has 16 free/);
});

test('GPUs in the capacity but not allocatable are shown as unavailable', () => {
  const index = new GpuIndex();
  const sick = node('gpu-a', { 'nvidia.com/gpu': '0' });
  sick.status = { ...sick.status, capacity: { 'nvidia.com/gpu': '4' } };
  index.upsertNode(sick);
  const partly = node('gpu-b', { 'nvidia.com/gpu': '3' });
  partly.status = { ...partly.status, capacity: { 'nvidia.com/gpu': '4' } };
  index.upsertNode(partly);
  index.upsertPod(pod('ml', 'p', { 'nvidia.com/gpu': '4' }));
  const t = index.table();
  assert.deepEqual(t.nodes.map((n) => [n.name, n.slots[0].allocatable, n.unavailable]), [
    ['gpu-a', 0, [{ resource: 'nvidia.com/gpu', count: 4 }]],
    ['gpu-b', 3, [{ resource: 'nvidia.com/gpu', count: 1 }]],
  ]);
  assert.deepEqual(t.resources.map((r) => [r.allocatable, r.nodes, r.largestAllocatable]), [[3, 1, 3]]);
  assert.match(t.waiting[0].reason, /^needs 4 nvidia.com\/gpu; no node has more than 3 in total/);
  index.upsertNode(node('gpu-a', { 'nvidia.com/gpu': '4' }));
  assert.equal(index.table().nodes[0].unavailable, undefined, 'healthy again');
});
