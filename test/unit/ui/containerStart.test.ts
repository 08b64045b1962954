import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { containerNotStarted } from '../../../src/ui/views/containerStart';
import { kubeApiJson } from '../../fixtures/kubeApi';

const recorded = (name: string) => kubeApiJson(`${name}.json`) as KubeObject;

test("an unschedulable pod's container has not started, with the scheduler's reason", () => {
  const pod = recorded('pod-gpu-too-big');
  const name = (pod.spec as { containers: { name: string }[] }).containers[0].name;
  assert.equal(containerNotStarted(pod), `Container ${name} has not started: the pod is Pending, no node can take it (1 Insufficient nvidia.com/gpu)`);
  assert.equal(containerNotStarted(pod, name), containerNotStarted(pod));
});

test('an image that cannot be pulled: the waiting reason and its message', () => {
  const text = containerNotStarted(recorded('pod-image-missing'), 'c');
  assert.match(text ?? '', /^Container c has not started: ErrImageNeverPull — .*not-here:1\.0/);
});

test('a container that ran has a log: nothing to say, also while it crash-loops', () => {
  assert.equal(containerNotStarted(recorded('pod-crashloop'), 'c'), undefined);
  for (const pod of kubeApiJson('pods-web-running.json').items as KubeObject[]) assert.equal(containerNotStarted(pod), undefined);
});

const pod = (status: unknown, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'p', namespace: 'n', uid: 'u', resourceVersion: '1' },
  spec: { containers: [{ name: 'app' }], ...spec },
  status,
});

test('scheduled and being created, waiting for the scheduler, waiting for an init container', () => {
  assert.equal(
    containerNotStarted(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] }, { nodeName: 'n1' })),
    'Container app has not started: ContainerCreating',
  );
  assert.equal(containerNotStarted(pod({ phase: 'Pending' }, { nodeName: 'n1' })), 'Container app has not started: the pod is scheduled on n1; the container is being created');
  assert.equal(containerNotStarted(pod({ phase: 'Pending' })), 'Container app has not started: the pod is Pending, waiting for the scheduler to place it');
  const withInit = pod(
    { phase: 'Pending', initContainerStatuses: [{ name: 'migrate', state: { running: {} } }], containerStatuses: [{ name: 'app', state: { waiting: { reason: 'PodInitializing' } } }] },
    { nodeName: 'n1', initContainers: [{ name: 'migrate' }] },
  );
  assert.equal(containerNotStarted(withInit, 'app'), 'Container app has not started: it waits for init container migrate (running)');
  assert.equal(containerNotStarted(withInit, 'migrate'), undefined, 'the init container itself runs');
});

test('a pod that ended before its container ran says so; unknown containers get nothing', () => {
  assert.equal(containerNotStarted(pod({ phase: 'Failed', reason: 'OutOfcpu', message: 'Node didn\'t have enough resource: cpu' }, { nodeName: 'n1' })), "Container app has not started: the pod failed before it ran (OutOfcpu: Node didn't have enough resource: cpu)");
  assert.equal(containerNotStarted(pod({ phase: 'Pending' }), 'nope'), undefined);
});
