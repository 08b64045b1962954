/**
 * Find References in manifests: from a ConfigMap, Secret, Service, ServiceAccount, claim, class or
 * workload (its name, or any reference to it) to everything in the workspace that names it, and
 * for workloads the Services whose selector picks their pods.
 */
import { podTemplate, type Resource } from '../resource';
import { get, pairOf, stringMap } from '../tree';
import { declarations, occurrenceAt, resourceAt, type NavigationRequest } from './definition';
import { occurrencesIn, type ObjectTarget, type RefOccurrence } from './occurrences';
import { locate, namespaceOf, sameNamespace, type Location } from './workspaceIndex';

const within = (offset: number, node: { start: number; end: number }): boolean => offset >= node.start && offset <= node.end;

/** What the cursor stands on: a reference's target, or the resource whose name or kind it is on. */
function subjectAt(req: NavigationRequest): { target: ObjectTarget; resource?: Resource } | undefined {
  const r = resourceAt(req.analysis, req.offset);
  if (!r) return undefined;
  const occ = occurrenceAt(r, req.offset);
  if (occ?.type === 'object') {
    if (occ.target.kind === 'Namespace' && r.kind !== 'Namespace') return undefined;
    return { target: occ.target };
  }
  const kindNode = get(r.root, 'kind');
  if (r.name && (within(req.offset, r.anchor) || (kindNode && within(req.offset, kindNode)))) {
    return { target: { kind: r.kind, name: r.name, namespace: namespaceOf(r) }, resource: r };
  }
  return undefined;
}

const occurrencesOf = new WeakMap<Resource, RefOccurrence[]>();

function cachedOccurrences(r: Resource): RefOccurrence[] {
  let list = occurrencesOf.get(r);
  if (!list) {
    list = occurrencesIn(r);
    occurrencesOf.set(r, list);
  }
  return list;
}

function matches(a: ObjectTarget, b: ObjectTarget): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace === '' || b.namespace === '' || sameNamespace(a.namespace, b.namespace));
}

/** Everything in the workspace that refers to what the cursor stands on. */
export function referencesAt(req: NavigationRequest, includeDeclaration: boolean): Location[] {
  const subject = subjectAt(req);
  if (!subject) return [];
  const { target } = subject;
  const out: Location[] = [];
  const declared = req.workspace.objects(target.kind).filter((o) => o.name === target.name && matches({ kind: o.kind, name: o.name, namespace: o.namespace }, target));
  for (const o of req.workspace.objects(undefined)) {
    const file = { path: o.location.file, lines: req.workspace.lines(o.location.file) ?? req.analysis.lines };
    for (const occ of cachedOccurrences(o.resource)) {
      if (occ.type === 'object' && matches(occ.target, target)) out.push(locate(file, occ.node));
    }
  }
  // A workload is also referred to by the Services that select its pods.
  const workloads = declared.map((d) => d.resource).filter((r) => podTemplate(r));
  for (const w of workloads) {
    const labels = podTemplate(w)!.labels;
    for (const svc of req.workspace.objects('Service')) {
      if (!sameNamespace(svc.namespace, namespaceOf(w))) continue;
      const pair = pairOf(get(svc.resource.root, 'spec'), 'selector');
      const selector = Object.entries(stringMap(pair?.value));
      if (!pair || selector.length === 0 || !selector.every(([k, v]) => labels[k] === v)) continue;
      out.push(locate({ path: svc.location.file, lines: req.workspace.lines(svc.location.file) ?? req.analysis.lines }, pair.key));
    }
  }
  if (includeDeclaration) out.unshift(...declarations(req.workspace, target));
  const seen = new Set<string>();
  return out.filter((l) => {
    const key = `${l.file}#${l.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
