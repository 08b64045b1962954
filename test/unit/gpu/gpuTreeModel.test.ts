import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildGpuTree, heldAndWaiting, usageBar, type GpuTreeNode } from '../../../src/ui/gpu/gpuTreeModel';
import { GpuIndex } from '../../../src/gpu/gpuIndex';
import { ExplainedError } from '../../../src/kube/errors';
import type { EventShape, NodeShape, PodShape } from '../../../src/gpu/shapes';
import type { ClusterExplorer } from '../../../src/ui/session/explorer';
import type { GpuFeedSource } from '../../../src/ui/gpu/contextGpuFeed';
import type { PreflightSource } from '../../../src/ui/gpu/preflightLens';
import { recorded } from './fixtures/recorded';

// The composition root hands the Cluster view's explorer to the GPU feed: keep them compatible.
export const explorerIsAGpuFeedSource: (e: ClusterExplorer) => GpuFeedSource = (e) => e;
export const explorerIsAPreflightSource: (e: ClusterExplorer) => PreflightSource = (e) => e;

const now = Date.parse('2026-11-22T02:57:44Z');
const idle = { listing: [], failures: [], limits: [] };

function recordedIndex(): GpuIndex {
  const index = new GpuIndex();
  index.upsertNode(recorded<NodeShape>('node-with-gpu-capacity'));
  index.upsertPod(recorded<PodShape>('pod-gpu-fits'));
  index.upsertPod(recorded<PodShape>('pod-gpu-too-big'));
  for (const e of recorded<{ items: EventShape[] }>('pod-pending-gpu-events').items) index.upsertEvent(e);
  return index;
}

