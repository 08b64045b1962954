import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSimulator, type Simulator } from '../../sim/server';
import { call, until } from './sim-client';
import type { KubeObject } from '../../../src/kube/types';

let sim: Simulator;
const fast = { reconcileMs: 5, scheduleMs: 10, startMs: 30, readyMs: 30, jobRunMs: 80, crashBackoffMs: 80, terminateMs: 30 };

function node(name: string, resources: Record<string, string>, taints: unknown[] = []) {
  return {
    apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: { taints },
    status: { capacity: resources, allocatable: resources, addresses: [{ type: 'InternalIP', address: `192.0.2.${name.length}` }] },
  };
}
const gpuTaint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

before(async () => {
  sim = await startSimulator({ timings: fast });
  sim.seed([
    node('cpu-1', { cpu: '8', memory: '32Gi', pods: '110' }),
    node('gpu-a', { cpu: '32', memory: '256Gi', pods: '110', 'nvidia.com/gpu': '4' }, [gpuTaint]),
    node('gpu-b', { cpu: '32', memory: '256Gi', pods: '110', 'nvidia.com/gpu': '4' }, [gpuTaint]),
  ]);
  await call(sim, 'POST', '/api/v1/namespaces', { body: { metadata: { name: 'app' } } });
});
after(() => sim.stop());

