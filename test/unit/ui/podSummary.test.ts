import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarizePod, describePodRow, summarizeContainer, shortSchedulingReason, hasPreviousRun } from '../../../src/ui/views/podSummary';
import type { KubeObject } from '../../../src/kube/types';
import { sample, sampleItems } from './fixtures/samples';

test('CrashLoopBackOff with its exit code', () => {
  const s = summarizePod(sample('pod-crashloop'));
  assert.equal(s.reason, 'CrashLoopBackOff');
  assert.equal(s.health, 'error');
  assert.equal(s.restarts, 3);
  assert.equal(`${s.ready}/${s.total}`, '0/1');
  assert.match(s.message ?? '', /exit code 3/);
  assert.equal(s.exit, 'exit 3');
  assert.equal(describePodRow(s, '5m'), 'CrashLoopBackOff · exit 3 · 0/1 · 3 restarts · 5m', 'the exit code is on the row, not only in the tooltip');
});

test('OOMKilled behind a CrashLoopBackOff is the reason that matters', () => {
  const s = summarizePod(sample('pod-oom'));
  assert.equal(s.reason, 'OOMKilled');
  assert.equal(s.health, 'error');
  assert.match(s.message ?? '', /memory/);
  assert.match(s.message ?? '', /137/);
  assert.match(describePodRow(s, undefined), /^OOMKilled · exit 137 · /);
});

test('an image that cannot be pulled', () => {
  const s = summarizePod(sample('pod-image-missing'));
  assert.equal(s.reason, 'ErrImageNeverPull');
  assert.equal(s.health, 'error');
  assert.match(s.message ?? '', /not-here:1\.0/);
});

test('Pending with the scheduler reason and GPU count', () => {
  const s = summarizePod(sample('pod-gpu-too-big'));
  assert.equal(s.phase, 'Pending');
  assert.equal(s.reason, 'Unschedulable');
  assert.equal(s.health, 'warning');
  assert.match(s.message ?? '', /Insufficient nvidia\.com\/gpu/);
  assert.equal(s.gpus.total, 8);
});

test('running ready pods are ok', () => {
  for (const pod of sampleItems('pods-web-running')) {
    const s = summarizePod(pod);
    assert.equal(s.health, 'ok', pod.metadata.name);
    assert.equal(s.reason, undefined);
    assert.equal(describePodRow(s, undefined), 'Running · 1/1');
  }
});

const pod = (status: unknown, extra: Partial<KubeObject> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'n', uid: 'u', resourceVersion: '1' },
  spec: { containers: [{ name: 'c' }] },
  status,
  ...extra,
});

test('terminating wins over everything', () => {
  const p = pod({ phase: 'Running' });
  p.metadata.deletionTimestamp = '2026-01-01T00:00:00Z';
  assert.equal(summarizePod(p).reason, 'Terminating');
});

test('evicted pods carry the status reason', () => {
  const s = summarizePod(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' }));
  assert.equal(s.reason, 'Evicted');
  assert.equal(s.health, 'error');
});

test('completed pods', () => {
  const s = summarizePod(pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }));
  assert.equal(s.reason, 'Completed');
  assert.equal(s.health, 'succeeded');
});

test('failed container in a failed pod is an error', () => {
  const s = summarizePod(pod({ phase: 'Failed', containerStatuses: [{ name: 'c', state: { terminated: { exitCode: 2, reason: 'Error' } } }] }));
  assert.equal(s.reason, 'Error');
  assert.equal(s.health, 'error');
  assert.equal(describePodRow(s, undefined), 'Error · exit 2 · 0/1');
});

test('init containers: progress and failures', () => {
  const spec = { containers: [{ name: 'c' }], initContainers: [{ name: 'a' }, { name: 'b' }] };
  const running = pod(
    {
      phase: 'Pending',
      initContainerStatuses: [
        { name: 'a', state: { terminated: { exitCode: 0, reason: 'Completed' } } },
        { name: 'b', state: { running: {} } },
      ],
      containerStatuses: [{ name: 'c', state: { waiting: { reason: 'PodInitializing' } } }],
    },
    { spec },
  );
  assert.equal(summarizePod(running).reason, 'Init:1/2');
  const failing = pod(
    {
      phase: 'Pending',
      initContainerStatuses: [{ name: 'a', restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1 } } }],
    },
    { spec },
  );
  const s = summarizePod(failing);
  assert.equal(s.reason, 'Init:CrashLoopBackOff');
  assert.equal(s.health, 'error');
  assert.equal(s.restarts, 2);
});

test('running but not ready is progressing', () => {
  const s = summarizePod(pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: false, state: { running: {} } }], conditions: [{ type: 'Ready', status: 'False', message: 'containers with unready status: [c]' }] }));
  assert.equal(s.reason, 'NotReady');
  assert.equal(s.health, 'progressing');
});

test('container rows', () => {
  assert.deepEqual(summarizeContainer({ name: 'c', ready: true, state: { running: {} } }), { text: 'ready', health: 'ok' });
  assert.equal(summarizeContainer(undefined).text, 'not started');
  const crash = summarizeContainer(
    (sample('pod-crashloop').status as { containerStatuses: [never] }).containerStatuses[0],
  );
  assert.equal(crash.text, 'CrashLoopBackOff · exit 3 · 3 restarts');
  assert.equal(crash.health, 'error');
});

test('the scheduler reason in a few words, on the row', () => {
  const s = summarizePod(sample('pod-gpu-too-big'));
  assert.equal(s.detail, '1 Insufficient nvidia.com/gpu');
  assert.equal(describePodRow(s, '2m'), 'Unschedulable: 1 Insufficient nvidia.com/gpu · 0/1 · 2m');
  assert.equal(
    shortSchedulingReason('0/3 nodes are available: 1 node(s) had untolerated taint {nvidia.com/gpu: }, 2 Insufficient nvidia.com/gpu.'),
    '1 node(s) had untolerated taint {nvidia.com/gpu: }, 2 Insufficient nvidia.com/gpu',
  );
  assert.equal(shortSchedulingReason('no nodes available to schedule pods'), 'no nodes available to schedule pods');
  assert.equal(shortSchedulingReason(undefined), undefined);
  assert.ok((shortSchedulingReason(`0/9 nodes are available: ${'x'.repeat(200)}.`) ?? '').length <= 100);
});

test('a restarted container that is not running has a previous run worth reading', () => {
  assert.equal(hasPreviousRun(sample('pod-crashloop'), 'c'), true);
  assert.equal(hasPreviousRun(sample('pod-oom'), 'c'), true);
  assert.equal(hasPreviousRun(sample('pod-image-missing'), 'c'), false, 'never ran');
  assert.equal(hasPreviousRun(sampleItems('pods-web-running')[0], 'node'), false, 'running fine');
  assert.equal(hasPreviousRun(sample('pod-crashloop'), 'nope'), false);
});
