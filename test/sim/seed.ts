/**
 * The demo cluster: two CPU nodes and two GPU nodes (gpu-a with 4 A100s, gpu-b split into MIG
 * slices, both tainted), a small shop app (one service crash-loops) and an ML namespace with a
 * running GPU training Job, a MIG inference Deployment, a pod asking for 8 GPUs that cannot be
 * scheduled, and a GPU ResourceQuota; plus the ConfigMap, Secret, ServiceAccounts, claim and
 * classes (StorageClass, PriorityClass, RuntimeClass, IngressClass) manifests name.
 */
import type { ObjectInput } from './defaults';

const gpuToleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

function node(name: string, allocatable: Record<string, string>, labels: Record<string, string>, ip: string, taints: unknown[] = []): ObjectInput {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', ...labels } },
    spec: taints.length ? { taints } : {},
    status: {
      capacity: allocatable,
      allocatable,
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: name }],
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }],
      nodeInfo: { kubeletVersion: 'v1.25.0', containerRuntimeVersion: 'containerd://1.6.8', osImage: 'Ubuntu 22.04.3 LTS', architecture: 'amd64', operatingSystem: 'linux' },
    },
  };
}

function namespace(name: string): ObjectInput {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

interface ContainerInput {
  name: string;
  image: string;
  port?: number;
  env?: Record<string, string>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}

function container(c: ContainerInput): Record<string, unknown> {
  return {
    name: c.name,
    image: c.image,
    ...(c.port ? { ports: [{ name: 'http', containerPort: c.port, protocol: 'TCP' }] } : {}),
    ...(c.env ? { env: Object.entries(c.env).map(([name, value]) => ({ name, value })) } : {}),
    resources: c.resources ?? { requests: { cpu: '100m', memory: '128Mi' } },
  };
}

function deployment(ns: string, name: string, replicas: number, c: ContainerInput, extraSpec: Record<string, unknown> = {}): ObjectInput {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [container(c)], ...extraSpec } },
    },
  };
}

function service(ns: string, name: string, port: number): ObjectInput {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, labels: { app: name } },
    spec: { selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: port, protocol: 'TCP' }] },
  };
}

/**
 * What a manifest being written names: configuration, an identity, a claim and the cluster's
 * classes (their names are what completion offers from the cluster). Every namespace of a real
 * cluster has a `default` ServiceAccount (its controller creates it).
 */
function namedThings(): ObjectInput[] {
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'api-config', namespace: 'shop' }, data: { LOG_LEVEL: 'info', CART_URL: 'http://cart' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api-credentials', namespace: 'shop' }, type: 'Opaque', data: { DB_PASSWORD: 'ZGVtby1wYXNzd29yZA==' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'api', namespace: 'shop' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'ml' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'datasets', namespace: 'ml' }, spec: { accessModes: ['ReadWriteMany'], storageClassName: 'standard', resources: { requests: { storage: '500Gi' } } } },
    { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard' }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'gpu-high' }, value: 100000, description: 'Training and inference that must not wait behind batch jobs.' },
    { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'nvidia' }, handler: 'nvidia' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'IngressClass', metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } },
  ];
}

export function demoCluster(): ObjectInput[] {
  const gpuTaint = { key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' };
  const a100 = { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB', 'nvidia.com/gpu.memory': '81920', 'node.kubernetes.io/instance-type': 'p4d.24xlarge' };
  return [
    node('cpu-1', { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' }, { 'node.kubernetes.io/instance-type': 'm6i.2xlarge' }, '192.0.2.11'),
    node('cpu-2', { cpu: '8', memory: '32Gi', pods: '110', 'ephemeral-storage': '100Gi' }, { 'node.kubernetes.io/instance-type': 'm6i.2xlarge' }, '192.0.2.12'),
    node('gpu-a', { cpu: '96', memory: '1152Gi', pods: '110', 'nvidia.com/gpu': '4' }, { ...a100, 'nvidia.com/gpu.count': '4' }, '192.0.2.21', [gpuTaint]),
    node('gpu-b', { cpu: '96', memory: '1152Gi', pods: '110', 'nvidia.com/mig-1g.10gb': '7' }, { ...a100, 'nvidia.com/mig.strategy': 'mixed', 'nvidia.com/mig.config': 'all-1g.10gb' }, '192.0.2.22', [gpuTaint]),

    namespace('shop'),
    deployment('shop', 'web', 2, { name: 'web', image: 'nginx:1.27', port: 8080 }),
    service('shop', 'web', 8080),
    deployment('shop', 'api', 2, { name: 'api', image: 'ghcr.io/example/shop-api:2.3.1', port: 3000 }),
    service('shop', 'api', 3000),
    deployment('shop', 'cart', 1, { name: 'cart', image: 'ghcr.io/example/shop-cart:1.4.0', port: 3001, env: { SIM_CRASH: '1' } }),
    service('shop', 'cart', 3001),

    namespace('ml'),
    ...namedThings(),
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: 'gpu-quota', namespace: 'ml' },
      spec: { hard: { 'requests.nvidia.com/gpu': '16', 'requests.nvidia.com/mig-1g.10gb': '7' } },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'train-resnet', namespace: 'ml', labels: { app: 'train-resnet' } },
      spec: {
        backoffLimit: 2,
        template: {
          metadata: { labels: { app: 'train-resnet' } },
          spec: {
            restartPolicy: 'Never',
            tolerations: [gpuToleration],
            containers: [container({ name: 'train', image: 'nvcr.io/nvidia/pytorch:24.05-py3', env: { SIM_RUN_SECONDS: '3600' }, resources: { requests: { cpu: '8', memory: '64Gi' }, limits: { 'nvidia.com/gpu': '2' } } })],
          },
        },
      },
    },
    deployment('ml', 'inference', 1, { name: 'server', image: 'nvcr.io/nvidia/tritonserver:24.05-py3', port: 8000, resources: { limits: { 'nvidia.com/mig-1g.10gb': '1' } } }, { tolerations: [gpuToleration] }),
    service('ml', 'inference', 8000),
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'train-llm-8gpu', namespace: 'ml', labels: { app: 'train-llm' } },
      spec: {
        restartPolicy: 'Never',
        tolerations: [gpuToleration],
        containers: [container({ name: 'train', image: 'nvcr.io/nvidia/pytorch:24.05-py3', resources: { limits: { 'nvidia.com/gpu': '8' } } })],
      },
    },
  ];
}
