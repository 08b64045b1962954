/** What value completions read besides the schema: the workspace, the cluster, the document's own tree. */
import type { YNode } from '../tree';
import type { WorkspaceIndex } from '../navigate/workspaceIndex';
import type { ClusterLookup } from './clusterLookup';
import type { CursorContext } from './cursor';
import type { CompletionEntry, ItemKind, ItemSource } from './items';
import { valueText } from './schemaItems';

export interface ValueSources {
  ctx: CursorContext;
  workspace?: WorkspaceIndex;
  cluster?: ClusterLookup;
  /** The document's namespace, else the cluster context's; undefined when neither is known. */
  namespace: string | undefined;
  /** The document's tree (parsed on first use). */
  tree(): YNode | undefined;
  /** How a workspace file is named in an item's origin. */
  fileLabel(file: string): string;
  /** A cluster answer was not cached yet: the result is incomplete. */
  pending(): void;
}

export interface ValueCandidate {
  value: string;
  kind: ItemKind;
  detail?: string;
  documentation?: string;
  /** Lower sorts first. */
  rank: number;
  source: ItemSource;
  origin: string;
}

/** Candidates as items; the same value from several places becomes one item naming each place. */
export function candidateItems(ctx: CursorContext, candidates: readonly ValueCandidate[], asKey: boolean): CompletionEntry[] {
  const byValue = new Map<string, ValueCandidate>();
  for (const c of candidates) {
    const known = byValue.get(c.value);
    if (!known) byValue.set(c.value, { ...c });
    else if (!known.origin.includes(c.origin)) {
      known.origin = `${known.origin}; ${c.origin}`;
      known.rank = Math.min(known.rank, c.rank);
      if (c.source === 'workspace') known.source = 'workspace';
    }
  }
  return [...byValue.values()].map((c) => ({
    label: c.value,
    kind: c.kind,
    detail: c.detail,
    documentation: c.documentation,
    insertText: asKey ? `${valueText(c.value, { needsSpace: false })}: ` : valueText(c.value, ctx),
    snippet: false,
    replaceStart: ctx.replaceStart,
    replaceEnd: ctx.replaceEnd,
    sortText: `${c.rank.toFixed(2).padStart(6, '0')}_${c.value}`,
    source: c.source,
    origin: c.origin,
  }));
}

/** "cluster prod, namespace shop" or "cluster prod". */
export function clusterOrigin(cluster: ClusterLookup, namespace?: string): string {
  return namespace ? `cluster ${cluster.context}, namespace ${namespace}` : `cluster ${cluster.context}`;
}
