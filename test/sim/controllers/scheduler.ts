/**
 * The simulated default-scheduler: binds pending pods to a node that is schedulable, whose taints
 * the pod tolerates, that matches its nodeSelector and has room for its requests (cpu, memory and
 * extended resources such as nvidia.com/gpu, amd.com/gpu, nvidia.com/mig-*). When nothing fits the
 * pod stays Pending with PodScheduled=False/Unschedulable and a FailedScheduling event worded like
 * the real scheduler's.
 */
import type { KubeObject } from '../../../src/kube/types';
import { parseQuantity, podRequests, type Resources } from '../quantity';
import type { StoreEvent } from '../store';
import { Controller, splitKey } from './controller';
import type { ControllerContext, ControllerTimings } from './index';
import { setCondition, type Dict } from './pod-status';

interface Taint {
  key: string;
  value?: string;
  effect: string;
}

interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

function tolerates(tolerations: Toleration[], taint: Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

function isTerminal(pod: KubeObject): boolean {
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Why one node cannot take the pod: the first failing filter's reasons, like the scheduler's plugins. */
export function nodeFailures(pod: KubeObject, node: KubeObject, used: Resources): string[] {
  const spec = (pod.spec ?? {}) as { nodeSelector?: Record<string, string>; tolerations?: Toleration[] };
  const nodeSpec = (node.spec ?? {}) as { unschedulable?: boolean; taints?: Taint[] };
  if (nodeSpec.unschedulable) return ['node(s) were unschedulable'];
  const untolerated = (nodeSpec.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(spec.tolerations ?? [], t));
  if (untolerated) return [`node(s) had untolerated taint {${untolerated.key}: ${untolerated.value ?? ''}}`];
  const labels = node.metadata.labels ?? {};
  if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return ["node(s) didn't match Pod's node affinity/selector"];
  const allocatable = ((node.status as { allocatable?: Record<string, string> } | undefined)?.allocatable ?? {});
  const requests = podRequests(pod.spec as Parameters<typeof podRequests>[0]);
  const missing: string[] = [];
  if (allocatable.pods !== undefined && (used.get('pods') ?? 0) + 1 > parseQuantity(allocatable.pods)) missing.push('Too many pods');
  for (const [resource, amount] of requests) {
    if (amount <= 0) continue;
    const free = parseQuantity(allocatable[resource]) - (used.get(resource) ?? 0);
    if (!(amount <= free + 1e-9)) missing.push(`Insufficient ${resource}`);
  }
  return missing;
}

/** "0/3 nodes are available: 1 Insufficient nvidia.com/gpu, 2 node(s) had untolerated taint {…}. preemption: …" */
export function failedSchedulingMessage(nodeCount: number, reasons: string[][]): string {
  const counts = new Map<string, number>();
  for (const list of reasons) for (const r of list) counts.set(r, (counts.get(r) ?? 0) + 1);
  const parts = [...counts.entries()].map(([r, n]) => `${n} ${r}`).sort((a, b) => a.slice(a.indexOf(' ') + 1).localeCompare(b.slice(b.indexOf(' ') + 1)));
  const head = nodeCount === 0 ? '0/0 nodes are available' : `0/${nodeCount} nodes are available: ${parts.join(', ')}`;
  return `${head}. preemption: 0/${nodeCount} nodes are available: ${nodeCount} No preemption victims found for incoming pod.`;
}

export class Scheduler extends Controller {
  constructor(ctx: ControllerContext, timings: ControllerTimings) {
    super(ctx, timings, 'scheduler');
  }

  private pending(): KubeObject[] {
    return this.ctx.store.list(this.ctx.api.registry.kind('Pod')).filter((p) => this.wants(p));
  }

  private wants(pod: KubeObject): boolean {
    const spec = (pod.spec ?? {}) as { nodeName?: string; schedulerName?: string };
    return !spec.nodeName && !pod.metadata.deletionTimestamp && (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler' && !isTerminal(pod);
  }

  protected keysFor(event: StoreEvent): Iterable<string> {
    const { info, object } = event;
    if (info.kind === 'Pod') {
      if (event.type === 'ADDED' && this.wants(object)) return [`${object.metadata.namespace}/${object.metadata.name}`];
      // Capacity was freed: every waiting pod gets another chance.
      if (event.type === 'DELETED' || isTerminal(object)) return this.pending().map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
      return [];
    }
    if (info.kind === 'Node') return this.pending().map((p) => `${p.metadata.namespace}/${p.metadata.name}`);
    return [];
  }

  private usage(): Map<string, Resources> {
    const byNode = new Map<string, Resources>();
    for (const pod of this.ctx.store.list(this.ctx.api.registry.kind('Pod'))) {
      const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName;
      if (!node || isTerminal(pod)) continue;
      const used = byNode.get(node) ?? new Map<string, number>();
      for (const [k, v] of podRequests(pod.spec as Parameters<typeof podRequests>[0])) used.set(k, (used.get(k) ?? 0) + v);
      used.set('pods', (used.get('pods') ?? 0) + 1);
      byNode.set(node, used);
    }
    return byNode;
  }

  protected reconcile(key: string): void {
    const [ns, name] = splitKey(key);
    const podInfo = this.ctx.api.registry.kind('Pod');
    const pod = this.ctx.store.get(podInfo, ns, name);
    if (!pod || !this.wants(pod)) return;
    const nodes = this.ctx.store.list(this.ctx.api.registry.kind('Node'));
    const usage = this.usage();
    const failures: string[][] = [];
    const fits: KubeObject[] = [];
    for (const node of nodes) {
      const reasons = nodeFailures(pod, node, usage.get(node.metadata.name) ?? new Map());
      if (reasons.length === 0) fits.push(node);
      else failures.push(reasons);
    }
    if (fits.length > 0) {
      // Least allocated pods first, a simple stand-in for the scoring plugins.
      fits.sort((a, b) => (usage.get(a.metadata.name)?.get('pods') ?? 0) - (usage.get(b.metadata.name)?.get('pods') ?? 0));
      const node = fits[0].metadata.name;
      this.ctx.api.mutate(podInfo, ns, name, 'default-scheduler', (next) => {
        (next.spec as Dict).nodeName = node;
      });
      this.ctx.api.updateStatus(podInfo, ns, name, 'default-scheduler', (status) => {
        setCondition(status, 'PodScheduled', 'True');
      });
      this.ctx.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${node}`, { component: 'default-scheduler' }, 'Binding');
      return;
    }
    const message = failedSchedulingMessage(nodes.length, failures);
    this.ctx.api.updateStatus(podInfo, ns, name, 'default-scheduler', (status) => {
      setCondition(status, 'PodScheduled', 'False', 'Unschedulable', message);
    });
    this.ctx.events.record(pod, 'Warning', 'FailedScheduling', message, { component: 'default-scheduler' }, 'Scheduling');
  }
}
