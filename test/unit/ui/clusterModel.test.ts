import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '../../../src/kube/types';
import { buildNamespaceChildren, buildContainerChildren, namespaceSummary, isManagedByTether, errorNode, failureNodes, PodNodeCache, agedRows, createdAt, podsOf, type PodNode, type WorkloadNode } from '../../../src/ui/views/clusterModel';
import { kubeApiJson } from '../../fixtures/kubeApi';
import type { NamespaceObjects } from '../../../src/ui/views/workloads';
import { sample, sampleItems } from './fixtures/samples';

function obj(kind: string, name: string, owner?: Pick<OwnerReference, 'kind' | 'name'>, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    kind,
    metadata: {
      name,
      namespace: 'samples',
      uid: `${kind}-${name}`,
      resourceVersion: '1',
      ...(owner ? { ownerReferences: [{ apiVersion: 'v1', uid: 'x', controller: true, ...owner }] } : {}),
    },
    ...extra,
  };
}

const map = (items: KubeObject[]): Map<string, KubeObject> => new Map(items.map((o) => [`samples/${o.metadata.name}`, o]));

function objects(parts: Partial<Record<keyof NamespaceObjects, KubeObject[]>>): NamespaceObjects {
  return {
    pods: map(parts.pods ?? []),
    replicaSets: map(parts.replicaSets ?? []),
    deployments: map(parts.deployments ?? []),
    statefulSets: map(parts.statefulSets ?? []),
    daemonSets: map(parts.daemonSets ?? []),
    jobs: map(parts.jobs ?? []),
    cronJobs: map(parts.cronJobs ?? []),
  };
}

test('recorded Deployment -> ReplicaSet -> Pods group under the Deployment', () => {
  const children = buildNamespaceChildren(
    'kind-dev',
    'samples',
    objects({ pods: sampleItems('pods-web-running'), replicaSets: sampleItems('replicasets-web'), deployments: [sample('deployment-web')] }),
  );
  assert.equal(children.length, 1);
  const web = children[0] as WorkloadNode;
  assert.equal(web.type, 'workload');
  assert.equal(web.kind, 'Deployment');
  assert.equal(web.name, 'web');
  assert.equal(web.health, 'ok');
  assert.equal(web.description, '2/2 ready', 'the row adds the age when it renders');
  assert.equal(web.createdAt, sample('deployment-web').metadata.creationTimestamp);
  assert.deepEqual(web.pods.map((p) => p.name), ['web-7b8695764b-cj9fz', 'web-7b8695764b-ls2hr']);
  assert.equal(namespaceSummary(children), '2 pods');
});

test('without ReplicaSets (they may not be listed), recorded pods still group under their Deployment by name and pod-template-hash', () => {
  const withDeployment = buildNamespaceChildren('kind-dev', 'samples', objects({ pods: sampleItems('pods-web-running'), deployments: [sample('deployment-web')] }));
  assert.deepEqual(withDeployment.map((c) => c.type === 'workload' && [c.kind, c.name, c.description, c.pods.length]), [['Deployment', 'web', '2/2 ready', 2]]);
  const neither = buildNamespaceChildren('kind-dev', 'samples', objects({ pods: sampleItems('pods-web-running') }));
  assert.deepEqual(neither.map((c) => c.type === 'workload' && [c.kind, c.name, c.pods.length]), [['Deployment', 'web', 2]], 'without Deployments either, still under the Deployment\'s name');
  // A Deployment in view that does not select the pod is not where it goes; a hash that is not the ReplicaSet's suffix leads nowhere.
  const other = { ...sample('deployment-web'), spec: { selector: { matchLabels: { app: 'other' } } } } as KubeObject;
  const mismatch = buildNamespaceChildren('kind-dev', 'samples', objects({ pods: sampleItems('pods-web-running'), deployments: [other] }));
  assert.ok(mismatch.some((c) => c.type === 'workload' && c.kind === 'ReplicaSet'));
  const pod = obj('Pod', 'x-1', { kind: 'ReplicaSet', name: 'x-abc' });
  pod.metadata.labels = { 'pod-template-hash': 'zzz' };
  assert.deepEqual(buildNamespaceChildren('kind-dev', 'samples', objects({ pods: [pod] })).map((c) => c.type === 'workload' && c.kind), ['ReplicaSet']);
});

