/**
 * Values for fields that name something: objects declared in the workspace and existing in the
 * cluster, port names of the selected pods or of this container, and pod label keys and values
 * used by the workspace's workloads.
 */
import { asMap, asSeq, get, str, stringMap, type YNode } from '../tree';
import { CLUSTER_SCOPED_REFS, refKind, type Slot } from '../navigate/slots';
import { ITEM } from './cursor';
import { nodeAt } from './docTree';
import { clusterOrigin, type ValueCandidate, type ValueSources } from './sources';
import { nodeCandidates } from './nodeItems';

/** The value of the sibling field `key` of the value at the cursor (of the list holding it, for a list item). */
function sibling(src: ValueSources, key: string): string | undefined {
  const path = src.ctx.path;
  const parent = nodeAt(src.tree(), path.slice(0, path[path.length - 1] === ITEM ? -2 : -1), src.ctx.replaceStart);
  return str(get(parent, key));
}

function objectCandidates(src: ValueSources, slot: Extract<Slot, { type: 'object' }>): ValueCandidate[] {
  const kind = refKind(slot, slot.kindFrom ? sibling(src, slot.kindFrom) : undefined);
  if (!kind) return [];
  const out: ValueCandidate[] = [];
  const clusterScoped = CLUSTER_SCOPED_REFS.has(kind);
  const ns = clusterScoped ? undefined : src.namespace;
  if (kind === 'Namespace') {
    for (const name of src.workspace?.namespaces() ?? []) out.push({ value: name, kind: 'reference', detail: 'Namespace', rank: 1, source: 'workspace', origin: 'workspace manifests' });
  } else {
    for (const o of src.workspace?.objects(kind, ns) ?? []) {
      out.push({ value: o.name, kind: 'reference', detail: o.namespace ? `${kind} in ${o.namespace}` : kind, rank: 1, source: 'workspace', origin: `workspace: ${src.fileLabel(o.location.file)}` });
    }
  }
  const cluster = src.cluster;
  if (cluster) {
    const names = cluster.names(kind, ns ?? (clusterScoped ? undefined : cluster.defaultNamespace));
    if (names === undefined) src.pending();
    const where = clusterScoped ? undefined : (ns ?? cluster.defaultNamespace);
    for (const name of names ?? []) out.push({ value: name, kind: 'reference', detail: where ? `${kind} in ${where}` : kind, rank: 2, source: 'cluster', origin: clusterOrigin(cluster, where) });
  }
  return out;
}

function portCandidates(src: ValueSources, slot: Extract<Slot, { type: 'port' }>): ValueCandidate[] {
  const out: ValueCandidate[] = [];
  if (slot.of === 'container') {
    const at = src.ctx.path.lastIndexOf(ITEM);
    const container = at >= 0 ? nodeAt(src.tree(), src.ctx.path.slice(0, at + 1), src.ctx.replaceStart) : undefined;
    for (const p of asSeq(get(container, 'ports'))) {
      const name = str(get(p, 'name'));
      if (name) out.push({ value: name, kind: 'value', detail: `containerPort ${str(get(p, 'containerPort')) ?? '?'}`, rank: 0, source: 'workspace', origin: 'this container' });
    }
    return out;
  }
  if (slot.of === 'backendService') {
    const service = sibling2(src, ['service', 'name']);
    for (const o of src.workspace?.objects('Service', src.namespace) ?? []) {
      if (o.name !== service) continue;
      for (const p of asSeq(get(get(o.resource.root, 'spec'), 'ports'))) {
        const name = str(get(p, 'name'));
        if (name) out.push({ value: name, kind: 'value', detail: `port ${str(get(p, 'port')) ?? '?'} of Service ${o.name}`, rank: 0, source: 'workspace', origin: `workspace: ${src.fileLabel(o.location.file)}` });
      }
    }
    return out;
  }
  const selector = stringMap(get(get(src.tree(), 'spec'), 'selector'));
  const entries = Object.entries(selector);
  for (const w of src.workspace?.workloads(src.namespace) ?? []) {
    if (entries.length === 0 || !entries.every(([k, v]) => w.labels[k] === v)) continue;
    for (const p of w.ports) {
      out.push({ value: p.name, kind: 'value', detail: `containerPort ${p.port ?? '?'} of ${w.object.kind}/${w.object.name} (${p.container})`, rank: 0, source: 'workspace', origin: `workspace: ${src.fileLabel(w.object.location.file)}` });
    }
  }
  return out;
}

/** The value at `keys` under the map that holds the cursor's parent (e.g. the backend's service.name). */
function sibling2(src: ValueSources, keys: readonly string[]): string | undefined {
  const at = src.ctx.path.lastIndexOf(keys[0]);
  if (at < 0) return undefined;
  const holder = nodeAt(src.tree(), src.ctx.path.slice(0, at), src.ctx.replaceStart);
  let node: YNode | undefined = holder;
  for (const k of keys) node = get(node, k);
  return str(node);
}

function podLabelCandidates(src: ValueSources, slot: Extract<Slot, { type: 'labelKey' | 'labelValue' }>): ValueCandidate[] {
  const labels = src.workspace?.podLabels() ?? new Map<string, Map<string, number>>();
  const own = asMap(nodeAt(src.tree(), ['spec', 'template', 'metadata', 'labels'], src.ctx.replaceStart));
  for (const [k, v] of Object.entries(stringMap(own))) {
    const values = labels.get(k) ?? new Map<string, number>();
    values.set(v, (values.get(v) ?? 0) + 1);
    labels.set(k, values);
  }
  if (slot.type === 'labelKey') {
    return [...labels].map(([key, values]) => {
      const uses = [...values.values()].reduce((a, b) => a + b, 0);
      return { value: key, kind: 'label', detail: `${uses} workload${uses === 1 ? '' : 's'}: ${[...values.keys()].slice(0, 3).join(', ')}`, rank: 1, source: 'workspace', origin: 'pod labels of the workspace\'s workloads' };
    });
  }
  const key = slot.key ?? (slot.keyFrom ? sibling(src, slot.keyFrom) : undefined);
  if (!key) return [];
  return [...(labels.get(key) ?? [])].map(([value, uses]) => ({
    value,
    kind: 'label',
    detail: `${key}=${value} on ${uses} workload${uses === 1 ? '' : 's'}`,
    rank: 1,
    source: 'workspace',
    origin: 'pod labels of the workspace\'s workloads',
  }));
}

/** Candidates for a slot's values (or, for label and resource maps, keys). */
export function slotCandidates(src: ValueSources, slot: Slot): ValueCandidate[] {
  switch (slot.type) {
    case 'object':
      return objectCandidates(src, slot);
    case 'port':
      return portCandidates(src, slot);
    case 'labelKey':
    case 'labelValue':
      if (slot.of === 'pods') return podLabelCandidates(src, slot);
      return nodeCandidates(src, slot.type === 'labelKey' ? { type: 'labelKey' } : { type: 'labelValue', key: slot.key ?? (slot.keyFrom ? sibling(src, slot.keyFrom) : undefined) });
    case 'resourceName':
      return nodeCandidates(src, { type: 'resourceName' });
    case 'taintKey':
      return nodeCandidates(src, { type: 'taintKey' });
    case 'taintValue':
      return nodeCandidates(src, { type: 'taintValue', key: sibling(src, 'key') });
  }
}
