/**
 * What a pod template needs from its namespace: the ConfigMaps and Secrets it reads (env valueFrom,
 * envFrom, volumes, projected volumes, imagePullSecrets), each with whether the pod starts without
 * it, and a service account other than "default". Pure.
 */
import type { KubeObject } from '../../kube/types';
import { templateOf } from './fork';

export type ConfigKind = 'ConfigMap' | 'Secret';

export interface ConfigReference {
  kind: ConfigKind;
  name: string;
  /** The pod starts without it: every reference to it is marked optional (or it only pulls images). */
  optional: boolean;
}

export interface PodReferences {
  /** Sorted by kind, then name; one entry per object. */
  config: ConfigReference[];
  serviceAccount?: string;
}

interface Ref {
  name?: string;
  optional?: boolean;
}

interface EnvSource {
  valueFrom?: { configMapKeyRef?: Ref; secretKeyRef?: Ref };
}

interface EnvFromSource {
  configMapRef?: Ref;
  secretRef?: Ref;
}

interface VolumeSource {
  configMap?: Ref;
  secret?: { secretName?: string; optional?: boolean };
  projected?: { sources?: { configMap?: Ref; secret?: Ref }[] };
}

interface PodSpec {
  containers?: { env?: EnvSource[]; envFrom?: EnvFromSource[] }[];
  initContainers?: { env?: EnvSource[]; envFrom?: EnvFromSource[] }[];
  volumes?: VolumeSource[];
  imagePullSecrets?: { name?: string }[];
  serviceAccountName?: string;
}

export function podReferences(workload: KubeObject): PodReferences {
  const spec = (templateOf(workload).spec ?? {}) as PodSpec;
  const found = new Map<string, ConfigReference>();
  const add = (kind: ConfigKind, ref: Ref | undefined) => {
    if (!ref?.name) return;
    const key = `${kind}/${ref.name}`;
    const optional = ref.optional === true;
    const seen = found.get(key);
    // One required reference is enough for the pod not to start without the object.
    found.set(key, { kind, name: ref.name, optional: seen ? seen.optional && optional : optional });
  };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    for (const e of c.env ?? []) {
      add('ConfigMap', e.valueFrom?.configMapKeyRef);
      add('Secret', e.valueFrom?.secretKeyRef);
    }
    for (const e of c.envFrom ?? []) {
      add('ConfigMap', e.configMapRef);
      add('Secret', e.secretRef);
    }
  }
  for (const v of spec.volumes ?? []) {
    add('ConfigMap', v.configMap);
    if (v.secret) add('Secret', { name: v.secret.secretName, optional: v.secret.optional });
    for (const source of v.projected?.sources ?? []) {
      add('ConfigMap', source.configMap);
      add('Secret', source.secret);
    }
  }
  // The kubelet pulls without a missing pull secret (and warns), so the pod can still start.
  for (const p of spec.imagePullSecrets ?? []) add('Secret', { name: p.name, optional: true });
  const config = [...found.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
  const refs: PodReferences = { config };
  if (spec.serviceAccountName && spec.serviceAccountName !== 'default') refs.serviceAccount = spec.serviceAccountName;
  return refs;
}
