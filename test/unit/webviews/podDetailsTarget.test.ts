import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podDetailsTarget, podKey } from '../../../src/ui/webviews/podDetailsTarget';

test('pod and container rows of the Cluster view', () => {
  assert.deepEqual(podDetailsTarget({ type: 'pod', context: 'dev', namespace: 'shop', name: 'cart-1', object: {} }, 'other'), {
    ref: { context: 'dev', namespace: 'shop', name: 'cart-1' },
  });
  assert.deepEqual(podDetailsTarget({ type: 'container', context: 'dev', namespace: 'shop', pod: 'cart-1', name: 'sidecar' }, undefined), {
    ref: { context: 'dev', namespace: 'shop', name: 'cart-1' },
    container: 'sidecar',
  });
});

test('pod rows of the GPU view are in the selected context', () => {
  const row = { type: 'waiting', id: 'w', pod: { key: 'ml/train-llm-8gpu', namespace: 'ml', name: 'train-llm-8gpu' } };
  assert.deepEqual(podDetailsTarget(row, 'sim'), { ref: { context: 'sim', namespace: 'ml', name: 'train-llm-8gpu' } });
  assert.equal(podDetailsTarget(row, undefined), undefined);
  assert.deepEqual(podDetailsTarget({ type: 'holder', pod: { namespace: 'ml', name: 'a' } }, 'sim')?.ref.name, 'a');
});

test('a plain reference; anything else is no pod', () => {
  assert.deepEqual(podDetailsTarget({ namespace: 'ml', name: 'a' }, 'sim'), { ref: { context: 'sim', namespace: 'ml', name: 'a' } });
  assert.deepEqual(podDetailsTarget({ context: 'x', namespace: 'ml', name: 'a' }, 'sim')?.ref.context, 'x');
  for (const bad of [undefined, 'cart-1', { type: 'namespace', context: 'dev', name: 'shop' }, { type: 'workload', context: 'dev', namespace: 'shop', name: 'web' }, { type: 'pod', context: 'dev', name: 'x' }]) {
    assert.equal(podDetailsTarget(bad, 'sim'), undefined, JSON.stringify(bad));
  }
});

test('one key per pod', () => {
  assert.equal(podKey({ context: 'a', namespace: 'b', name: 'c' }), podKey({ context: 'a', namespace: 'b', name: 'c' }));
  assert.notEqual(podKey({ context: 'a/b', namespace: 'c', name: 'd' }), podKey({ context: 'a', namespace: 'b/c', name: 'd' }));
});
