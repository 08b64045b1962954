import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expectOne, lint, only } from './diagnose';
import { applyEdits } from '../../../src/manifests/fixes';
import { nodeFacts } from '../../../src/manifests/cluster';
import type { ClusterFacts } from '../../../src/manifests/types';
import { kubeApiJson } from '../../fixtures/kubeApi';

const gpuPod = (resources: string, extra = '') => `apiVersion: v1
kind: Pod
metadata:
  name: train
spec:
${extra}  containers:
    - name: trainer
      image: nvcr.io/nvidia/pytorch:24.10-py3
      resources:
${resources}`;

test('GPU counts must be whole numbers', () => {
  const text = gpuPod('        limits:\n          nvidia.com/gpu: 0.5\n          amd.com/gpu: 500m\n');
  const diags = only(lint(text), 'gpu-whole-number');
  assert.equal(diags.length, 2);
  assert.match(diags[0].message, /nvidia.com\/gpu must be a whole number/);
  assert.equal(lint(gpuPod('        limits:\n          nvidia.com/gpu: "2"\n')).filter((d) => d.ruleId.startsWith('gpu-')).length, 0);
});

test('a GPU request needs a limit', () => {
  const text = gpuPod('        requests:\n          nvidia.com/gpu: 1\n');
  const d = expectOne(lint(text), 'gpu-limit-missing', text, 'nvidia.com/gpu');
  assert.match(d.message, /set limits.nvidia.com\/gpu: 1/);
});

test('GPU request must equal limit; the fix sets the request and re-validates clean', () => {
  const text = gpuPod('        requests:\n          nvidia.com/gpu: 1\n        limits:\n          nvidia.com/gpu: 2\n');
  const [d] = only(lint(text), 'gpu-request-equals-limit');
  // The range covers exactly the request value.
  const at = text.indexOf('nvidia.com/gpu: 1') + 'nvidia.com/gpu: '.length;
  assert.deepEqual([d.start, d.end, d.range.start], [at, at + 1, { line: 10, character: 26 }]);
  const fixed = applyEdits(text, d.fixes![0].edits);
  assert.match(fixed, /requests:\n {10}nvidia.com\/gpu: 2/);
  assert.equal(lint(fixed).filter((x) => x.ruleId.startsWith('gpu-')).length, 0);
});

test('unknown MIG profile names, with the nearest real one', () => {
  const text = gpuPod('        limits:\n          nvidia.com/mig-1g.11gb: 1\n          nvidia.com/mig-3g.40gb: 1\n');
  const d = expectOne(lint(text), 'gpu-mig-profile-unknown', text, 'nvidia.com/mig-1g.11gb');
  assert.match(d.message, /did you mean "nvidia.com\/mig-1g.10gb"/);
});

function clusterFacts(): ClusterFacts {
  return { nodes: nodeFacts([kubeApiJson('node-with-gpu-capacity.json')]) };
}

test('cluster-aware: a request larger than any node\'s allocatable (recorded node with 4 GPUs)', () => {
  const cluster = clusterFacts();
  assert.equal(cluster.nodes[0].allocatable['nvidia.com/gpu'], '4');
  const big = gpuPod('        limits:\n          nvidia.com/gpu: 8\n');
  const d = expectOne(lint(big, { cluster }), 'gpu-request-exceeds-node', big, 'train');
  assert.match(d.message, /asks for 8 nvidia.com\/gpu but the largest node offers 4/);
  const fits = gpuPod('        limits:\n          nvidia.com/gpu: 4\n');
  assert.equal(only(lint(fits, { cluster }), 'gpu-request-exceeds-node').length, 0);
  // Without cluster facts the rule stays quiet.
  assert.equal(only(lint(big), 'gpu-request-exceeds-node').length, 0);
});

test('cluster-aware: tainted GPU nodes need a toleration; labelled ones a selector', () => {
  const cluster: ClusterFacts = {
    nodes: [
      { name: 'cpu-1', labels: {}, taints: [], allocatable: { cpu: '8' } },
      { name: 'gpu-1', labels: { 'nvidia.com/gpu.product': 'A100' }, taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }], allocatable: { 'nvidia.com/gpu': '8' } },
    ],
  };
  const bare = gpuPod('        limits:\n          nvidia.com/gpu: 1\n');
  const diags = lint(bare, { cluster });
  assert.match(expectOne(diags, 'gpu-toleration-missing', bare, 'train').message, /nvidia.com\/gpu:NoSchedule/);
  expectOne(diags, 'gpu-selector-missing', bare, 'train');
  const tolerated = gpuPod('        limits:\n          nvidia.com/gpu: 1\n', '  tolerations:\n    - key: nvidia.com/gpu\n      operator: Exists\n  nodeSelector:\n    nvidia.com/gpu.product: A100\n');
  const ok = lint(tolerated, { cluster });
  assert.equal(only(ok, 'gpu-toleration-missing').length + only(ok, 'gpu-selector-missing').length, 0);
});

test('the missing-limit fix adds the limit in block and flow style, and re-validates clean', () => {
  for (const resources of [
    '        requests:\n          nvidia.com/gpu: 2\n',
    '        requests:\n          nvidia.com/gpu: 2\n        limits:\n          memory: 1Gi\n',
    '        requests: { nvidia.com/gpu: 2 }\n        limits: { memory: 1Gi }\n',
  ]) {
    const text = gpuPod(resources);
    const [d] = only(lint(text), 'gpu-limit-missing');
    assert.ok(d.fixes, resources);
    const fixed = applyEdits(text, d.fixes[0].edits);
    const after = lint(fixed);
    assert.deepEqual(after.filter((x) => x.ruleId.startsWith('gpu-') || x.ruleId.startsWith('yaml-') || x.ruleId.startsWith('schema-')), [], fixed);
    assert.match(fixed, /nvidia.com\/gpu: 2[\s\S]*limits:[\s\S]*nvidia.com\/gpu: 2/);
  }
});
