import type { ParsedDocument } from './parse';
import { asMap, asSeq, at, get, str, stringMap, type YMap, type YNode, type YScalar } from './tree';

/** One Kubernetes resource found in a file: identity plus its tree. */
export interface Resource {
  file: string;
  /** The whole text of the file, for rules whose fixes need indentation. */
  text: string;
  document: ParsedDocument;
  root: YMap;
  apiVersion: string;
  kind: string;
  /** The API group ("" for core), from apiVersion. */
  group: string;
  name?: string;
  namespace?: string;
  /** Node that best identifies the resource in messages (metadata.name value, else kind). */
  anchor: YNode;
}

export interface ContainerRef {
  node: YMap;
  name: string;
  /** The container's name value, or the item when it has none. */
  anchor: YNode;
  init: boolean;
}

export interface PodTemplate {
  spec: YMap;
  /** Labels of the pod template (or of the Pod itself). */
  labels: Record<string, string>;
  labelsNode?: YNode;
  containers: ContainerRef[];
}

const TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'ReplicationController', 'PodTemplate']);
/** Kinds whose pods run until stopped; probes matter for them. */
export const LONG_RUNNING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

export function toResource(file: string, text: string, document: ParsedDocument): Resource | undefined {
  const root = asMap(document.root ?? undefined);
  const apiVersion = str(get(root, 'apiVersion'));
  const kind = str(get(root, 'kind'));
  if (!root || !apiVersion || !kind) return undefined;
  const nameNode = at(root, 'metadata', 'name');
  const kindNode = get(root, 'kind') as YScalar;
  return {
    file,
    text,
    document,
    root,
    apiVersion,
    kind,
    group: apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '',
    name: str(nameNode),
    namespace: str(at(root, 'metadata', 'namespace')),
    anchor: nameNode ?? kindNode,
  };
}

/** The pod template of a workload (or the Pod's own spec), with its containers. */
export function podTemplate(r: Resource): PodTemplate | undefined {
  let template: YNode | undefined;
  if (r.kind === 'Pod') template = r.root;
  else if (r.kind === 'CronJob') template = at(r.root, 'spec', 'jobTemplate', 'spec', 'template');
  else if (r.kind === 'PodTemplate') template = get(r.root, 'template');
  else if (TEMPLATE_KINDS.has(r.kind)) template = at(r.root, 'spec', 'template');
  const spec = asMap(get(template, 'spec'));
  if (!spec) return undefined;
  const labelsNode = at(template, 'metadata', 'labels');
  const containers: ContainerRef[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const item of asSeq(get(spec, field))) {
      const node = asMap(item);
      if (!node) continue;
      const nameNode = get(node, 'name');
      containers.push({ node, name: str(nameNode) ?? '', anchor: nameNode ?? node, init });
    }
  }
  return { spec, labels: stringMap(labelsNode), labelsNode, containers };
}

/** Matches a label selector ({matchLabels, matchExpressions} or a plain map) against labels. */
export function selectorMatches(selector: YNode | undefined, labels: Record<string, string>, plainMap = false): boolean {
  if (plainMap) {
    for (const [k, v] of Object.entries(stringMap(selector))) if (labels[k] !== v) return false;
    return true;
  }
  for (const [k, v] of Object.entries(stringMap(get(selector, 'matchLabels')))) if (labels[k] !== v) return false;
  for (const expr of asSeq(get(selector, 'matchExpressions'))) {
    const key = str(get(expr, 'key')) ?? '';
    const op = str(get(expr, 'operator'));
    const values = asSeq(get(expr, 'values')).map((v) => str(v) ?? '');
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    if (op === 'In' && !(has && values.includes(labels[key]))) return false;
    if (op === 'NotIn' && has && values.includes(labels[key])) return false;
    if (op === 'Exists' && !has) return false;
    if (op === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** 0-based column of an offset in the resource's file. */
export function columnOf(r: Resource, offset: number): number {
  return offset - (r.text.lastIndexOf('\n', offset - 1) + 1);
}
