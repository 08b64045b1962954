/**
 * The GPU view's tree, built from the GPU table without VS Code: sections for nodes (with usage
 * bars), namespaces (requests and quota), the pods holding GPUs and the pods waiting for them
 * (with the reason). Pure and deterministic for a given table, status and clock.
 */
import type { GpuFeedLimit, GpuFeedStatus } from '../../gpu/gpuFeed';
import type { GpuNamespaceRow, GpuNodeRow, GpuPodRow, GpuTable, GpuWaitingRow } from '../../gpu/table';
import { formatTaint } from '../../gpu/placement';
import { causeKey, failureHeadline, failureNotice, isClusterWide } from '../../kube/failureCause';
import { editorRemedy, editorStepWords } from '../stepWords';
import { formatAge } from '../views/age';

export type GpuTreeNode =
  | { readonly type: 'section'; readonly id: string; readonly label: string; readonly description: string; readonly children: readonly GpuTreeNode[] }
  | { readonly type: 'node'; readonly id: string; readonly row: GpuNodeRow; readonly description: string; readonly tooltip: string; readonly children: readonly GpuTreeNode[] }
  | { readonly type: 'slot'; readonly id: string; readonly label: string; readonly description: string }
  | { readonly type: 'namespace'; readonly id: string; readonly label: string; readonly description: string; readonly tooltip: string; readonly overQuota: boolean; readonly children: readonly GpuTreeNode[] }
  | { readonly type: 'quota'; readonly id: string; readonly label: string; readonly description: string; readonly full: boolean }
  | { readonly type: 'holder'; readonly id: string; readonly pod: GpuPodRow; readonly label: string; readonly description: string; readonly tooltip: string; readonly idle: boolean }
  | { readonly type: 'waiting'; readonly id: string; readonly pod: GpuWaitingRow; readonly label: string; readonly description: string; readonly tooltip: string; readonly children: readonly GpuTreeNode[] }
  | { readonly type: 'message'; readonly id: string; readonly severity: 'info' | 'loading' | 'error'; readonly label: string; readonly tooltip?: string; readonly retry?: boolean };

const barCells = 10;

/** "███████░░░ 7/10": used cells, then free cells. */
export function usageBar(used: number, total: number): string {
  if (total <= 0) return `${used}/0`;
  const filled = Math.min(barCells, Math.round((used / total) * barCells));
  return `${'█'.repeat(filled)}${'░'.repeat(barCells - filled)} ${used}/${total}`;
}

function counts(gpus: GpuPodRow['gpus']): string {
  return gpus.map((g) => `${g.count} ${g.resource}`).join(', ');
}

/**
 * The cluster could not be read at all (unreachable, credentials refused…): one row per cause and
 * the next step, and nothing else — empty sections would read as facts about the cluster.
 */
function unreadable(status: GpuFeedStatus): GpuTreeNode[] | undefined {
  const causes = new Map(status.failures.filter((f) => isClusterWide(f.error)).map((f) => [causeKey(f.error), f.error]));
  if (causes.size === 0) return undefined;
  return [...causes].flatMap(([key, error]): GpuTreeNode[] => [
    { type: 'message', id: `unreadable:${key}`, severity: 'error', label: `${failureHeadline(error)}: ${error.why}`, tooltip: failureNotice(error, editorStepWords), retry: true },
    { type: 'message', id: `unreadable:${key}:next`, severity: 'info', label: `Next: ${editorRemedy(error)}`, tooltip: 'Click to retry', retry: true },
  ]);
}

export function buildGpuTree(table: GpuTable, status: GpuFeedStatus, now: number): GpuTreeNode[] {
  const cannotRead = unreadable(status);
  if (cannotRead) return cannotRead;
  const roots: GpuTreeNode[] = [];
  for (const f of status.failures) {
    roots.push({ type: 'message', id: `failure:${f.kind}`, severity: 'error', label: `${f.kind}: ${f.error.why}`, tooltip: f.error.message });
  }
  roots.push(...limitRows(status.limits));
  if (status.listing.length > 0) {
    roots.push({ type: 'message', id: 'listing', severity: 'loading', label: `Loading ${status.listing.join(', ')}…` });
  }
  const nodesUnknown = status.limits.some((l) => l.kind === 'Node');
  roots.push(nodesSection(table, now, nodesUnknown), namespacesSection(table), holdersSection(table, now), waitingSection(table, now));
  return roots;
}

const kindWords: Record<string, string> = { Pod: 'pods', ResourceQuota: 'quotas', Event: 'events', Node: 'nodes' };

