import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nodeUsage, preflight, type PreflightCluster } from '../../../src/gpu/preflight';
import { podTemplateOf, type PodTemplate } from '../../../src/gpu/podTemplate';
import type { NodeShape, PodShape, ResourceQuotaShape, Taint } from '../../../src/gpu/shapes';
import { recorded } from './fixtures/recorded';

const gpuTaint: Taint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };

function node(name: string, allocatable: Record<string, string>, opts: { taints?: Taint[]; labels?: Record<string, string> } = {}): NodeShape {
  return {
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints },
    status: { allocatable: { cpu: '4', memory: '16Gi', pods: '110', ...allocatable } },
  };
}

function running(name: string, nodeName: string, requests: Record<string, string>, phase = 'Running'): PodShape {
  return { metadata: { namespace: 'ml', name }, spec: { nodeName, containers: [{ resources: { requests } }] }, status: { phase } };
}

function cluster(): PreflightCluster {
  const nodes = [
    node('gpu-a', { 'nvidia.com/gpu': '8' }, { taints: [gpuTaint], labels: { 'nvidia.com/gpu.product': 'A100' } }),
    node('gpu-b', { 'nvidia.com/gpu': '4' }, { taints: [gpuTaint], labels: { 'nvidia.com/gpu.product': 'T4' } }),
    node('cpu-1', {}),
  ];
  const pods = [
    running('a1', 'gpu-a', { 'nvidia.com/gpu': '6', cpu: '1' }),
    running('b1', 'gpu-b', { 'nvidia.com/gpu': '1', cpu: '3', memory: '8Gi' }),
    running('old', 'gpu-b', { 'nvidia.com/gpu': '3', cpu: '4' }, 'Succeeded'),
    running('c1', 'cpu-1', { cpu: '2', memory: '15Gi' }),
  ];
  return { nodes, usage: nodeUsage(pods) };
}

const gpuPod = (gpus: string, extra: Partial<PodTemplate['spec']> = {}, replicas = 1, cpu = '500m'): PodTemplate => ({
  kind: 'Deployment',
  name: 'train',
  namespace: 'ml',
  replicas,
  spec: {
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    containers: [{ name: 'main', resources: { requests: { cpu, memory: '1Gi' }, limits: { 'nvidia.com/gpu': gpus } } }],
    ...extra,
  },
});

test('fits where GPUs, CPU and memory are free; says why not elsewhere', () => {
  const r = preflight(gpuPod('2', {}, 1, '1500m'), cluster());
  assert.deepEqual(r.fitsOn, ['gpu-a']);
  assert.equal(r.summary, 'fits on: gpu-a');
  const why = (name: string) => r.nodes.find((n) => n.node === name)?.obstacles.map((o) => o.text);
  assert.deepEqual(why('gpu-b'), ['needs 1.5 cpu, 1 of 4 free'], 'finished pods hold nothing; CPU is short');
  assert.deepEqual(why('cpu-1'), ['needs 2 nvidia.com/gpu; the node has none'], 'exactly the free memory fits');
  assert.deepEqual(r.requests.map((q) => [q.resource, q.shown]), [
    ['cpu', '1.5'],
    ['memory', '1Gi'],
    ['nvidia.com/gpu', '2'],
  ]);
  assert.equal(r.nodes[0].room, 1, 'gpu-a has room for one more: 2 GPUs free');
});

test('too big for every node: counted per reason', () => {
  const r = preflight(gpuPod('4'), cluster());
  assert.deepEqual(r.fitsOn, []);
  assert.equal(
    r.summary,
    'fits on no node (3 checked): 3 have too little free nvidia.com/gpu',
  );
});

test('taints: without a toleration the GPU nodes are out; PreferNoSchedule does not matter', () => {
  const c = cluster();
  const t = gpuPod('1', { tolerations: [] });
  const r = preflight(t, c);
  assert.deepEqual(r.fitsOn, []);
  assert.deepEqual(r.nodes.find((n) => n.node === 'gpu-a')?.obstacles.map((o) => o.text), ['taint nvidia.com/gpu=present:NoSchedule is not tolerated']);
  const soft = { ...c, nodes: [node('gpu-s', { 'nvidia.com/gpu': '1' }, { taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] })] };
  assert.deepEqual(preflight(t, soft).fitsOn, ['gpu-s']);
  const exists = gpuPod('1', { tolerations: [{ operator: 'Exists' }] });
  assert.deepEqual(preflight(exists, c).fitsOn, ['gpu-a', 'gpu-b']);
});

