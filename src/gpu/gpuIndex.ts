/**
 * The incremental GPU index. Fed with add/update/delete of Nodes, Pods, ResourceQuotas and
 * Events from the watch cache; answers the GPU table. An event updates a few aggregates in O(1)
 * (per GPU resource of the object) and marks the rows it touched; `table()` rebuilds only those
 * rows, so a table after one pod change costs little even with thousands of nodes.
 */
import { gpuModel, gpuResourceFilter, resourceOfQuotaKey } from './gpuResources';
import { schedulingTaints } from './placement';
import { podFacts, type PodFacts } from './podFacts';
import { resourceNumbers, type ResourceFilter } from './requests';
import type { EventShape, NodeShape, PodShape, ResourceQuotaShape } from './shapes';
import { podKeyOf } from './shapes';
import type { GpuNamespaceRow, GpuNodeRow, GpuPodRow, GpuQuotaRow, GpuResourceSummary, GpuTable } from './table';
import { buildNodeRow } from './nodeRows';
import { PlacementGroups, type PlacementNode } from './placementGroups';
import { ResourceTotals } from './resourceTotals';
import { SchedulingEvents } from './schedulingEvents';
import { WaitingRows } from './waitingRows';

export interface GpuIndexOptions {
  /** Extended resources to count as GPUs besides nvidia.com/gpu, amd.com/gpu and MIG profiles. */
  extraResources?: Iterable<string>;
}

interface NodeEntry extends PlacementNode {
  readonly model?: string;
  readonly unavailable: ReadonlyMap<string, number>;
  readonly ready: boolean;
  readonly unschedulable: boolean;
}

interface QuotaEntry {
  readonly namespace: string;
  readonly name: string;
  readonly rows: readonly { resource: string; hard: number; used?: number }[];
}

interface NamespaceTotals {
  readonly requested: Map<string, number>;
  /** Of `requested`: what pods bound to a node hold, and what pods without one wait for. */
  readonly held: Map<string, number>;
  readonly wanted: Map<string, number>;
  holding: number;
  waiting: number;
}

export class GpuIndex {
  private readonly isGpu: ResourceFilter;
  private readonly nodes = new Map<string, NodeEntry>();
  private readonly pods = new Map<string, PodFacts>();
  private readonly quotas = new Map<string, QuotaEntry>();
  private readonly events = new SchedulingEvents();
  private readonly groups = new PlacementGroups();
  /** Pods bound to a node (holders) and pods without one (waiting), by "namespace/name". */
  private readonly holderRows = new Map<string, GpuPodRow>();
  private readonly waitingPods = new Map<string, PodFacts>();

  /** GPUs requested by unfinished pods bound to each node, and how many such pods. */
  private readonly bound = new Map<string, { requested: Map<string, number>; pods: number }>();
  private readonly namespaces = new Map<string, NamespaceTotals>();
  private readonly quotasByNamespace = new Map<string, Set<string>>();

  private readonly nodeRows = new Map<string, GpuNodeRow>();
  private readonly dirtyNodes = new Set<string>();
  private nodeOrder: string[] | undefined;
  private readonly namespaceRows = new Map<string, GpuNamespaceRow>();
  private readonly dirtyNamespaces = new Set<string>();
  private namespaceOrder: string[] | undefined;
  private holdersDirty = true;
  private waitingDirty = true;
  /** Bumped on every node change: cached placement obstacles are valid within one epoch. */
  private nodeEpoch = 0;
  private readonly totals = new ResourceTotals();
  private readonly waitingRows = new WaitingRows();
  private last: GpuTable | undefined;
  private summaries = new Map<string, GpuResourceSummary>();
  private capacitySignature = '';

  constructor(options: GpuIndexOptions = {}) {
    this.isGpu = gpuResourceFilter(options.extraResources);
  }

  // --- nodes -------------------------------------------------------------------------------

  upsertNode(node: NodeShape): void {
    const name = node.metadata?.name;
    if (!name) return;
    const allocatable = resourceNumbers(node.status?.allocatable ?? node.status?.capacity, this.isGpu);
    for (const [resource, n] of allocatable) if (!(n > 0)) allocatable.delete(resource);
    // GPUs the node has but does not offer (capacity above allocatable): usually a device plugin
    // that stopped reporting healthy devices. Such a node stays in the table to show it.
    const unavailable = new Map<string, number>();
    for (const [resource, n] of resourceNumbers(node.status?.capacity, this.isGpu)) {
      const missing = n - (allocatable.get(resource) ?? 0);
      if (missing > 0) unavailable.set(resource, missing);
    }
    if (allocatable.size === 0 && unavailable.size === 0) {
      this.deleteNode(name);
      return;
    }
    const labels = node.metadata?.labels ?? {};
    const conditions = Array.isArray(node.status?.conditions) ? node.status.conditions : [];
    if (!this.nodes.has(name)) this.nodeOrder = undefined;
    const entry: NodeEntry = {
      name,
      labels,
      model: gpuModel(labels),
      allocatable,
      unavailable,
      taints: schedulingTaints(node),
      ready: conditions.some((c) => c?.type === 'Ready' && c.status === 'True'),
      unschedulable: node.spec?.unschedulable === true,
    };
    this.nodes.set(name, entry);
    this.groups.set(entry);
    this.nodeChanged(name);
  }