/**
 * What could not be seen, once: nodes refused leave the capacity unknown; pods, quotas or events
 * refused across namespaces are shown for the namespaces the user may read.
 */
function limitRows(limits: readonly GpuFeedLimit[]): GpuTreeNode[] {
  const rows: GpuTreeNode[] = [];
  const nodes = limits.find((l) => l.kind === 'Node');
  if (nodes) rows.push({ type: 'message', id: 'limit:Node', severity: 'info', label: 'GPU capacity unknown: you may not list nodes', tooltip: `${nodes.error.why}\n\nThe pods of the namespaces you may read are shown; ${nodes.error.remedy}` });
  const byNamespaces = new Map<string, GpuFeedLimit[]>();
  for (const l of limits) if (l.namespaces) byNamespaces.set(l.namespaces.join(', '), [...(byNamespaces.get(l.namespaces.join(', ')) ?? []), l]);
  for (const [namespaces, group] of byNamespaces) {
    const what = group.map((l) => kindWords[l.kind] ?? l.kind).join(', ');
    rows.push({
      type: 'message',
      id: `limit:${group.map((l) => l.kind).join('+')}`,
      severity: 'info',
      label: `Only namespace${group[0].namespaces?.length === 1 ? '' : 's'} ${namespaces}: you may not list ${what} in every namespace`,
      tooltip: group.map((l) => l.error.why).join('\n'),
    });
  }
  return rows;
}

function nodesSection(table: GpuTable, now: number, unknown = false): GpuTreeNode {
  const holdersByNode = new Map<string, GpuPodRow[]>();
  for (const pod of table.holders) {
    if (!pod.node) continue;
    let list = holdersByNode.get(pod.node);
    if (!list) holdersByNode.set(pod.node, (list = []));
    list.push(pod);
  }
  const children: GpuTreeNode[] = table.nodes.map((row) => nodeNode(row, holdersByNode.get(row.name) ?? [], now));
  if (unknown) children.push({ type: 'message', id: 'nodes:unknown', severity: 'info', label: 'Not shown: nodes cannot be listed with your permissions' });
  else if (children.length === 0) children.push({ type: 'message', id: 'nodes:none', severity: 'info', label: 'No node offers GPUs' });
  const description = table.resources.map((r) => `${r.requested}/${r.allocatable} ${r.resource}`).join(' · ');
  return { type: 'section', id: 'nodes', label: 'Nodes', description, children };
}

function nodeNode(row: GpuNodeRow, pods: GpuPodRow[], now: number): GpuTreeNode {
  const main = row.slots[0];
  const unavailable = row.unavailable?.map((u) => `${u.count} ${u.resource} unavailable`).join(', ');
  const state = [!row.ready ? 'not ready' : undefined, row.unschedulable ? 'cordoned' : undefined, unavailable].filter(Boolean).join(', ');
  const description = [
    main ? `${usageBar(main.requested, main.allocatable)}${row.slots.length > 1 ? ` +${row.slots.length - 1}` : ''}` : '',
    row.model,
    state,
  ]
    .filter(Boolean)
    .join(' · ');
  const tooltip = [
    `${row.name}${row.model ? ` (${row.model})` : ''}`,
    ...row.slots.map((s) => `${s.resource}: ${s.requested} requested of ${s.allocatable}, ${s.free} free`),
    ...(row.taints.length ? [`taints: ${row.taints.map(formatTaint).join(', ')}`] : []),
    ...(state ? [state] : []),
    ...(unavailable ? ['GPUs in the capacity but not allocatable: check the device plugin on this node'] : []),
  ].join('\n');
  const children: GpuTreeNode[] = [];
  if (row.slots.length > 1) {
    for (const s of row.slots) {
      children.push({ type: 'slot', id: `node:${row.name}:${s.resource}`, label: s.resource, description: `${usageBar(s.requested, s.allocatable)} · ${s.free} free` });
    }
  }
  for (const pod of sortPods(pods)) children.push(holderNode(pod, now, `node:${row.name}:pod:`));
  return { type: 'node', id: `node:${row.name}`, row, description, tooltip, children };
}