function find(nodes: readonly GpuTreeNode[], id: string): GpuTreeNode | undefined {
  for (const n of nodes) {
    if (n.id === id) return n;
    const inner = 'children' in n ? find(n.children, id) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

test('usage bars', () => {
  assert.equal(usageBar(2, 4), '█████░░░░░ 2/4');
  assert.equal(usageBar(0, 8), '░░░░░░░░░░ 0/8');
  assert.equal(usageBar(9, 8), '██████████ 9/8');
  assert.equal(usageBar(1, 0), '1/0');
});

test('the recorded cluster: node bar, holder with age, waiting pod with its reason', () => {
  const roots = buildGpuTree(recordedIndex().table(), idle, now);
  assert.deepEqual(roots.map((r) => r.id), ['nodes', 'namespaces', 'holders', 'waiting']);
  const nodes = roots[0];
  assert.equal(nodes.type === 'section' && nodes.description, '2/4 nvidia.com/gpu');
  const vm = find(roots, 'node:vm');
  assert.ok(vm?.type === 'node');
  assert.equal(vm.description, '█████░░░░░ 2/4');
  assert.match(vm.tooltip, /nvidia.com\/gpu: 2 requested of 4, 2 free/);
  const holder = find(roots, 'holder:samples/gpu-fits');
  assert.ok(holder?.type === 'holder');
  assert.equal(holder.description, 'samples · 2 nvidia.com/gpu · 60m');
  assert.equal(holder.idle, false);
  assert.ok(find(roots, 'node:vm:pod:samples/gpu-fits'), 'holders also appear under their node');
  const waiting = find(roots, 'waiting:samples/gpu-too-big');
  assert.ok(waiting?.type === 'waiting');
  assert.equal(waiting.description, 'samples · needs 8 nvidia.com/gpu · waiting 60m');
  assert.deepEqual(waiting.children.map((c) => c.type === 'message' && c.label), [
    'needs 8 nvidia.com/gpu',
    'no node has more than 4 in total',
    'scheduler: 0 of 1 node can take the pod: 1 node does not have enough free nvidia.com/gpu',
  ]);
  assert.match(waiting.tooltip, /scheduler said: 0\/1 nodes are available: 1 Insufficient nvidia.com\/gpu/);
  const ns = find(roots, 'ns:samples');
  assert.equal(ns?.type === 'namespace' && ns.description, '2 nvidia.com/gpu held · 8 waiting', 'held and waiting apart, not added up');
  assert.equal(ns?.type === 'namespace' && ns.tooltip, 'samples: 1 pod holding 2 nvidia.com/gpu\n1 pod waiting for 8 nvidia.com/gpu');
});

test('held and waiting GPUs of a namespace, per resource', () => {
  const one = [{ resource: 'nvidia.com/gpu', count: 1 }];
  assert.deepEqual(heldAndWaiting({ held: one, waitingFor: [{ resource: 'nvidia.com/gpu', count: 8 }] }), ['1 nvidia.com/gpu held', '8 waiting']);
  assert.deepEqual(heldAndWaiting({ held: [], waitingFor: [{ resource: 'nvidia.com/gpu', count: 8 }] }), ['8 nvidia.com/gpu waiting']);
  assert.deepEqual(heldAndWaiting({ held: one, waitingFor: [{ resource: 'nvidia.com/mig-1g.10gb', count: 2 }] }), ['1 nvidia.com/gpu held', '2 nvidia.com/mig-1g.10gb waiting']);
  assert.deepEqual(heldAndWaiting({ held: [], waitingFor: [] }), ['no GPU pods']);
});

test('failures and listing come first; an empty cluster says so', () => {
  const error = new ExplainedError({ reason: 'Forbidden', what: 'List nodes', why: 'nodes are forbidden to you', remedy: 'ask for a ClusterRole', status: 403 });
  const roots = buildGpuTree(new GpuIndex().table(), { listing: ['Pod'], failures: [{ kind: 'Node', error }], limits: [] }, now);
  assert.deepEqual(roots.slice(0, 2).map((r) => r.type === 'message' && [r.severity, r.label]), [
    ['error', 'Node: nodes are forbidden to you'],
    ['loading', 'Loading Pod…'],
  ]);
  assert.equal(find(roots, 'nodes:none')?.type, 'message');
});

test('not-ready holders and full quotas stand out; nodes with several resources list each', () => {
  const index = new GpuIndex();
  index.upsertNode({ metadata: { name: 'mig' }, status: { allocatable: { 'nvidia.com/mig-1g.10gb': '7', 'nvidia.com/mig-3g.40gb': '2' }, conditions: [{ type: 'Ready', status: 'True' }] } });
  index.upsertPod({
    metadata: { namespace: 'ml', name: 'stuck', creationTimestamp: '2026-11-22T02:00:00Z' },
    spec: { nodeName: 'mig', containers: [{ resources: { limits: { 'nvidia.com/mig-3g.40gb': '2' } } }] },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False' }] },
  });
  index.upsertQuota({
    metadata: { namespace: 'ml', name: 'gpus' },
    spec: { hard: { 'requests.nvidia.com/mig-3g.40gb': '2' } },
    status: { hard: { 'requests.nvidia.com/mig-3g.40gb': '2' }, used: { 'requests.nvidia.com/mig-3g.40gb': '2' } },
  });
  const roots = buildGpuTree(index.table(), idle, now);
  const holder = find(roots, 'holder:ml/stuck');
  assert.ok(holder?.type === 'holder' && holder.idle);
  assert.match(holder.tooltip, /Running — not ready, its GPUs may sit idle/);
  const holders = roots.find((r) => r.id === 'holders');
  assert.equal(holders?.type === 'section' && holders.description, '1 · 1 not ready');
  const ns = find(roots, 'ns:ml');
  assert.ok(ns?.type === 'namespace' && ns.overQuota);
  assert.equal(find(roots, 'ns:ml:quota:gpus:nvidia.com/mig-3g.40gb')?.type === 'quota', true);
  const slot = find(roots, 'node:mig:nvidia.com/mig-1g.10gb');
  assert.equal(slot?.type === 'slot' && slot.description, '░░░░░░░░░░ 0/7 · 7 free');
  const mig = find(roots, 'node:mig');
  assert.equal(mig?.type === 'node' && mig.description, '░░░░░░░░░░ 0/7 +1');
});

test('a node whose GPUs are not allocatable says so', () => {
  const index = new GpuIndex();
  index.upsertNode({
    metadata: { name: 'gpu-a' },
    status: { capacity: { 'nvidia.com/gpu': '4' }, allocatable: { 'nvidia.com/gpu': '0' }, conditions: [{ type: 'Ready', status: 'True' }] },
  });
  const n = find(buildGpuTree(index.table(), idle, now), 'node:gpu-a');
  assert.ok(n?.type === 'node');
  assert.equal(n.description, '0/0 · 4 nvidia.com/gpu unavailable');
  assert.match(n.tooltip, /check the device plugin/);
});

test("a cluster that could not be read: one row per cause and the next step, no sections that read as facts", () => {
  const server = 'https://10.0.0.1:6443';
  const unreachable = (what: string) => new ExplainedError({ reason: 'Unreachable', what, why: `the cluster at ${server} did not answer (ECONNREFUSED)`, remedy: 'Check the VPN, then retry', server, context: 'dev' });
  const failures = (['Node', 'Pod', 'ResourceQuota', 'Event'] as const).map((kind) => ({ kind, error: unreachable(`Watch ${kind}`) }));
  const roots = buildGpuTree(new GpuIndex().table(), { listing: [], failures, limits: [] }, now);
  assert.deepEqual(roots.map((r) => r.type === 'message' && [r.severity, r.label, r.retry]), [
    ['error', `Cannot reach the cluster of context "dev": the cluster at ${server} did not answer (ECONNREFUSED)`, true],
    ['info', 'Next: Check the VPN, then retry', true],
  ]);
  assert.equal(find(roots, 'nodes:none'), undefined, 'no "No node offers GPUs"');
  assert.equal(find(roots, 'namespaces'), undefined, 'no "Namespaces 0"');
});

test("without the right to list nodes or pods everywhere: the readable namespaces' GPU pods, capacity unknown, said once", () => {
  const refused = (what: string) => new ExplainedError({ reason: 'Forbidden', what, why: `user "jane" may not ${what}`, remedy: 'Ask a cluster admin for ClusterRole "tether-gpus-cluster"', status: 403 });
  const index = new GpuIndex();
  index.upsertPod(recorded<PodShape>('pod-gpu-fits'));
  index.upsertPod(recorded<PodShape>('pod-gpu-too-big'));
  const limits = [
    { kind: 'Node' as const, error: refused('list nodes') },
    { kind: 'Pod' as const, error: refused('list pods'), namespaces: ['samples'] },
    { kind: 'ResourceQuota' as const, error: refused('list resourcequotas'), namespaces: ['samples'] },
  ];
  const roots = buildGpuTree(index.table(), { listing: [], failures: [], limits }, now);
  assert.deepEqual(roots.filter((r) => r.type === 'message').map((r) => r.type === 'message' && [r.severity, r.label]), [
    ['info', 'GPU capacity unknown: you may not list nodes'],
    ['info', 'Only namespace samples: you may not list pods, quotas in every namespace'],
  ]);
  assert.equal(find(roots, 'nodes:unknown')?.type, 'message');
  assert.equal(find(roots, 'nodes:none'), undefined, 'no "No node offers GPUs" when nodes cannot be read');
  const holders = roots.find((r) => r.id === 'holders');
  assert.equal(holders?.type === 'section' && holders.description, '1');
  assert.ok(find(roots, 'waiting:samples/gpu-too-big'), 'the namespace\'s waiting pod is shown');
});