test('nodeSelector and required node affinity', () => {
  const c = cluster();
  assert.deepEqual(preflight(gpuPod('1', { nodeSelector: { 'nvidia.com/gpu.product': 'T4' } }), c).fitsOn, ['gpu-b']);
  const affinity = (operator: string, values: string[]) => ({
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: 'nvidia.com/gpu.product', operator, values }] }],
        },
      },
    },
  });
  assert.deepEqual(preflight(gpuPod('1', affinity('In', ['A100', 'H100'])), c).fitsOn, ['gpu-a']);
  assert.deepEqual(preflight(gpuPod('1', affinity('NotIn', ['A100'])), c).fitsOn, ['gpu-b']);
  const none = preflight(gpuPod('1', affinity('In', ['H100'])), c);
  assert.match(none.summary, /^fits on no node \(3 checked\): 3 fail its required node affinity/);
  assert.match(none.nodes[0].obstacles[0].text, /nvidia.com\/gpu.product In \[H100\]/);
});

test('spec.nodeName pins the pod', () => {
  const r = preflight(gpuPod('1', { nodeName: 'gpu-b' }), cluster());
  assert.deepEqual(r.fitsOn, ['gpu-b']);
  assert.match(r.nodes.find((n) => n.node === 'gpu-a')?.obstacles[0].text ?? '', /pinned to node gpu-b/);
});

test('init containers count as a maximum and overhead is added, against free capacity', () => {
  const c = { nodes: [node('n', { 'nvidia.com/gpu': '4' }, {})], usage: new Map() };
  const t = (init: string, overheadCpu: string): PodTemplate => ({
    kind: 'Pod',
    name: 'p',
    replicas: 1,
    spec: {
      overhead: { cpu: overheadCpu },
      initContainers: [{ name: 'fetch', resources: { requests: { cpu: init, 'nvidia.com/gpu': '1' } } }],
      containers: [
        { name: 'a', resources: { requests: { cpu: '1' }, limits: { 'nvidia.com/gpu': '2' } } },
        { name: 'b', resources: { requests: { cpu: '1' }, limits: { 'nvidia.com/gpu': '2' } } },
      ],
    },
  });
  assert.deepEqual(preflight(t('3', '500m'), c).fitsOn, ['n'], 'cpu max(2, 3) + 0.5 = 3.5 <= 4; GPUs 4 (not 5)');
  assert.equal(preflight(t('3', '500m'), c).requests.find((q) => q.resource === 'nvidia.com/gpu')?.amount, 4);
  assert.deepEqual(preflight(t('3', '1500m'), c).nodes[0].obstacles.map((o) => o.text), ['needs 4.5 cpu, 4 of 4 free']);
});

test('MIG profiles and other vendors are matched by exact resource name', () => {
  const c: PreflightCluster = {
    nodes: [node('mig', { 'nvidia.com/mig-1g.10gb': '7' }), node('amd', { 'amd.com/gpu': '2' })],
    usage: nodeUsage([running('s', 'mig', { 'nvidia.com/mig-1g.10gb': '5' })]),
  };
  const pod = (resource: string, n: string): PodTemplate => ({ kind: 'Pod', name: 'p', replicas: 1, spec: { containers: [{ resources: { limits: { [resource]: n } } }] } });
  assert.deepEqual(preflight(pod('nvidia.com/mig-1g.10gb', '2'), c).fitsOn, ['mig']);
  assert.deepEqual(preflight(pod('nvidia.com/mig-1g.10gb', '3'), c).nodes.find((n) => n.node === 'mig')?.obstacles[0].text, 'needs 3 nvidia.com/mig-1g.10gb, 2 of 7 free');
  assert.deepEqual(preflight(pod('amd.com/gpu', '2'), c).fitsOn, ['amd']);
});

test('replicas: how many fit now', () => {
  const r = preflight(gpuPod('1', {}, 5), cluster());
  assert.equal(r.replicas.fitNow, 4, 'gpu-a: 2 GPUs free; gpu-b: 1 CPU free = 2 pods');
  assert.deepEqual(r.nodes.map((n) => [n.node, n.room]), [['gpu-a', 2], ['gpu-b', 2], ['cpu-1', 0]]);
  assert.equal(r.summary, 'fits on: gpu-a, gpu-b (room for 4 of 5 replicas now)');
});

