/**
 * Completion in Kubernetes YAML: what to offer at a cursor, from the schema (bundled, or the
 * cluster's own with its CRDs), the workspace's manifests and the connected cluster's caches.
 * Pure and synchronous: cluster answers not cached yet make the result `incomplete` (the editor
 * asks again on the next keystroke) and never delay this one.
 */
import { get, str, type YNode } from '../tree';
import { isGpuResource } from '../rules/gpu';
import type { WorkspaceIndex } from '../navigate/workspaceIndex';
import { keySlot, valueSlot } from '../navigate/slots';
import type { ClusterLookup } from './clusterLookup';
import { cursorContext, ITEM, type CursorContext } from './cursor';
import { documentTree, nodeAt } from './docTree';
import type { CompletionEntry, CompletionResult } from './items';
import { apiVersionItems, documentTemplates, kindValueItems } from './kindItems';
import { fieldItems, itemSnippets, scalarValueItems, type SchemaSource } from './schemaItems';
import { kindType, schemaAt } from './schemaAt';
import { slotCandidates } from './slotItems';
import type { SnippetHints } from './snippets';
import { candidateItems, type ValueSources } from './sources';
import { asSeq } from '../tree';

export interface CompletionRequest {
  text: string;
  offset: number;
  schema: SchemaSource;
  workspace?: WorkspaceIndex;
  cluster?: ClusterLookup;
  /** How a workspace file is named in an item's origin (default: its last path segment). */
  fileLabel?: (file: string) => string;
}

const lastSegment = (file: string): string => decodeURIComponent(file.slice(file.lastIndexOf('/') + 1));

/** One request's lazily computed facts. */
class RequestState implements ValueSources {
  private treeValue: YNode | undefined | null = null;
  private waiting = false;
  readonly namespace: string | undefined;

  constructor(readonly req: CompletionRequest, readonly ctx: CursorContext) {
    this.namespace = ctx.namespace ?? req.cluster?.defaultNamespace;
  }

  get workspace(): WorkspaceIndex | undefined {
    return this.req.workspace;
  }

  get cluster(): ClusterLookup | undefined {
    return this.req.cluster;
  }

  get incomplete(): boolean {
    return this.waiting;
  }

  tree(): YNode | undefined {
    if (this.treeValue === null) this.treeValue = documentTree(this.req.text, this.ctx.documentStart, this.ctx.documentEnd, this.req.offset);
    return this.treeValue;
  }

  fileLabel(file: string): string {
    return (this.req.fileLabel ?? lastSegment)(file);
  }

  pending(): void {
    this.waiting = true;
  }

  /** Facts that make snippets fit the document and the cluster. */
  hints(): SnippetHints {
    const hints: SnippetHints = {};
    const name = str(get(get(this.tree(), 'metadata'), 'name'));
    if (name) hints.appName = name;
    const at = this.ctx.path.lastIndexOf(ITEM);
    if (at > 0 && /^(initC|c)ontainers$/.test(this.ctx.path[at - 1])) {
      const container = nodeAt(this.tree(), this.ctx.path.slice(0, at + 1), this.req.offset);
      const port = asSeq(get(container, 'ports')).map((p) => str(get(p, 'name'))).find(Boolean);
      if (port) hints.portName = port;
    }
    const nodes = this.req.cluster?.nodes();
    if (nodes) {
      const gpuNodes = nodes.filter((n) => Object.keys(n.allocatable).some(isGpuResource));
      const taints = new Map<string, { key: string; value?: string; effect: string }>();
      for (const n of gpuNodes) for (const t of n.taints) if (t.effect !== 'PreferNoSchedule') taints.set(`${t.key}=${t.value ?? ''}:${t.effect}`, t);
      if (taints.size) hints.gpuTaints = [...taints.values()];
      const resources = gpuNodes.flatMap((n) => Object.keys(n.allocatable).filter(isGpuResource));
      hints.gpuResource = resources.find((r) => r === 'nvidia.com/gpu') ?? resources[0];
    }
    return hints;
  }
}

function keyItems(state: RequestState): CompletionEntry[] {
  const { ctx, req } = state;
  const out: CompletionEntry[] = [];
  if (ctx.path.length === 0 && !ctx.kind) {
    out.push(...documentTemplates(req.schema, ctx, state.hints()));
    for (const key of ['apiVersion', 'kind']) {
      if (ctx.siblings.includes(key)) continue;
      out.push({ label: key, kind: 'field', detail: 'string · required', insertText: `${key}: `, snippet: false, replaceStart: ctx.replaceStart, replaceEnd: ctx.replaceEnd, sortText: `3_${key}`, source: 'schema', origin: req.schema.origin });
    }
    return out;
  }
  const typeName = kindType(req.schema.schema, ctx.apiVersion, ctx.kind);
  const target = typeName ? schemaAt(req.schema.schema, typeName, ctx.path) : undefined;
  if (target?.type.kind === 'ref') {
    const hints = state.hints();
    out.push(...fieldItems(req.schema, target.type.name, ctx, hints));
    if (ctx.newItem) out.push(...itemSnippets(req.schema, target.type.name, ctx, hints));
    return out;
  }
  if (ctx.newItem && target && target.type.kind !== 'map') return valueItems(state);
  const slot = keySlot(ctx.kind, ctx.path);
  if (slot) out.push(...candidateItems(ctx, slotCandidates(state, slot).filter((c) => !ctx.siblings.includes(c.value)), !ctx.keyHasColon));
  return out;
}

function valueItems(state: RequestState): CompletionEntry[] {
  const { ctx, req } = state;
  if (ctx.path.length === 1 && ctx.path[0] === 'apiVersion') return apiVersionItems(req.schema, ctx);
  if (ctx.path.length === 1 && ctx.path[0] === 'kind') return kindValueItems(req.schema, ctx);
  const out: CompletionEntry[] = [];
  const typeName = kindType(req.schema.schema, ctx.apiVersion, ctx.kind);
  const target = typeName ? schemaAt(req.schema.schema, typeName, ctx.path) : undefined;
  if (target) out.push(...scalarValueItems(req.schema, target.type, target.field?.e, ctx));
  const slot = valueSlot(ctx.kind, ctx.path);
  if (slot) out.push(...candidateItems(ctx, slotCandidates(state, slot), false));
  return out;
}

/** What to offer at `req.offset` in `req.text`. */
export function complete(req: CompletionRequest): CompletionResult {
  const ctx = cursorContext(req.text, req.offset);
  if (!ctx) return { items: [], incomplete: false };
  const state = new RequestState(req, ctx);
  const items = ctx.slot === 'key' ? keyItems(state) : valueItems(state);
  return { items, incomplete: state.incomplete };
}
