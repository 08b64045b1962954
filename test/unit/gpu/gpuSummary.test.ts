import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gpuSummary } from '../../../src/gpu/gpuSummary';
import { GpuIndex } from '../../../src/gpu/gpuIndex';
import type { EventShape, NodeShape, PodShape } from '../../../src/gpu/shapes';
import { demoCluster } from '../../sim/seed';
import { recorded } from './fixtures/recorded';

test('the recorded cluster in one line', () => {
  const index = new GpuIndex();
  index.upsertNode(recorded<NodeShape>('node-with-gpu-capacity'));
  index.upsertPod(recorded<PodShape>('pod-gpu-fits'));
  index.upsertPod(recorded<PodShape>('pod-gpu-too-big'));
  for (const e of recorded<{ items: EventShape[] }>('pod-pending-gpu-events').items) index.upsertEvent(e);
  const s = gpuSummary(index.table());
  assert.equal(s.text, '2/4 GPUs · 1 waiting');
  assert.ok(s.attention);
  assert.match(s.tooltip, /^nvidia.com\/gpu: 2 requested of 4 on 1 node, 2 free\n\nWaiting for GPUs:\nsamples\/gpu-too-big: needs 8 nvidia.com\/gpu/);
});

test('MIG slices are counted apart from whole GPUs; an empty cluster says nothing', () => {
  const index = new GpuIndex();
  for (const o of demoCluster()) if (o.kind === 'Node') index.upsertNode(o as NodeShape);
  const s = gpuSummary(index.table());
  assert.equal(s.text, '0/4 GPUs · 0/7 MIG slices');
  assert.equal(s.attention, false);
  assert.deepEqual(gpuSummary(new GpuIndex().table()), { text: '', tooltip: '', attention: false });
});

test('long waiting lists are cut', () => {
  const index = new GpuIndex();
  for (let i = 0; i < 7; i++) {
    index.upsertPod({ metadata: { namespace: 'ml', name: `p${i}` }, spec: { containers: [{ resources: { limits: { 'amd.com/gpu': '1' } } }] } });
  }
  const s = gpuSummary(index.table(), 5);
  assert.equal(s.text, '7 waiting');
  assert.match(s.tooltip, /and 2 more$/);
});
