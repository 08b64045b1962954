/**
 * Builders for the objects runtime tests use: a ConfigMap holding scripts and a Pod that runs one
 * of them with node, plus small readers of Pod status.
 */
import type { KubeObject } from '../../../src/kube/types';

export function scriptConfigMap(name: string, files: Record<string, string>, namespace = 'default'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, uid: '', resourceVersion: '' }, data: files };
}

export interface ContainerOptions {
  name?: string;
  script?: string;
  args?: string[];
  ports?: (number | { containerPort: number; name: string })[];
  env?: unknown[];
  envFrom?: unknown[];
  workingDir?: string;
}

export interface PodOptions extends ContainerOptions {
  name: string;
  namespace?: string;
  configMap: string;
  labels?: Record<string, string>;
  restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /** Several containers; each runs from the same ConfigMap mount. */
  containers?: ContainerOptions[];
  terminationGracePeriodSeconds?: number;
}

function container(options: ContainerOptions): Record<string, unknown> {
  return {
    name: options.name ?? 'app',
    image: 'node:22-alpine',
    command: ['node', `/opt/app/${options.script ?? 'main.js'}`],
    ...(options.args ? { args: options.args } : {}),
    ...(options.workingDir ? { workingDir: options.workingDir } : {}),
    ...(options.ports ? { ports: options.ports.map((p) => ({ ...(typeof p === 'number' ? { containerPort: p } : p), protocol: 'TCP' })) } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.envFrom ? { envFrom: options.envFrom } : {}),
    volumeMounts: [{ name: 'app', mountPath: '/opt/app', readOnly: true }],
  };
}

export function nodePod(options: PodOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: options.name, namespace: options.namespace ?? 'default', uid: '', resourceVersion: '', labels: options.labels },
    spec: {
      nodeName: 'node-1',
      restartPolicy: options.restartPolicy ?? 'Always',
      ...(options.terminationGracePeriodSeconds !== undefined ? { terminationGracePeriodSeconds: options.terminationGracePeriodSeconds } : {}),
      containers: (options.containers ?? [{ ...options, name: 'app' }]).map(container),
      volumes: [{ name: 'app', configMap: { name: options.configMap } }],
    },
  };
}

interface ContainerStatusView {
  name: string;
  ready: boolean;
  restartCount: number;
  state: Record<string, Record<string, unknown> | undefined>;
  lastState: { terminated?: { exitCode: number; reason: string } };
}

export interface PodStatusView {
  phase?: string;
  podIP?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: ContainerStatusView[];
}

export function statusOf(pod: KubeObject): PodStatusView {
  return (pod.status ?? {}) as PodStatusView;
}

export function isReady(pod: KubeObject): boolean {
  return statusOf(pod).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

export function containerStatus(pod: KubeObject, name = 'app'): ContainerStatusView | undefined {
  return statusOf(pod).containerStatuses?.find((c) => c.name === name);
}
