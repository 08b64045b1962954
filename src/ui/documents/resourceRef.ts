/**
 * Which object a tree node stands for, and the document URIs that show it. Pure.
 */
import { kinds, type KindInfo, type KindName } from '../../kube/kinds';
import type { AccessCheck } from '../../kube/role';
import type { ClusterNode } from '../views/clusterModel';

export interface ResourceRef {
  context: string;
  namespace: string;
  kind: KindName;
  name: string;
  /** For logs: one container of a pod. */
  container?: string;
}

export function refOf(node: ClusterNode | undefined): ResourceRef | undefined {
  if (!node) return undefined;
  switch (node.type) {
    case 'workload':
      return node.object ? { context: node.context, namespace: node.namespace, kind: node.kind, name: node.name } : undefined;
    case 'pod':
      return { context: node.context, namespace: node.namespace, kind: 'Pod', name: node.name };
    case 'container':
      return { context: node.context, namespace: node.namespace, kind: 'Pod', name: node.pod, container: node.name };
    default:
      return undefined;
  }
}

export function kindInfo(ref: ResourceRef): KindInfo {
  return kinds[ref.kind];
}

export function refLabel(ref: ResourceRef): string {
  return `${ref.kind} ${ref.namespace}/${ref.name}${ref.container ? ` (${ref.container})` : ''}`;
}

/** Path and query of a document URI for `ref`: "/Pod/web-1.yaml" + "context=…&namespace=…". */
export function refToUriParts(ref: ResourceRef, extension: string): { path: string; query: string } {
  const query = new URLSearchParams({ context: ref.context, namespace: ref.namespace });
  if (ref.container) query.set('container', ref.container);
  const file = ref.container ? `${ref.name}.${ref.container}` : ref.name;
  return { path: `/${ref.kind}/${file}.${extension}`, query: query.toString() };
}

export function refFromUriParts(path: string, query: string): ResourceRef | undefined {
  const m = /^\/([A-Za-z]+)\/([^/]+)\.[a-z]+$/.exec(path);
  const params = new URLSearchParams(query);
  const context = params.get('context');
  const namespace = params.get('namespace');
  if (!m || !(m[1] in kinds) || context === null || namespace === null) return undefined;
  const container = params.get('container') ?? undefined;
  const name = container && m[2].endsWith(`.${container}`) ? m[2].slice(0, -container.length - 1) : m[2];
  return { context, namespace, kind: m[1] as KindName, name, ...(container ? { container } : {}) };
}

/** The object as a reader wants it: no managedFields, no last-applied blob. */
export function slimForDescribe<T extends { metadata?: { managedFields?: unknown; annotations?: Record<string, string> } }>(obj: T): T {
  const copy = structuredClone(obj);
  if (copy.metadata) {
    delete copy.metadata.managedFields;
    if (copy.metadata.annotations) {
      delete copy.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration'];
      if (Object.keys(copy.metadata.annotations).length === 0) delete copy.metadata.annotations;
    }
  }
  return copy;
}

/** The permissions an action on `ref` needs, for "Copy Role YAML" when it is refused. */
export function needsFor(ref: ResourceRef, verbs: readonly string[], subresource?: string): AccessCheck[] {
  const info = kindInfo(ref);
  return verbs.map((verb) => ({
    verb,
    resource: info.plural,
    ...(subresource ? { subresource } : {}),
    ...(info.group ? { group: info.group } : {}),
    namespace: ref.namespace,
  }));
}
