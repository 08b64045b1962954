/**
 * The fields of Nodes, Pods, ResourceQuotas and Events that GPU accounting and the scheduling
 * preflight read, as the watch cache holds them (plain JSON). Every field is optional: objects
 * come from the wire or from a manifest someone is still writing, and nothing here may throw on a
 * missing field.
 */
import type { ObjectMeta } from '../kube/types';

export type ResourceList = Record<string, string | number | undefined>;

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

export interface NodeAffinity {
  requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] };
}

export interface ContainerShape {
  name?: string;
  resources?: { requests?: ResourceList; limits?: ResourceList };
  /** "Always" on an init container makes it a sidecar that keeps running next to the app. */
  restartPolicy?: string;
}

export interface PodSpecShape {
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: NodeAffinity };
  tolerations?: Toleration[];
  containers?: ContainerShape[];
  initContainers?: ContainerShape[];
  overhead?: ResourceList;
  schedulerName?: string;
}

type Meta = Partial<ObjectMeta>;

export interface PodShape {
  metadata?: Meta;
  spec?: PodSpecShape;
  status?: { phase?: string; conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

export interface NodeShape {
  metadata?: Meta;
  spec?: { taints?: Taint[]; unschedulable?: boolean };
  status?: {
    allocatable?: ResourceList;
    capacity?: ResourceList;
    conditions?: { type?: string; status?: string }[];
  };
}

export interface ResourceQuotaShape {
  metadata?: Meta;
  spec?: { hard?: ResourceList; scopes?: string[]; scopeSelector?: unknown };
  status?: { hard?: ResourceList; used?: ResourceList };
}

export interface EventShape {
  metadata?: Meta;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  eventTime?: string | null;
  lastTimestamp?: string | null;
  firstTimestamp?: string | null;
  series?: { lastObservedTime?: string; count?: number };
}

/** A pod in a terminal phase holds no resources. */
export function isFinished(pod: PodShape): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** "namespace/name", the key pods and events are joined on. */
export function podKeyOf(meta: Meta | undefined): string {
  return `${meta?.namespace ?? ''}/${meta?.name ?? ''}`;
}
