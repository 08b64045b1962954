/**
 * The GPU table: what the GPU view, tooltips and the status bar render. Plain readonly data;
 * rows that did not change between two tables are the same objects, so a renderer can compare
 * by identity.
 */
import type { Taint } from './shapes';

/** One GPU resource on one node (or summed over the cluster). */
export interface GpuSlot {
  readonly resource: string;
  readonly allocatable: number;
  readonly requested: number;
  /** allocatable - requested, never below zero. */
  readonly free: number;
}

export interface GpuNodeRow {
  readonly name: string;
  /** From labels such as nvidia.com/gpu.product. */
  readonly model?: string;
  /** One slot per GPU resource the node has or that pods bound to it request, sorted by name. */
  readonly slots: readonly GpuSlot[];
  /** Taints that keep pods off the node (NoSchedule, NoExecute). */
  readonly taints: readonly Taint[];
  readonly ready: boolean;
  readonly unschedulable: boolean;
  /** GPU pods bound to the node and not finished. */
  readonly pods: number;
  /**
   * GPUs in the node's capacity that it does not offer (allocatable is lower), e.g. when the
   * device plugin marks devices unhealthy. Absent when every GPU is offered.
   */
  readonly unavailable?: readonly { readonly resource: string; readonly count: number }[];
}

export interface GpuResourceSummary extends GpuSlot {
  /** Nodes that have this resource. */
  readonly nodes: number;
  /** The node with the most free units, when any node has the resource. */
  readonly largestFree?: { readonly node: string; readonly free: number };
  /** The most any single node can offer in total. */
  readonly largestAllocatable: number;
}

export interface GpuQuotaRow {
  readonly quota: string;
  readonly resource: string;
  /** From the quota's status when the API server has filled it in, else from the pods seen. */
  readonly used: number;
  readonly hard: number;
}

export interface GpuNamespaceRow {
  readonly namespace: string;
  /** GPUs requested by the namespace's pods that are not finished (bound or waiting). */
  readonly requested: readonly { readonly resource: string; readonly count: number }[];
  /** The part of `requested` that pods bound to a node hold. */
  readonly held: readonly { readonly resource: string; readonly count: number }[];
  /** The part of `requested` that pods without a node wait for. */
  readonly waitingFor: readonly { readonly resource: string; readonly count: number }[];
  readonly quotas: readonly GpuQuotaRow[];
  /** Pods holding GPUs, and pods waiting for them. */
  readonly holding: number;
  readonly waiting: number;
}

export interface GpuOwner {
  readonly kind: string;
  readonly name: string;
}

export interface GpuPodRow {
  /** "namespace/name". */
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid?: string;
  readonly node?: string;
  readonly phase?: string;
  /** Every container ready. A holder that is not ready keeps GPUs without doing work. */
  readonly ready: boolean;
  readonly gpus: readonly { readonly resource: string; readonly count: number }[];
  readonly owner?: GpuOwner;
  /** metadata.creationTimestamp, for the age column. */
  readonly createdAt?: string;
}

export interface GpuWaitingRow extends GpuPodRow {
  /** Plain-language reason built from the numbers and the scheduler's events. */
  readonly reason: string;
  /** The scheduler's latest FailedScheduling message, verbatim. */
  readonly scheduler?: string;
}

export interface GpuTable {
  readonly resources: readonly GpuResourceSummary[];
  readonly nodes: readonly GpuNodeRow[];
  readonly namespaces: readonly GpuNamespaceRow[];
  readonly holders: readonly GpuPodRow[];
  readonly waiting: readonly GpuWaitingRow[];
}