test('every owner chain, bare pods last, workloads in kind order', () => {
  const children = buildNamespaceChildren(
    'c',
    'samples',
    objects({
      pods: [
        obj('Pod', 'lonely'),
        obj('Pod', 'db-0', { kind: 'StatefulSet', name: 'db' }),
        obj('Pod', 'agent-x', { kind: 'DaemonSet', name: 'agent' }),
        obj('Pod', 'nightly-1-abc', { kind: 'Job', name: 'nightly-1' }),
        obj('Pod', 'once-abc', { kind: 'Job', name: 'once' }),
        obj('Pod', 'orphan-rs-abc', { kind: 'ReplicaSet', name: 'orphan-rs' }),
        obj('Pod', 'custom-abc', { kind: 'Rollout', name: 'custom' }),
      ],
      statefulSets: [obj('StatefulSet', 'db')],
      jobs: [obj('Job', 'nightly-1', { kind: 'CronJob', name: 'nightly' }), obj('Job', 'once')],
      cronJobs: [obj('CronJob', 'nightly', undefined, { spec: { schedule: '0 3 * * *' } })],
      deployments: [obj('Deployment', 'idle', undefined, { spec: { replicas: 0 } })],
    }),
  );
  const row = (c: WorkloadNode | PodNode): string =>
    c.type === 'workload' ? `${c.kind}/${c.name}:${[...c.jobs.map((j) => `[${row(j)}]`), ...c.pods.map((p) => p.name)].join(',')}` : `pod/${c.name}`;
  const rows = children.map(row);
  assert.deepEqual(rows, [
    'Deployment/idle:',
    'StatefulSet/db:db-0',
    'DaemonSet/agent:agent-x',
    'CronJob/nightly:[Job/nightly-1:nightly-1-abc]',
    'Job/once:once-abc',
    'ReplicaSet/orphan-rs:orphan-rs-abc',
    'pod/custom-abc',
    'pod/lonely',
  ]);
  const cron = children[3] as WorkloadNode;
  assert.equal(cron.description, '0 3 * * *');
  const daemon = children[2] as WorkloadNode;
  assert.equal(daemon.object, undefined, 'owner not cached yet still groups its pods');
  assert.equal(daemon.description, '1 pod');
});

test('a failing pod makes its workload an error; the namespace summary keeps held and waiting GPUs apart', () => {
  const crash = sample('pod-crashloop');
  crash.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'x', controller: true }];
  const children = buildNamespaceChildren('c', 'samples', objects({ pods: [crash, sample('pod-gpu-too-big')], statefulSets: [obj('StatefulSet', 'db', undefined, { spec: { replicas: 1 }, status: { readyReplicas: 0 } })] }));
  assert.equal((children[0] as WorkloadNode).health, 'error');
  const gpuPod = children[1] as PodNode;
  assert.equal(gpuPod.summary.gpus.total, 8);
  assert.equal(namespaceSummary(children), '2 pods · 1 failing · 8 GPUs waiting');
  const held = buildNamespaceChildren('c', 'samples', objects({ pods: [sample('pod-gpu-fits'), sample('pod-gpu-too-big')] }));
  assert.equal(namespaceSummary(held), '2 pods · 2 GPUs held · 8 waiting', 'a bound pod holds its GPUs; a Pending one only waits');
  const done = { ...sample('pod-gpu-fits'), status: { phase: 'Succeeded' } };
  assert.equal(namespaceSummary(buildNamespaceChildren('c', 'samples', objects({ pods: [done] }))), '1 pod', 'a finished pod holds none');
});

test("a running CronJob counts its active Jobs and holds them as rows, each with its pods", () => {
  const cron = kubeApiJson('cronjob-with-active-job.json') as KubeObject;
  const ref = (cron.status as { active: Array<{ name: string; uid: string }> }).active[0];
  const owner = (kind: string, name: string, uid: string) => [{ apiVersion: 'batch/v1', kind, name, uid, controller: true }];
  const running = { ...obj('Job', ref.name), metadata: { ...obj('Job', ref.name).metadata, namespace: 'smoke', uid: ref.uid, creationTimestamp: '2026-12-07T06:43:00Z', ownerReferences: owner('CronJob', cron.metadata.name, cron.metadata.uid as string) } };
  const earlier = { ...obj('Job', 'rec-tick-29943762'), metadata: { ...obj('Job', 'rec-tick-29943762').metadata, namespace: 'smoke', creationTimestamp: '2026-12-07T06:42:00Z', ownerReferences: owner('CronJob', cron.metadata.name, cron.metadata.uid as string) } };
  earlier.status = { succeeded: 1, conditions: [{ type: 'Complete', status: 'True' }] };
  const pod = { ...obj('Pod', `${ref.name}-x7k2p`), status: { phase: 'Running', containerStatuses: [{ name: 'tick', ready: true, state: { running: {} } }] } };
  pod.metadata.ownerReferences = owner('Job', ref.name, ref.uid);
  const [node] = buildNamespaceChildren('c', 'smoke', objects({ cronJobs: [cron], jobs: [earlier, running], pods: [pod] })) as WorkloadNode[];
  assert.equal(node.kind, 'CronJob');
  assert.equal(node.description, '* * * * * · 1 active');
  assert.deepEqual(node.pods, [], 'the pods hang under their Job, not the CronJob');
  assert.deepEqual(node.jobs.map((j) => [j.kind, j.name, j.pods.map((p) => p.name)]), [
    ['Job', ref.name, [`${ref.name}-x7k2p`]],
    ['Job', 'rec-tick-29943762', []],
  ]);
  assert.equal(node.jobs[1].health, 'succeeded');
  assert.equal(node.health, 'progressing', 'as the latest run');
  assert.deepEqual(podsOf(node).map((p) => p.name), [`${ref.name}-x7k2p`]);
  assert.equal(namespaceSummary([node]), '1 pod');
});