test('quota: requests.nvidia.com/gpu would be exceeded by the replicas', () => {
  const quota: ResourceQuotaShape = {
    metadata: { namespace: 'ml', name: 'gpus' },
    spec: { hard: { 'requests.nvidia.com/gpu': '8', 'limits.memory': '64Gi', pods: '20', services: '5' } },
    status: {
      hard: { 'requests.nvidia.com/gpu': '8', 'limits.memory': '64Gi', pods: '20', services: '5' },
      used: { 'requests.nvidia.com/gpu': '7', 'limits.memory': '10Gi', pods: '4', services: '1' },
    },
  };
  const scoped: ResourceQuotaShape = { metadata: { namespace: 'ml', name: 'best-effort' }, spec: { hard: { pods: '0' }, scopes: ['BestEffort'] } };
  const elsewhere: ResourceQuotaShape = { metadata: { namespace: 'web', name: 'gpus' }, spec: { hard: { 'requests.nvidia.com/gpu': '0' } } };
  const r = preflight(gpuPod('1', {}, 2), { ...cluster(), quotas: [quota, scoped, elsewhere] });
  assert.deepEqual(r.quotas.map((q) => [q.key, q.used, q.adds, q.hard, q.fits]), [
    ['requests.nvidia.com/gpu', 7, 2, 8, false],
    ['pods', 4, 2, 20, true],
  ], 'limits.memory: the template sets no memory limit; services are not about pods');
  assert.equal(r.summary, 'fits on: gpu-a, gpu-b; but quota: gpus: requests.nvidia.com/gpu 7 used + 2 > 8');
});

test('no visible nodes', () => {
  assert.match(preflight(gpuPod('1'), { nodes: [], usage: new Map() }).summary, /^no nodes are visible/);
});

test('the recorded cluster: 2 of 4 GPUs in use, a pod asking for 8 fits nowhere, one asking for 2 fits', () => {
  const vm = recorded<NodeShape>('node-with-gpu-capacity');
  const fits = recorded<PodShape>('pod-gpu-fits');
  const tooBig = recorded<PodShape>('pod-gpu-too-big');
  const c = { nodes: [vm], usage: nodeUsage([fits, tooBig]) };
  const big = podTemplateOf({ ...tooBig, spec: { ...tooBig.spec } });
  assert.ok(big);
  const r = preflight(big, c);
  assert.equal(r.summary, 'fits on no node (1 checked): 1 has too little free nvidia.com/gpu');
  assert.deepEqual(r.nodes[0].obstacles.map((o) => o.text), ['needs 8 nvidia.com/gpu, 2 of 4 free']);
  const small = podTemplateOf({ kind: 'Pod', metadata: { name: 'x' }, spec: { containers: [{ resources: { limits: { 'nvidia.com/gpu': 2 } } }] } });
  assert.ok(small);
  assert.equal(preflight(small, c).summary, 'fits on: vm');
});

test('pod templates from workload kinds', () => {
  const template = { spec: { containers: [{ name: 'x' }] } };
  assert.equal(podTemplateOf({ kind: 'Deployment', metadata: { name: 'd', namespace: 'ml' }, spec: { replicas: 3, template } })?.replicas, 3);
  assert.equal(podTemplateOf({ kind: 'StatefulSet', metadata: { name: 's' }, spec: { template } })?.replicas, 1);
  assert.equal(podTemplateOf({ kind: 'Job', metadata: { name: 'j' }, spec: { parallelism: 4, template } })?.replicas, 4);
  const cron = podTemplateOf({ kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template } } } });
  assert.deepEqual(cron?.spec, template.spec);
  assert.equal(podTemplateOf({ kind: 'Service', metadata: { name: 's' } }), undefined);
  assert.equal(podTemplateOf('nope'), undefined);
});

test('invalid quantities in the manifest are reported, not trusted', () => {
  const t = podTemplateOf({
    kind: 'Pod',
    metadata: { name: 'p' },
    spec: { containers: [{ name: 'app', resources: { requests: { cpu: 'two', memory: '1GB' }, limits: { 'nvidia.com/gpu': '1' } } }] },
  });
  assert.ok(t);
  const r = preflight(t, cluster());
  assert.deepEqual(r.problems, [
    'container app: request cpu is "two", which is not a Kubernetes quantity; write a number with an optional suffix such as 500m, 2, 1.5Gi, 512Mi or 1e3',
    'container app: request memory is "1GB", which is not a Kubernetes quantity; write a number with an optional suffix such as 500m, 2, 1.5Gi, 512Mi or 1e3',
  ]);
});
