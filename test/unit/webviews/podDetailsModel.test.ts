import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../../src/kube/types';
import { defaultLogSelection, eventViews, goneView, podDetailsView, podEventsFieldSelector, resourceRows, type EventObject } from '../../../src/ui/webviews/podDetailsModel';
import { sample } from '../ui/fixtures/samples';
import { recorded } from '../gpu/fixtures/recorded';

const now = Date.parse('2026-11-22T02:00:00Z');
const refOf = (pod: KubeObject) => ({ context: 'kind-dev', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name });

test('a crash-looping pod: CrashLoopBackOff, restarts and how the last run ended', () => {
  const pod = sample('pod-crashloop');
  const view = podDetailsView(refOf(pod), pod, [], now);
  assert.equal(view.exists, true);
  assert.equal(view.phase, 'Running');
  assert.equal(view.reason, 'CrashLoopBackOff');
  assert.equal(view.health, 'error');
  assert.equal(`${view.ready}/${view.total}`, '0/1');
  assert.equal(view.restarts, 3);
  assert.equal(view.node, 'vm');
  assert.equal(view.podIP, '10.244.0.62');
  assert.equal(view.qosClass, 'BestEffort');
  assert.equal(view.age, '2m16s');
  assert.deepEqual(view.conditions.map((c) => `${c.type}=${c.status}`), ['Initialized=True', 'Ready=False', 'ContainersReady=False', 'PodScheduled=True']);
  assert.equal(view.conditions[1].reason, 'ContainersNotReady');
  const [c] = view.containers;
  assert.equal(c.name, 'c');
  assert.equal(c.role, 'app');
  assert.equal(c.image, 'busybox:local');
  assert.equal(c.restarts, 3);
  assert.equal(c.ready, false);
  assert.match(c.state, /^CrashLoopBackOff · exit 3 · 3 restarts$/);
  assert.equal(c.lastTermination, 'Error, exit code 3 · 92s ago');
  assert.equal(c.hasPreviousRun, true);
  assert.equal(c.started, false, 'waiting in back-off: the current run has no log yet');
  assert.deepEqual(c.resources, []);
  assert.equal(view.gpus, '');
  // Crash-looping: the previous run's log is the one that says why.
  assert.deepEqual(defaultLogSelection(view), { container: 'c', previous: true });
});

test('an OOMKilled container says so, with its memory request and limit', () => {
  const pod = sample('pod-oom');
  const view = podDetailsView(refOf(pod), pod, [], now);
  assert.equal(view.reason, 'OOMKilled');
  assert.match(view.message ?? '', /more memory than its limit/);
  const [c] = view.containers;
  assert.match(c.lastTermination ?? '', /^OOMKilled, exit code 137 · /);
  assert.deepEqual(c.resources, [{ resource: 'memory', request: '64Mi', limit: '64Mi', gpu: false }]);
  assert.equal(view.qosClass, 'Burstable');
});

test('a pod asking for 8 GPUs: Pending, GPU rows marked, and the scheduler event', () => {
  const pod = sample('pod-gpu-too-big');
  const events = recorded<{ items: EventObject[] }>('pod-pending-gpu-events').items;
  const view = podDetailsView(refOf(pod), pod, events, now);
  assert.equal(view.phase, 'Pending');
  assert.equal(view.reason, 'Unschedulable');
  assert.equal(view.health, 'warning');
  assert.equal(view.gpus, '8 nvidia.com/gpu');
  assert.equal(view.node, undefined);
  assert.deepEqual(view.containers[0].resources, [{ resource: 'nvidia.com/gpu', request: '8', limit: '8', gpu: true }]);
  assert.equal(view.containers[0].state, 'not started');
  assert.equal(view.events.length, 1);
  const [e] = view.events;
  assert.equal(e.type, 'Warning');
  assert.equal(e.reason, 'FailedScheduling');
  assert.equal(e.count, 1);
  assert.equal(e.source, 'default-scheduler');
  assert.match(e.message, /Insufficient nvidia\.com\/gpu/);
  assert.equal(e.age, '2m15s'); // from eventTime: lastTimestamp and firstTimestamp are null
  assert.deepEqual(defaultLogSelection(view), { container: 'trainer', previous: false });
});

test('GPU resources come first; a GPU limit alone implies the request', () => {
  const rows = resourceRows({
    name: 'x',
    resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '2Gi', 'nvidia.com/mig-1g.10gb': '1', 'amd.com/gpu': 2 } },
  });
  assert.deepEqual(rows, [
    { resource: 'amd.com/gpu', request: '2', limit: '2', gpu: true },
    { resource: 'nvidia.com/mig-1g.10gb', request: '1', limit: '1', gpu: true },
    { resource: 'cpu', request: '500m', gpu: false },
    { resource: 'memory', request: '1Gi', limit: '2Gi', gpu: false },
  ]);
});