test('a completed job is succeeded', () => {
  const job = sample('job-completed');
  const [node] = buildNamespaceChildren('c', 'samples', objects({ jobs: [job] })) as WorkloadNode[];
  assert.equal(node.kind, 'Job');
  assert.equal(node.health, 'succeeded');
  assert.match(node.description, /^complete/);
});

test('containers of a pod, init first', () => {
  const pod = obj('Pod', 'p', undefined, {
    spec: { initContainers: [{ name: 'setup' }], containers: [{ name: 'app' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, state: { running: {} } }], initContainerStatuses: [{ name: 'setup', state: { terminated: { exitCode: 0, reason: 'Completed' } } }] },
  });
  const [node] = buildNamespaceChildren('c', 'samples', objects({ pods: [pod] })) as PodNode[];
  const containers = buildContainerChildren(node);
  assert.deepEqual(containers.map((c) => [c.name, c.init, c.text, c.health]), [
    ['setup', true, 'Completed', 'succeeded'],
    ['app', false, 'ready', 'ok'],
  ]);
  assert.notEqual(containers[0].id, containers[1].id);
});

test('ids are stable and unique across rebuilds', () => {
  const build = () => buildNamespaceChildren('a/b', 'samples', objects({ pods: sampleItems('pods-web-running') }));
  assert.deepEqual(build().map((n) => n.id), build().map((n) => n.id));
  const ids = build().map((n) => n.id);
  assert.equal(new Set(ids).size, ids.length);
});

test('only objects labelled managed-by tether are managed', () => {
  assert.equal(isManagedByTether(obj('Pod', 'x')), false);
  const mine = obj('Pod', 'y');
  mine.metadata.labels = { 'app.kubernetes.io/managed-by': 'tether' };
  assert.equal(isManagedByTether(mine), true);
  mine.metadata.labels['app.kubernetes.io/managed-by'] = 'Helm';
  assert.equal(isManagedByTether(mine), false);
});

test('error rows say what failed and offer the next step', () => {
  const forbidden = errorNode('root', { reason: 'Forbidden', what: 'List pods in namespace shop', why: 'user "jane" may not list pods', remedy: 'Ask for a Role' }, 'dev');
  assert.equal(forbidden.label, 'List pods in namespace shop: user "jane" may not list pods');
  assert.deepEqual(forbidden.action, { kind: 'retry', context: 'dev' });
  assert.deepEqual(failureNodes('root', forbidden.error!, 'dev').map((n) => n.label), [forbidden.label], 'the tooltip has the next step');
  assert.equal(errorNode('root', { reason: 'UnknownContext', what: 'x', why: 'y', remedy: 'z' }).action?.kind, 'selectContext');
});

test('a cluster that could not be read says only that, with the next step as a row to click', () => {
  const rows = failureNodes('root', { reason: 'Unreachable', what: 'Watch namespaces', why: 'the cluster at https://10.0.0.1:6443 did not answer (ECONNREFUSED)', remedy: 'Check the VPN' }, 'dev');
  assert.deepEqual(rows.map((r) => [r.severity, r.label, r.action?.kind]), [
    ['error', 'Cannot reach the cluster of context "dev": the cluster at https://10.0.0.1:6443 did not answer (ECONNREFUSED)', 'retry'],
    ['info', 'Next: Check the VPN', 'retry'],
  ]);
  assert.notEqual(rows[0].id, rows[1].id);
});

test('unchanged pods keep their rows across rebuilds, also as time passes; changed pods get new ones', () => {
  const pods = sampleItems('pods-web-running');
  const cache = new PodNodeCache();
  const rows = (context: string) => (buildNamespaceChildren(context, 'samples', objects({ pods }), cache)[0] as WorkloadNode).pods;
  const [a1, b1] = rows('c');
  pods[1] = { ...pods[1], status: { phase: 'Failed', reason: 'Evicted' } };
  const [a2, b2] = rows('c');
  assert.equal(a2, a1, 'same object, same row: ages are read when the row renders, not kept in it');
  assert.notEqual(b2, b1);
  assert.equal(b2.summary.reason, 'Evicted');
  const [other] = rows('d');
  assert.equal(other.context, 'd');
});

test('every row that shows an age, with its creation time', () => {
  const children = buildNamespaceChildren('c', 'samples', objects({ pods: sampleItems('pods-web-running'), replicaSets: sampleItems('replicasets-web'), deployments: [sample('deployment-web')] }));
  const aged = [...agedRows(children)];
  assert.deepEqual(aged.map((r) => r.name), ['web', 'web-7b8695764b-cj9fz', 'web-7b8695764b-ls2hr']);
  assert.deepEqual(aged.map(createdAt), [sample('deployment-web').metadata.creationTimestamp, ...sampleItems('pods-web-running').map((p) => p.metadata.creationTimestamp)]);
});
