import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatTaint,
  nodeAffinityMismatch,
  nodeSelectorMismatch,
  schedulingTaints,
  tolerates,
  untoleratedTaint,
} from '../../../src/gpu/placement';
import type { NodeShape, Taint } from '../../../src/gpu/shapes';

const gpuTaint: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

test('Equal needs key and value; Exists needs only the key', () => {
  assert.ok(tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }, gpuTaint));
  assert.ok(tolerates({ key: 'nvidia.com/gpu', value: 'present' }, gpuTaint), 'operator defaults to Equal, any effect');
  assert.ok(!tolerates({ key: 'nvidia.com/gpu', operator: 'Equal', value: 'absent' }, gpuTaint));
  assert.ok(tolerates({ key: 'nvidia.com/gpu', operator: 'Exists' }, gpuTaint));
  assert.ok(tolerates({ operator: 'Exists' }, gpuTaint), 'an empty key with Exists tolerates everything');
  assert.ok(!tolerates({ key: 'other', operator: 'Exists' }, gpuTaint));
});

test('the toleration effect must match when set', () => {
  assert.ok(!tolerates({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoExecute' }, gpuTaint));
  assert.ok(tolerates({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }, gpuTaint));
});

test('PreferNoSchedule does not keep pods off; cordoned nodes do', () => {
  const node: NodeShape = {
    spec: {
      unschedulable: true,
      taints: [gpuTaint, { key: 'soft', effect: 'PreferNoSchedule' }, { key: 'evict', effect: 'NoExecute' }],
    },
  };
  assert.deepEqual(schedulingTaints(node).map(formatTaint), [
    'nvidia.com/gpu=present:NoSchedule',
    'evict:NoExecute',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  assert.equal(untoleratedTaint(schedulingTaints(node), [{ operator: 'Exists' }]), undefined);
  assert.deepEqual(untoleratedTaint(schedulingTaints(node), [{ key: 'nvidia.com/gpu', operator: 'Exists' }]), {
    key: 'evict',
    effect: 'NoExecute',
  });
});

test('nodeSelector: every label must be equal', () => {
  const labels = { 'nvidia.com/gpu.product': 'A100', zone: 'a' };
  assert.equal(nodeSelectorMismatch(labels, { zone: 'a' }), undefined);
  assert.equal(nodeSelectorMismatch(labels, undefined), undefined);
  assert.match(nodeSelectorMismatch(labels, { zone: 'b' }) ?? '', /zone=b: the node has zone=a/);
  assert.match(nodeSelectorMismatch(labels, { pool: 'x' }) ?? '', /the node has no label pool/);
});

const node = (labels: Record<string, string>, name = 'gpu-a'): NodeShape => ({ metadata: { name, labels } });
const required = (...terms: object[]) => ({ requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } });
const expr = (key: string, operator: string, values?: string[]) => ({ matchExpressions: [{ key, operator, values }] });

test('node affinity operators In, NotIn, Exists, DoesNotExist', () => {
  const n = node({ product: 'A100', zone: 'a' });
  assert.equal(nodeAffinityMismatch(n, required(expr('product', 'In', ['A100', 'H100']))), undefined);
  assert.match(nodeAffinityMismatch(n, required(expr('product', 'In', ['H100']))) ?? '', /product In \[H100\] but the node has product=A100/);
  assert.equal(nodeAffinityMismatch(n, required(expr('product', 'NotIn', ['T4']))), undefined);
  assert.equal(nodeAffinityMismatch(n, required(expr('missing', 'NotIn', ['T4']))), undefined, 'NotIn passes without the label');
  assert.ok(nodeAffinityMismatch(n, required(expr('product', 'NotIn', ['A100']))));
  assert.equal(nodeAffinityMismatch(n, required(expr('zone', 'Exists'))), undefined);
  assert.ok(nodeAffinityMismatch(n, required(expr('pool', 'Exists'))));
  assert.equal(nodeAffinityMismatch(n, required(expr('pool', 'DoesNotExist'))), undefined);
  assert.ok(nodeAffinityMismatch(n, required(expr('zone', 'DoesNotExist'))));
});

test('node affinity Gt and Lt compare integers', () => {
  const n = node({ 'nvidia.com/gpu.memory': '81920', 'nvidia.com/gpu.count': '8' });
  assert.equal(nodeAffinityMismatch(n, required(expr('nvidia.com/gpu.memory', 'Gt', ['40000']))), undefined);
  assert.ok(nodeAffinityMismatch(n, required(expr('nvidia.com/gpu.memory', 'Gt', ['81920']))));
  assert.equal(nodeAffinityMismatch(n, required(expr('nvidia.com/gpu.count', 'Lt', ['9']))), undefined);
  assert.ok(nodeAffinityMismatch(n, required(expr('nvidia.com/gpu.count', 'Lt', ['8']))));
  assert.match(nodeAffinityMismatch(n, required(expr('nvidia.com/gpu.count', 'Gt', ['a']))) ?? '', /exactly one integer/);
  assert.ok(nodeAffinityMismatch(node({ x: 'big' }), required(expr('x', 'Gt', ['1']))));
});

test('terms are ORed, expressions inside a term ANDed; matchFields on metadata.name', () => {
  const n = node({ zone: 'a', product: 'T4' }, 'gpu-b');
  const both = { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }, { key: 'product', operator: 'In', values: ['A100'] }] };
  assert.ok(nodeAffinityMismatch(n, required(both)), 'AND within a term');
  assert.equal(nodeAffinityMismatch(n, required(both, expr('product', 'In', ['T4']))), undefined, 'OR across terms');
  assert.equal(nodeAffinityMismatch(n, required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-b'] }] })), undefined);
  assert.ok(nodeAffinityMismatch(n, required({ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['gpu-a'] }] })));
  assert.ok(nodeAffinityMismatch(n, required({})), 'an empty term matches nothing');
  assert.ok(nodeAffinityMismatch(n, required()), 'no terms match nothing');
  assert.match(nodeAffinityMismatch(n, required(expr('zone', 'Like', ['a']))) ?? '', /unknown operator "Like"/);
});
