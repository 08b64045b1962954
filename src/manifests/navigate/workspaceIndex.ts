/**
 * What the workspace's manifests declare, for completion and navigation: objects by kind and name
 * (with where their name is written), workloads with their pod labels and container ports, and
 * the label keys and values pods carry. Built from the analyses ManifestWorkspace already keeps;
 * each file's part is computed once per analysis (they are replaced only when a file changes).
 */
import { podTemplate, type Resource } from '../resource';
import { asSeq, get, str } from '../tree';
import type { FileAnalysis } from '../validate';
import type { Range } from '../types';

/** Kinds Kubernetes scopes to the cluster rather than a namespace. */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass', 'RuntimeClass', 'ClusterRole',
  'ClusterRoleBinding', 'CSIDriver', 'CustomResourceDefinition', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration',
]);

export interface Location {
  /** The file's key as ManifestWorkspace knows it (a URI string in the editor). */
  file: string;
  range: Range;
  start: number;
  end: number;
}

export interface DeclaredObject {
  kind: string;
  name: string;
  /** As written; undefined means "the namespace it is applied to". Empty for cluster-scoped kinds. */
  namespace: string | undefined;
  location: Location;
  resource: Resource;
}

export interface ContainerPort {
  name: string;
  port?: number;
  container: string;
  /** Where the port's name is written. */
  location: Location;
}

export interface WorkloadFacts {
  object: DeclaredObject;
  /** The pod template's labels. */
  labels: Record<string, string>;
  ports: ContainerPort[];
}

interface FileFacts {
  path: string;
  lines: FileAnalysis['lines'];
  objects: DeclaredObject[];
  workloads: WorkloadFacts[];
}

/** Whether two namespaces can be the same: one left unsaid matches any. */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export function namespaceOf(r: Pick<Resource, 'kind' | 'namespace'>): string | undefined {
  return CLUSTER_SCOPED_KINDS.has(r.kind) ? '' : r.namespace;
}

export function locate(a: Pick<FileAnalysis, 'path' | 'lines'>, node: { start: number; end: number }): Location {
  return { file: a.path, start: node.start, end: node.end, range: a.lines.range(node.start, node.end) };
}

function portsOf(a: FileAnalysis, r: Resource): ContainerPort[] {
  const out: ContainerPort[] = [];
  for (const c of podTemplate(r)?.containers ?? []) {
    for (const p of asSeq(get(c.node, 'ports'))) {
      const nameNode = get(p, 'name');
      const name = str(nameNode);
      const port = get(p, 'containerPort');
      if (name && nameNode) out.push({ name, port: port?.kind === 'scalar' && typeof port.value === 'number' ? port.value : undefined, container: c.name, location: locate(a, nameNode) });
    }
  }
  return out;
}

function factsOf(a: FileAnalysis): FileFacts {
  const objects: DeclaredObject[] = [];
  const workloads: WorkloadFacts[] = [];
  for (const r of a.resources) {
    if (!r.name) continue;
    const object: DeclaredObject = { kind: r.kind, name: r.name, namespace: namespaceOf(r), location: locate(a, r.anchor), resource: r };
    objects.push(object);
    const pod = podTemplate(r);
    if (pod) workloads.push({ object, labels: pod.labels, ports: portsOf(a, r) });
  }
  return { path: a.path, lines: a.lines, objects, workloads };
}

/** The workspace's declarations; build one per request with `WorkspaceIndex.of`. */
export class WorkspaceIndex {
  private static readonly perFile = new WeakMap<FileAnalysis, FileFacts>();

  private constructor(private readonly files: readonly FileFacts[]) {}

  static of(analyses: Iterable<FileAnalysis>): WorkspaceIndex {
    const files: FileFacts[] = [];
    for (const a of analyses) {
      let facts = WorkspaceIndex.perFile.get(a);
      if (!facts) {
        facts = factsOf(a);
        WorkspaceIndex.perFile.set(a, facts);
      }
      files.push(facts);
    }
    return new WorkspaceIndex(files);
  }

  /** Objects of `kind` (any kind when undefined) that may live in `namespace`. */
  objects(kind: string | undefined, namespace?: string): DeclaredObject[] {
    const out: DeclaredObject[] = [];
    for (const f of this.files) {
      for (const o of f.objects) {
        if (kind !== undefined && o.kind !== kind) continue;
        if (namespace !== undefined && o.namespace !== '' && !sameNamespace(o.namespace, namespace)) continue;
        out.push(o);
      }
    }
    return out;
  }

  workloads(namespace?: string): WorkloadFacts[] {
    const out: WorkloadFacts[] = [];
    for (const f of this.files) for (const w of f.workloads) if (namespace === undefined || sameNamespace(w.object.namespace, namespace)) out.push(w);
    return out;
  }

  /** Label keys of pod templates, each with its values and how many workloads use it. */
  podLabels(): Map<string, Map<string, number>> {
    const out = new Map<string, Map<string, number>>();
    for (const f of this.files) {
      for (const w of f.workloads) {
        for (const [k, v] of Object.entries(w.labels)) {
          const values = out.get(k) ?? new Map<string, number>();
          values.set(v, (values.get(v) ?? 0) + 1);
          out.set(k, values);
        }
      }
    }
    return out;
  }

  /** Line positions of a file of the index. */
  lines(file: string): FileAnalysis['lines'] | undefined {
    return this.files.find((f) => f.path === file)?.lines;
  }

  /** Namespaces the manifests name. */
  namespaces(): string[] {
    const out = new Set<string>();
    for (const f of this.files) {
      for (const o of f.objects) {
        if (o.kind === 'Namespace') out.add(o.name);
        else if (o.namespace) out.add(o.namespace);
      }
    }
    return [...out].sort();
  }
}