  deleteNode(node: NodeShape | string): void {
    const name = typeof node === 'string' ? node : node.metadata?.name;
    if (!name || !this.nodes.delete(name)) return;
    this.groups.delete(name);
    this.nodeOrder = undefined;
    this.nodeChanged(name);
  }

  private nodeChanged(name: string): void {
    this.dirtyNodes.add(name);
    this.nodeEpoch++;
    this.waitingDirty = true;
  }

  // --- pods --------------------------------------------------------------------------------

  upsertPod(pod: PodShape): void {
    const key = podKeyOf(pod.metadata);
    const facts = podFacts(pod, this.isGpu);
    const old = this.pods.get(key);
    if (old) this.account(old, -1);
    if (facts) {
      this.pods.set(key, facts);
      this.account(facts, +1);
    } else if (old) {
      this.pods.delete(key);
    }
  }

  deletePod(pod: PodShape): void {
    const key = podKeyOf(pod.metadata);
    const old = this.pods.get(key);
    if (!old) return;
    this.account(old, -1);
    this.pods.delete(key);
  }

  private account(facts: PodFacts, sign: 1 | -1): void {
    const { row } = facts;
    let ns = this.namespaces.get(row.namespace);
    if (!ns) {
      ns = { requested: new Map(), held: new Map(), wanted: new Map(), holding: 0, waiting: 0 };
      this.namespaces.set(row.namespace, ns);
      this.namespaceOrder = undefined;
    }
    addAll(ns.requested, facts.gpus, sign);
    addAll(row.node ? ns.held : ns.wanted, facts.gpus, sign);
    if (row.node) {
      ns.holding += sign;
      let slot = this.bound.get(row.node);
      if (!slot) {
        slot = { requested: new Map(), pods: 0 };
        this.bound.set(row.node, slot);
      }
      addAll(slot.requested, facts.gpus, sign);
      slot.pods += sign;
      if (slot.pods === 0) this.bound.delete(row.node);
      this.dirtyNodes.add(row.node);
      this.holdersDirty = true;
      if (sign > 0) this.holderRows.set(row.key, row);
      else this.holderRows.delete(row.key);
    } else {
      ns.waiting += sign;
      if (sign > 0) this.waitingPods.set(row.key, facts);
      else this.waitingPods.delete(row.key);
      this.waitingDirty = true;
    }
    this.dirtyNamespaces.add(row.namespace);
  }

  // --- quotas and events --------------------------------------------------------------------

  upsertQuota(quota: ResourceQuotaShape): void {
    const namespace = quota.metadata?.namespace ?? '';
    const name = quota.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const hard = resourceNumbers(quota.status?.hard ?? quota.spec?.hard);
    const used = resourceNumbers(quota.status?.used);
    const rows: QuotaEntry['rows'][number][] = [];
    for (const [quotaKey, n] of hard) {
      const resource = resourceOfQuotaKey(quotaKey, this.isGpu);
      if (resource) rows.push({ resource, hard: n, used: used.get(quotaKey) });
    }
    if (rows.length === 0) {
      this.deleteQuota(quota);
      return;
    }
    this.quotas.set(key, { namespace, name, rows });
    let keys = this.quotasByNamespace.get(namespace);
    if (!keys) this.quotasByNamespace.set(namespace, (keys = new Set()));
    if (!keys.has(key)) this.namespaceOrder = undefined;
    keys.add(key);
    this.dirtyNamespaces.add(namespace);
  }

  deleteQuota(quota: ResourceQuotaShape): void {
    const namespace = quota.metadata?.namespace ?? '';
    const key = `${namespace}/${quota.metadata?.name ?? ''}`;
    if (!this.quotas.delete(key)) return;
    const keys = this.quotasByNamespace.get(namespace);
    keys?.delete(key);
    if (keys?.size === 0) this.quotasByNamespace.delete(namespace);
    this.namespaceOrder = undefined;
    this.dirtyNamespaces.add(namespace);
  }

  upsertEvent(event: EventShape): void {
    if (this.events.upsert(event)) this.waitingDirty = true;
  }

  deleteEvent(event: EventShape): void {
    if (this.events.delete(event)) this.waitingDirty = true;
  }

