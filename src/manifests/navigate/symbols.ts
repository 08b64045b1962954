/**
 * The outline of a manifest file: one entry per document ("Deployment/web"), the containers of
 * workloads beneath it; and where the live-state CodeLens goes for each workload.
 */
import { podTemplate } from '../resource';
import { get, str } from '../tree';
import type { Range } from '../types';
import type { FileAnalysis } from '../validate';
import { namespaceOf } from './workspaceIndex';

export interface ManifestSymbol {
  name: string;
  detail?: string;
  kind: 'resource' | 'container' | 'initContainer';
  /** The whole document or container. */
  range: Range;
  /** Its name. */
  selectionRange: Range;
  children: ManifestSymbol[];
}

export function documentSymbols(analysis: FileAnalysis): ManifestSymbol[] {
  const lines = analysis.lines;
  return analysis.resources.map((r) => {
    const start = r.root.start;
    const end = Math.max(r.root.end, start);
    const containers = podTemplate(r)?.containers ?? [];
    return {
      name: r.name ? `${r.kind}/${r.name}` : r.kind,
      detail: [r.apiVersion, r.namespace].filter(Boolean).join(' · '),
      kind: 'resource' as const,
      range: lines.range(start, end),
      selectionRange: lines.range(r.anchor.start, r.anchor.end),
      children: containers.map((c) => ({
        name: c.name || '(unnamed container)',
        detail: str(get(c.node, 'image')),
        kind: c.init ? ('initContainer' as const) : ('container' as const),
        range: lines.range(c.node.start, c.node.end),
        selectionRange: lines.range(c.anchor.start, c.anchor.end),
        children: [],
      })),
    };
  });
}

/** Kinds whose live state a lens shows: what the Cluster view lists as workloads, and bare pods. */
export const LIVE_KINDS: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);

export interface WorkloadLens {
  /** Offset of the document's first content character, where the lens goes. */
  offset: number;
  kind: string;
  name: string;
  /** As written; undefined: the namespace it is applied to. */
  namespace: string | undefined;
}

/** One lens per named workload of a file. */
export function workloadLenses(analysis: FileAnalysis): WorkloadLens[] {
  return analysis.resources
    .filter((r) => r.name && LIVE_KINDS.has(r.kind) && (r.apiVersion === 'v1' || /^(apps|batch)\/v1$/.test(r.apiVersion)))
    .map((r) => ({ offset: r.root.start, kind: r.kind, name: r.name!, namespace: namespaceOf(r) }));
}
