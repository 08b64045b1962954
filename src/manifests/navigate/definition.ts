/**
 * Go to Definition in a manifest: from a reference to what it names, in the workspace first, else
 * in the connected cluster (the editor opens it read-only). ConfigMap and Secret references, the
 * ServiceAccount, claims, classes, a Service's selector (the workloads it selects), scaleTargetRef,
 * Ingress and HTTPRoute backends, and port names (the container port they name).
 */
import type { ClusterLookup } from '../complete/clusterLookup';
import { ITEM } from '../complete/cursor';
import { nodeAt } from '../complete/docTree';
import type { Resource } from '../resource';
import { asSeq, get, pairOf, str, stringMap } from '../tree';
import type { FileAnalysis } from '../validate';
import { occurrencesIn, type ObjectTarget, type RefOccurrence } from './occurrences';
import { locate, sameNamespace, type Location, type WorkspaceIndex } from './workspaceIndex';

export type NavTarget =
  | { type: 'workspace'; location: Location }
  /** An object that exists in the cluster; the namespace is '' for cluster-scoped kinds. */
  | { type: 'cluster'; context: string; kind: string; namespace: string; name: string };

export interface NavigationRequest {
  /** The analysis of the document's current text. */
  analysis: FileAnalysis;
  offset: number;
  workspace: WorkspaceIndex;
  cluster?: ClusterLookup;
}

const within = (offset: number, node: { start: number; end: number }): boolean => offset >= node.start && offset <= node.end;

/** The resource whose tree holds `offset` (the innermost, for List items). */
export function resourceAt(analysis: FileAnalysis, offset: number): Resource | undefined {
  let best: Resource | undefined;
  for (const r of analysis.resources) {
    if (within(offset, r.root) && (!best || r.root.end - r.root.start < best.root.end - best.root.start)) best = r;
  }
  return best;
}

export function occurrenceAt(r: Resource, offset: number): RefOccurrence | undefined {
  return occurrencesIn(r).find((o) => within(offset, o.node));
}

/** Declarations of `target` in the workspace. */
export function declarations(workspace: WorkspaceIndex, target: ObjectTarget): Location[] {
  return workspace
    .objects(target.kind)
    .filter((o) => o.name === target.name && (target.namespace === '' || o.namespace === '' || sameNamespace(o.namespace, target.namespace)))
    .map((o) => o.location);
}

function objectTargets(req: NavigationRequest, target: ObjectTarget): NavTarget[] {
  const found = declarations(req.workspace, target);
  if (found.length) return found.map((location) => ({ type: 'workspace', location }));
  const cluster = req.cluster;
  if (!cluster) return [];
  const namespace = target.namespace === '' ? '' : (target.namespace ?? cluster.defaultNamespace);
  const names = cluster.names(target.kind as Parameters<ClusterLookup['names']>[0], namespace || undefined);
  if (!names?.includes(target.name)) return [];
  return [{ type: 'cluster', context: cluster.context, kind: target.kind, namespace, name: target.name }];
}

function portTargets(req: NavigationRequest, occ: Extract<RefOccurrence, { type: 'port' }>): NavTarget[] {
  const r = occ.resource;
  if (occ.of === 'container') {
    const at = occ.path.lastIndexOf(ITEM);
    const container = nodeAt(r.root, occ.path.slice(0, at + 1), occ.node.start);
    const name = asSeq(get(container, 'ports')).map((p) => get(p, 'name')).find((n) => str(n) === occ.port);
    return name ? [{ type: 'workspace', location: locate(req.analysis, name) }] : [];
  }
  if (occ.of === 'selected') {
    const selector = Object.entries(stringMap(get(get(r.root, 'spec'), 'selector')));
    if (selector.length === 0) return [];
    return req.workspace
      .workloads(r.namespace)
      .filter((w) => selector.every(([k, v]) => w.labels[k] === v))
      .flatMap((w) => w.ports.filter((p) => p.name === occ.port).map((p): NavTarget => ({ type: 'workspace', location: p.location })));
  }
  const serviceAt = occ.path.lastIndexOf('service');
  const service = str(get(nodeAt(r.root, occ.path.slice(0, serviceAt + 1), occ.node.start), 'name'));
  const out: NavTarget[] = [];
  for (const s of req.workspace.objects('Service', r.namespace)) {
    if (s.name !== service) continue;
    for (const p of asSeq(get(get(s.resource.root, 'spec'), 'ports'))) {
      const name = get(p, 'name');
      if (str(name) === occ.port && name) out.push({ type: 'workspace', location: locate({ path: s.location.file, lines: lineIndexOf(req, s.location.file) }, name) });
    }
  }
  return out;
}

/** The LineIndex of a workspace file (the request's own analysis, or the index's). */
function lineIndexOf(req: NavigationRequest, file: string): FileAnalysis['lines'] {
  return file === req.analysis.path ? req.analysis.lines : req.workspace.lines(file) ?? req.analysis.lines;
}

/** Workloads whose pod labels a Service's selector matches, when the cursor is on that selector. */
function selectorTargets(req: NavigationRequest, r: Resource): NavTarget[] | undefined {
  if (r.kind !== 'Service') return undefined;
  const pair = pairOf(get(r.root, 'spec'), 'selector');
  if (!pair || !within(req.offset, pair)) return undefined;
  const selector = Object.entries(stringMap(pair.value));
  if (selector.length === 0) return [];
  return req.workspace
    .workloads(r.namespace)
    .filter((w) => selector.every(([k, v]) => w.labels[k] === v))
    .map((w) => ({ type: 'workspace', location: w.object.location }));
}

/** Where the reference at the cursor leads. */
export function definitionAt(req: NavigationRequest): NavTarget[] {
  const r = resourceAt(req.analysis, req.offset);
  if (!r) return [];
  const occ = occurrenceAt(r, req.offset);
  if (occ?.type === 'object') return objectTargets(req, occ.target);
  if (occ?.type === 'port') return portTargets(req, occ);
  return selectorTargets(req, r) ?? [];
}