function namespacesSection(table: GpuTable): GpuTreeNode {
  const children: GpuTreeNode[] = table.namespaces.map((ns) => {
    const quotas: GpuTreeNode[] = ns.quotas.map((q) => ({
      type: 'quota',
      id: `ns:${ns.namespace}:quota:${q.quota}:${q.resource}`,
      label: `${q.quota}: ${q.resource}`,
      description: usageBar(q.used, q.hard),
      full: q.used >= q.hard,
    }));
    const parts = [...heldAndWaiting(ns), ...ns.quotas.map((q) => `quota ${q.used}/${q.hard}`)];
    const tooltip = [
      `${ns.namespace}: ${ns.holding} pod${ns.holding === 1 ? '' : 's'} holding ${counts(ns.held) || 'no GPUs'}`,
      `${ns.waiting} pod${ns.waiting === 1 ? '' : 's'} waiting${ns.waiting ? ` for ${counts(ns.waitingFor)}` : ''}`,
      ...ns.quotas.map((q) => `quota ${q.quota}: ${q.used} of ${q.hard} ${q.resource} used`),
    ].join('\n');
    return {
      type: 'namespace',
      id: `ns:${ns.namespace}`,
      label: ns.namespace,
      description: parts.join(' · '),
      tooltip,
      overQuota: ns.quotas.some((q) => q.used >= q.hard),
      children: quotas,
    };
  });
  return { type: 'section', id: 'namespaces', label: 'Namespaces', description: `${children.length}`, children };
}

/**
 * What a namespace's pods hold apart from what they wait for: "1 nvidia.com/gpu held · 8 waiting"
 * (the unit said once when both are the same resource), "8 nvidia.com/gpu waiting", "no GPU pods".
 */
export function heldAndWaiting(ns: Pick<GpuNamespaceRow, 'held' | 'waitingFor'>): string[] {
  const parts: string[] = [];
  if (ns.held.length) parts.push(`${counts(ns.held)} held`);
  if (ns.waitingFor.length) {
    const sameUnit = ns.held.length === 1 && ns.waitingFor.length === 1 && ns.held[0].resource === ns.waitingFor[0].resource;
    parts.push(`${sameUnit ? ns.waitingFor[0].count : counts(ns.waitingFor)} waiting`);
  }
  return parts.length ? parts : ['no GPU pods'];
}

function sortPods<T extends GpuPodRow>(pods: readonly T[]): T[] {
  return [...pods].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function holderNode(pod: GpuPodRow, now: number, idPrefix: string): GpuTreeNode {
  const age = formatAge(pod.createdAt, now);
  const idle = !pod.ready;
  const owner = pod.owner ? `${pod.owner.kind} ${pod.owner.name}` : undefined;
  const description = [pod.namespace, counts(pod.gpus), owner, age, idle ? 'not ready' : undefined].filter(Boolean).join(' · ');
  const tooltip = [
    `${pod.namespace}/${pod.name} on ${pod.node ?? '?'}`,
    `holds ${counts(pod.gpus)}`,
    owner ? `owner: ${owner}` : undefined,
    age ? `age: ${age}` : undefined,
    `phase: ${pod.phase ?? 'unknown'}${idle ? ' — not ready, its GPUs may sit idle' : ''}`,
  ]
    .filter(Boolean)
    .join('\n');
  return { type: 'holder', id: `${idPrefix}${pod.key}`, pod, label: pod.name, description, tooltip, idle };
}

function holdersSection(table: GpuTable, now: number): GpuTreeNode {
  const pods = sortPods(table.holders);
  const idle = pods.filter((p) => !p.ready).length;
  const children = pods.map((p) => holderNode(p, now, 'holder:'));
  const description = `${pods.length}${idle ? ` · ${idle} not ready` : ''}`;
  return { type: 'section', id: 'holders', label: 'Holding GPUs', description, children };
}

function waitingSection(table: GpuTable, now: number): GpuTreeNode {
  const children: GpuTreeNode[] = table.waiting.map((pod) => {
    const age = formatAge(pod.createdAt, now);
    const parts = pod.reason.split('; ');
    return {
      type: 'waiting',
      id: `waiting:${pod.key}`,
      pod,
      label: pod.name,
      description: [pod.namespace, `needs ${counts(pod.gpus)}`, age ? `waiting ${age}` : undefined].filter(Boolean).join(' · '),
      tooltip: `${pod.namespace}/${pod.name}\n${parts.join('\n')}${pod.scheduler ? `\n\nscheduler said: ${pod.scheduler}` : ''}`,
      children: parts.map((text, i) => ({ type: 'message', id: `waiting:${pod.key}:${i}`, severity: 'info', label: text }) as const),
    };
  });
  return { type: 'section', id: 'waiting', label: 'Waiting for GPUs', description: `${children.length}`, children };
}