  // --- the table -----------------------------------------------------------------------------

  /** The current table. Unchanged parts are the same objects as in the previous table. */
  table(): GpuTable {
    const nodesChanged = this.dirtyNodes.size > 0;
    const namespacesChanged = this.dirtyNamespaces.size > 0 || this.namespaceOrder === undefined;
    if (this.last && !nodesChanged && !namespacesChanged && !this.holdersDirty && !this.waitingDirty) return this.last;

    let nodes = this.last?.nodes ?? [];
    let resources = this.last?.resources ?? [];
    if (nodesChanged || !this.last) {
      for (const name of this.dirtyNodes) {
        const entry = this.nodes.get(name);
        const old = this.nodeRows.get(name);
        const row = entry ? buildNodeRow(entry, this.bound.get(name)) : undefined;
        if (row) this.nodeRows.set(name, row);
        else this.nodeRows.delete(name);
        this.totals.replace(old, row);
      }
      this.dirtyNodes.clear();
      this.nodeOrder ??= [...this.nodes.keys()].sort();
      nodes = this.nodeOrder.map((name) => this.nodeRows.get(name) as GpuNodeRow);
      const next = this.totals.summaries(() => this.nodeRows.values());
      if (next !== resources) {
        resources = next;
        this.summaries = new Map(resources.map((r) => [r.resource, r]));
        // Waiting reasons read only these numbers of the summaries; other changes leave them be.
        const signature = resources
          .map((r) => `${r.resource}:${r.nodes}:${r.allocatable}:${r.largestAllocatable}:${r.largestFree?.node}:${r.largestFree?.free}`)
          .join('|');
        if (signature !== this.capacitySignature) {
          this.capacitySignature = signature;
          if (this.waitingPods.size > 0) this.waitingDirty = true;
        }
      }
    }

    let namespaces = this.last?.namespaces ?? [];
    if (namespacesChanged || !this.last) {
      for (const ns of this.dirtyNamespaces) this.refreshNamespace(ns);
      this.dirtyNamespaces.clear();
      this.namespaceOrder ??= [...this.namespaceRows.keys()].sort();
      namespaces = this.namespaceOrder.map((ns) => this.namespaceRows.get(ns) as GpuNamespaceRow);
    }

    let holders = this.last?.holders ?? [];
    if (this.holdersDirty || !this.last) {
      holders = [...this.holderRows.values()];
      this.holdersDirty = false;
    }

    let waiting = this.last?.waiting ?? [];
    if (this.waitingDirty || !this.last) {
      waiting = this.waitingRows.rows(this.waitingPods.values(), {
        groups: () => this.groups.values(),
        nodeEpoch: this.nodeEpoch,
        summaries: this.summaries,
        nodesKnown: this.nodes.size > 0,
        schedulerFor: (key, uid) => this.events.latestFor(key, uid),
      });
      this.waitingDirty = false;
    }

    this.last = { resources, nodes, namespaces, holders, waiting };
    return this.last;
  }

  private refreshNamespace(namespace: string): void {
    const totals = this.namespaces.get(namespace);
    const quotaRows: GpuQuotaRow[] = [];
    for (const key of this.quotasByNamespace.get(namespace) ?? []) {
      const quota = this.quotas.get(key);
      if (!quota) continue;
      for (const r of quota.rows) {
        quotaRows.push({ quota: quota.name, resource: r.resource, hard: r.hard, used: r.used ?? totals?.requested.get(r.resource) ?? 0 });
      }
    }
    const requested = counted(totals?.requested);
    if (totals && totals.holding === 0 && totals.waiting === 0) this.namespaces.delete(namespace);
    const has = this.namespaceRows.has(namespace);
    if (requested.length === 0 && quotaRows.length === 0) {
      if (has) {
        this.namespaceRows.delete(namespace);
        this.namespaceOrder = undefined;
      }
      return;
    }
    if (!has) this.namespaceOrder = undefined;
    this.namespaceRows.set(namespace, {
      namespace,
      requested,
      held: counted(totals?.held),
      waitingFor: counted(totals?.wanted),
      quotas: quotaRows,
      holding: totals?.holding ?? 0,
      waiting: totals?.waiting ?? 0,
    });
  }
}

/** Counts above zero, sorted by resource name. */
function counted(counts: ReadonlyMap<string, number> | undefined): { resource: string; count: number }[] {
  if (!counts) return [];
  return [...counts].filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1)).map(([resource, count]) => ({ resource, count }));
}

function addAll(into: Map<string, number>, from: ReadonlyMap<string, number>, sign: 1 | -1): void {
  for (const [resource, n] of from) {
    const next = (into.get(resource) ?? 0) + sign * n;
    if (next === 0) into.delete(resource);
    else into.set(resource, next);
  }
}
