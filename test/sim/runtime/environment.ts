/**
 * A container's environment as the kubelet builds it: `envFrom` first, then `env` in order, with
 * `valueFrom` references and `$(VAR)` expansion of earlier variables.
 */
import type { SimCluster } from '../contracts';
import type { KubeObject } from '../../../src/kube/types';
import type { ContainerSpec, KeyRef } from './podSpec';

/** The container cannot be configured; the kubelet reports CreateContainerConfigError with this message. */
export class ContainerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

/** Expands `$(NAME)` from `vars`; `$$(NAME)` stays literal `$(NAME)`; unknown names stay as written. */
export function expandVars(input: string, vars: Readonly<Record<string, string>>): string {
  return input.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (match, name: string | undefined) => {
    if (match === '$$') return '$';
    return name !== undefined && Object.hasOwn(vars, name) ? vars[name] : match;
  });
}

function stringMap(obj: KubeObject, field: 'data' | 'stringData'): Record<string, string> {
  return (obj[field] ?? {}) as Record<string, string>;
}

function sourceData(cluster: SimCluster, namespace: string, kind: 'ConfigMap' | 'Secret', name: string): Record<string, string> | undefined {
  const obj = cluster.get(kind, namespace, name);
  if (!obj) return undefined;
  if (kind === 'ConfigMap') return { ...stringMap(obj, 'data') };
  const decoded: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringMap(obj, 'data'))) decoded[k] = Buffer.from(v, 'base64').toString('utf8');
  return { ...decoded, ...stringMap(obj, 'stringData') };
}

function keyRef(cluster: SimCluster, namespace: string, kind: 'ConfigMap' | 'Secret', ref: KeyRef): string | undefined {
  const data = sourceData(cluster, namespace, kind, ref.name);
  const label = kind === 'ConfigMap' ? 'configmap' : 'secret';
  if (!data) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`${label} "${ref.name}" not found`);
  }
  if (!Object.hasOwn(data, ref.key)) {
    if (ref.optional) return undefined;
    throw new ContainerConfigError(`couldn't find key ${ref.key} in ${kind} ${namespace}/${ref.name}`);
  }
  return data[ref.key];
}

function fieldRef(pod: KubeObject, fieldPath: string): string {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  const status = (pod.status ?? {}) as Record<string, unknown>;
  const label = /^metadata\.labels\['(.+)'\]$/.exec(fieldPath);
  if (label) return pod.metadata.labels?.[label[1]] ?? '';
  const annotation = /^metadata\.annotations\['(.+)'\]$/.exec(fieldPath);
  if (annotation) return pod.metadata.annotations?.[annotation[1]] ?? '';
  switch (fieldPath) {
    case 'metadata.name': return pod.metadata.name;
    case 'metadata.namespace': return pod.metadata.namespace ?? '';
    case 'metadata.uid': return pod.metadata.uid;
    case 'spec.nodeName': return String(spec.nodeName ?? '');
    case 'spec.serviceAccountName': return String(spec.serviceAccountName ?? 'default');
    case 'status.podIP': return String(status.podIP ?? '');
    case 'status.hostIP': return String(status.hostIP ?? '');
    default: throw new ContainerConfigError(`unsupported fieldPath: ${fieldPath}`);
  }
}

/** Resolves the container's environment against the cluster. Throws ContainerConfigError like the kubelet would. */
export function containerEnvironment(cluster: SimCluster, pod: KubeObject, container: ContainerSpec): Record<string, string> {
  const namespace = pod.metadata.namespace ?? 'default';
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const ref = source.configMapRef ?? source.secretRef;
    if (!ref) continue;
    const kind = source.configMapRef ? 'ConfigMap' : 'Secret';
    const data = sourceData(cluster, namespace, kind, ref.name);
    if (!data) {
      if (ref.optional) continue;
      throw new ContainerConfigError(`${kind === 'ConfigMap' ? 'configmap' : 'secret'} "${ref.name}" not found`);
    }
    for (const [k, v] of Object.entries(data)) env[`${source.prefix ?? ''}${k}`] = v;
  }
  for (const variable of container.env ?? []) {
    const from = variable.valueFrom;
    let value: string | undefined;
    if (from?.configMapKeyRef) value = keyRef(cluster, namespace, 'ConfigMap', from.configMapKeyRef);
    else if (from?.secretKeyRef) value = keyRef(cluster, namespace, 'Secret', from.secretKeyRef);
    else if (from?.fieldRef) value = fieldRef(pod, from.fieldRef.fieldPath);
    else value = expandVars(variable.value ?? '', env);
    if (value !== undefined) env[variable.name] = value;
  }
  return env;
}