const pod = (ns: string, name: string) => sim.cluster.get('Pod', ns, name);
const podsOf = (prefix: string) => sim.cluster.list('Pod', 'app').filter((p) => p.metadata.name.startsWith(prefix));
const status = (o: KubeObject | undefined) => (o?.status ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

test('Deployment -> ReplicaSet -> Pods progress to Running and Ready; Service gets Endpoints; delete cascades', async () => {
  const dep = {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
  };
  assert.equal((await call(sim, 'POST', '/apis/apps/v1/namespaces/app/deployments', { body: dep })).status, 201);
  await call(sim, 'POST', '/api/v1/namespaces/app/services', { body: { metadata: { name: 'web' }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 'http' }] } } });
  await until(() => status(sim.cluster.get('Deployment', 'app', 'web')).readyReplicas === 2, 5000, 'deployment ready');
  const d = sim.cluster.get('Deployment', 'app', 'web');
  assert.deepEqual(status(d).conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`), ['Available=True', 'Progressing=True']);
  assert.equal(d?.metadata.annotations?.['deployment.kubernetes.io/revision'], '1');
  const [rs] = sim.cluster.list('ReplicaSet', 'app');
  assert.match(rs.metadata.name, /^web-[a-z0-9]{10}$/);
  assert.equal(rs.metadata.labels?.['pod-template-hash'], rs.metadata.name.slice(4));
  const pods = podsOf('web-');
  assert.equal(pods.length, 2);
  for (const p of pods) {
    assert.equal(status(p).phase, 'Running');
    assert.equal(status(p).containerStatuses[0].ready, true);
    assert.ok((p.spec as { nodeName?: string }).nodeName === 'cpu-1', 'only the untainted node fits');
  }
  await until(() => Boolean(sim.cluster.get('Endpoints', 'app', 'web')?.subsets), 3000, 'endpoints');
  const ep = sim.cluster.get('Endpoints', 'app', 'web') as KubeObject & { subsets: { addresses: unknown[]; ports: { port: number }[] }[] };
  assert.equal(ep.subsets[0].addresses.length, 2);
  assert.equal(ep.subsets[0].ports[0].port, 8080);
  const events = (await call(sim, 'GET', `/api/v1/namespaces/app/events?fieldSelector=involvedObject.name%3D${pods[0].metadata.name}`)).body.items.map((e: { reason: string }) => e.reason);
  for (const reason of ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']) assert.ok(events.includes(reason), `event ${reason} in ${events}`);
  const log = await call(sim, 'GET', `/api/v1/namespaces/app/pods/${pods[0].metadata.name}/log`);
  assert.equal(log.status, 200);
  assert.match(log.text, /starting nginx:1\.27/);

  await call(sim, 'DELETE', '/apis/apps/v1/namespaces/app/deployments/web');
  await until(() => podsOf('web-').length === 0 && sim.cluster.list('ReplicaSet', 'app').length === 0, 5000, 'cascade to replicasets and pods');
});

test('the scheduler leaves a pod Pending with the real FailedScheduling message; a tolerating GPU pod lands on a GPU node', async () => {
  const gpuPod = (name: string, gpus: number, tolerate: boolean) => ({
    metadata: { name },
    spec: {
      ...(tolerate ? { tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] } : {}),
      containers: [{ name: 'train', image: 'pytorch:2', resources: { limits: { 'nvidia.com/gpu': String(gpus) } } }],
    },
  });
  await call(sim, 'POST', '/api/v1/namespaces/app/pods', { body: gpuPod('no-toleration', 1, false) });
  await until(() => status(pod('app', 'no-toleration')).conditions?.[0]?.reason === 'Unschedulable', 3000, 'unschedulable');
  const expected = '0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) had untolerated taint {nvidia.com/gpu: present}. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const condition = status(pod('app', 'no-toleration')).conditions[0];
  assert.deepEqual({ type: condition.type, status: condition.status, reason: condition.reason, message: condition.message }, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: expected });
  assert.equal(status(pod('app', 'no-toleration')).phase, 'Pending');
  const events = (await call(sim, 'GET', '/api/v1/namespaces/app/events?fieldSelector=reason%3DFailedScheduling')).body.items;
  const failed = events.find((e: { involvedObject: { name: string } }) => e.involvedObject.name === 'no-toleration');
  assert.equal(failed.type, 'Warning');
  assert.equal(failed.message, expected);
  assert.equal(failed.reportingComponent, 'default-scheduler');

  await call(sim, 'POST', '/api/v1/namespaces/app/pods', { body: gpuPod('too-big', 8, true) });
  await until(() => status(pod('app', 'too-big')).conditions?.[0]?.reason === 'Unschedulable', 3000, 'too big unschedulable');
  assert.match(status(pod('app', 'too-big')).conditions[0].message, /^0\/3 nodes are available: 3 Insufficient nvidia\.com\/gpu\./);

  await call(sim, 'POST', '/api/v1/namespaces/app/pods', { body: gpuPod('fits', 2, true) });
  await until(() => status(pod('app', 'fits')).phase === 'Running', 3000, 'gpu pod running');
  assert.match(String((pod('app', 'fits')?.spec as { nodeName: string }).nodeName), /^gpu-/);
});

test('crash loops, OOM kills and missing images show the kubelet statuses clients switch on', async () => {
  const mk = (name: string, image: string, env: Record<string, string> = {}) => call(sim, 'POST', '/api/v1/namespaces/app/pods', {
    body: { metadata: { name }, spec: { containers: [{ name: 'c', image, env: Object.entries(env).map(([n, value]) => ({ name: n, value })) }] } },
  });
  await mk('crash', 'busybox', { SIM_CRASH: '1' });
  await mk('oom', 'node:20', { SIM_OOM: '1' });
  await mk('noimage', 'ghcr.io/example/missing:1.0');
  const cs = (name: string) => status(pod('app', name)).containerStatuses?.[0];
  await until(() => cs('crash')?.restartCount >= 2, 5000, 'crash restarts rising');
  await until(() => cs('crash')?.state?.waiting?.reason === 'CrashLoopBackOff', 3000, 'crashloop');
  assert.equal(cs('crash').lastState.terminated.exitCode, 3);
  assert.equal(cs('crash').lastState.terminated.reason, 'Error');
  assert.equal(status(pod('app', 'crash')).phase, 'Running');
  await until(() => cs('oom')?.lastState?.terminated?.reason === 'OOMKilled', 3000, 'oom');
  assert.equal(cs('oom').lastState.terminated.exitCode, 137);
  await until(() => cs('noimage')?.state?.waiting?.reason === 'ImagePullBackOff', 3000, 'image pull backoff');
  assert.equal(status(pod('app', 'noimage')).phase, 'Pending');
  const prev = await call(sim, 'GET', '/api/v1/namespaces/app/pods/noimage/log');
  assert.equal(prev.status, 400);
  // The kubelet's words for it (validateContainerLogStatus).
  assert.equal(prev.body.message, 'container "c" in pod "noimage" is waiting to start: trying and failing to pull image');
});

test('a Job runs its pod to Succeeded and reports Complete', async () => {
  await call(sim, 'POST', '/apis/batch/v1/namespaces/app/jobs', {
    body: { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'job', image: 'busybox' }] } } } },
  });
  await until(() => (status(sim.cluster.get('Job', 'app', 'once')).conditions ?? []).some((c: { type: string }) => c.type === 'Complete'), 5000, 'job complete');
  const job = status(sim.cluster.get('Job', 'app', 'once'));
  assert.equal(job.succeeded, 1);
  assert.ok(job.completionTime);
  const [p] = podsOf('once-');
  assert.equal(status(p).phase, 'Succeeded');
  assert.equal(p.metadata.labels?.['job-name'], 'once');
});

test('StatefulSet pods get stable ordinal names; a DaemonSet covers every node it tolerates', async () => {
  const template = (app: string) => ({ metadata: { labels: { app } }, spec: { containers: [{ name: 'c', image: 'redis:7' }] } });
  await call(sim, 'POST', '/apis/apps/v1/namespaces/app/statefulsets', { body: { metadata: { name: 'db' }, spec: { replicas: 2, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: template('db') } } });
  await call(sim, 'POST', '/apis/apps/v1/namespaces/app/daemonsets', { body: { metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, template: template('agent') } } });
  await until(() => status(sim.cluster.get('StatefulSet', 'app', 'db')).readyReplicas === 2, 5000, 'statefulset ready');
  assert.deepEqual(podsOf('db-').map((p) => p.metadata.name).sort(), ['db-0', 'db-1']);
  await until(() => status(sim.cluster.get('DaemonSet', 'app', 'agent')).numberReady === 1, 5000, 'daemonset ready');
  assert.equal(status(sim.cluster.get('DaemonSet', 'app', 'agent')).desiredNumberScheduled, 1, 'tainted GPU nodes are skipped');
});
