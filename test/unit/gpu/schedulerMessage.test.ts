import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedulerMessage, plainSchedulerMessage } from '../../../src/gpu/schedulerMessage';
import { recorded } from './fixtures/recorded';

test('recorded FailedScheduling message: preemption part dropped', () => {
  const events = recorded<{ items: { message: string }[] }>('pod-pending-gpu-events');
  const message = events.items[0].message;
  assert.deepEqual(parseSchedulerMessage(message), { available: 0, total: 1, items: [{ nodes: 1, why: 'Insufficient nvidia.com/gpu' }] });
  assert.equal(plainSchedulerMessage(message), '0 of 1 node can take the pod: 1 node does not have enough free nvidia.com/gpu');
});

test('several reasons, including the older taint wording with a comma inside', () => {
  const message =
    "0/6 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: present}, 2 node(s) had taint {dedicated: ml}, that the pod didn't tolerate, 3 Insufficient nvidia.com/gpu.";
  assert.deepEqual(parseSchedulerMessage(message)?.items.map((i) => i.nodes), [1, 2, 3]);
  assert.equal(
    plainSchedulerMessage(message),
    '0 of 6 nodes can take the pod: 1 node has the taint nvidia.com/gpu=present that the pod does not tolerate; ' +
      '2 nodes have the taint dedicated=ml that the pod does not tolerate; 3 nodes do not have enough free nvidia.com/gpu',
  );
});

test('selector, cordon and unknown reasons', () => {
  const message =
    "0/4 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 1 node(s) were unschedulable, 1 node(s) had volume node affinity conflict. preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling.";
  assert.equal(
    plainSchedulerMessage(message),
    "0 of 4 nodes can take the pod: 2 nodes do not match the pod's nodeSelector or node affinity; 1 node is cordoned; 1 node: had volume node affinity conflict",
  );
});

test('the simulator wording without a trailing period', () => {
  assert.deepEqual(parseSchedulerMessage('0/3 nodes are available: 3 Insufficient nvidia.com/gpu')?.items, [
    { nodes: 3, why: 'Insufficient nvidia.com/gpu' },
  ]);
});

test('other messages are not verdicts', () => {
  assert.equal(parseSchedulerMessage('running PreBind plugin "VolumeBinding": binding volumes: timed out'), undefined);
  assert.equal(parseSchedulerMessage(undefined), undefined);
});