test('events: only this pod (and this incarnation), newest first, series counted', () => {
  const pod = sample('pod-gpu-too-big');
  const ref = refOf(pod);
  const ev = (name: string, extra: Partial<EventObject>): EventObject => ({
    metadata: { name, namespace: 'samples', uid: name, resourceVersion: '1' },
    involvedObject: { kind: 'Pod', name: 'gpu-too-big', namespace: 'samples', uid: pod.metadata.uid },
    reason: name,
    message: `${name} happened`,
    ...extra,
  });
  const views = eventViews(
    [
      ev('old', { lastTimestamp: '2026-11-22T01:50:00Z', count: 4 }),
      ev('new', { eventTime: '2026-11-22T01:59:00.123456Z', series: { count: 7, lastObservedTime: '2026-11-22T01:59:30Z' } }),
      ev('other-pod', { involvedObject: { kind: 'Pod', name: 'someone-else', namespace: 'samples' } }),
      ev('earlier-incarnation', { involvedObject: { kind: 'Pod', name: 'gpu-too-big', namespace: 'samples', uid: 'a-previous-uid' } }),
      ev('a-deployment', { involvedObject: { kind: 'Deployment', name: 'gpu-too-big', namespace: 'samples' } }),
    ],
    pod,
    ref,
    now,
  );
  assert.deepEqual(views.map((v) => [v.reason, v.count, v.age]), [['new', 7, '30s'], ['old', 4, '10m']]);
  assert.equal(views[0].type, 'Normal');
});

test('a deleted pod keeps its last view, marked gone', () => {
  const pod = sample('pod-crashloop');
  const ref = refOf(pod);
  const last = podDetailsView(ref, pod, [], now);
  const gone = goneView(last, ref, [], now);
  assert.equal(gone.exists, false);
  assert.equal(gone.reason, 'Deleted');
  assert.equal(gone.containers.length, 1);
  assert.match(gone.message ?? '', /no longer exists/);
  const never = goneView(undefined, ref, [], now);
  assert.equal(never.exists, false);
  assert.deepEqual(never.containers, []);
  assert.equal(defaultLogSelection(never), undefined);
});

test('init and sidecar containers are listed first with their roles', () => {
  const pod: KubeObject = {
    metadata: { name: 'p', namespace: 'n', uid: 'u', resourceVersion: '1' },
    spec: {
      initContainers: [{ name: 'migrate', image: 'm' }, { name: 'proxy', image: 'p', restartPolicy: 'Always' }],
      containers: [{ name: 'app', image: 'a' }],
    },
    status: { phase: 'Pending' },
  };
  const view = podDetailsView({ context: 'c', namespace: 'n', name: 'p' }, pod, [], now);
  assert.deepEqual(view.containers.map((c) => `${c.name}:${c.role}`), ['migrate:init', 'proxy:sidecar', 'app:app']);
  assert.deepEqual(defaultLogSelection(view), { container: 'app', previous: false });
});

test('the events field selector names the pod', () => {
  assert.equal(podEventsFieldSelector({ namespace: 'ml', name: 'train-1' }), 'involvedObject.kind=Pod,involvedObject.name=train-1,involvedObject.namespace=ml');
});

test('events in the same second: the one that arrived last comes first', () => {
  const ev = (name: string): EventObject => ({
    metadata: { name, namespace: 'n', uid: name, resourceVersion: '1' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'n' },
    reason: name,
    lastTimestamp: '2026-11-22T01:59:00Z',
  });
  const views = eventViews([ev('Scheduled'), ev('Pulling'), ev('Pulled'), ev('Created'), ev('Started')], undefined, { context: 'c', namespace: 'n', name: 'p' }, now);
  assert.deepEqual(views.map((v) => v.reason), ['Started', 'Created', 'Pulled', 'Pulling', 'Scheduled']);
});

test('a container has started once it runs or has run; one still being created has not', () => {
  const pod = sample('pod-gpu-fits');
  assert.equal(podDetailsView(refOf(pod), pod, [], now).containers[0].started, true);
  const creating = structuredClone(pod);
  const statuses = (creating.status as { containerStatuses: { state: unknown; ready: boolean }[] }).containerStatuses;
  statuses[0].state = { waiting: { reason: 'ContainerCreating' } };
  statuses[0].ready = false;
  assert.equal(podDetailsView(refOf(creating), creating, [], now).containers[0].started, false);
});
