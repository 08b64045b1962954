/**
 * Items from the schema: the fields of the object being written (required first, with their type
 * and the first sentence of their description, deprecated ones marked), whole list items (a
 * container, a GPU toleration), and enum and boolean values.
 */
import type { SchemaIndex } from '../schema/index';
import { describeType, type ParsedType } from '../schema/model';
import type { CursorContext } from './cursor';
import { firstSentence, isDeprecated, yamlScalar, type CompletionEntry } from './items';
import { fieldBody, gpuResourcesBody, objectBody, render, shortTypeName, Stops, tolerationBody, type SnippetHints } from './snippets';

export interface SchemaSource {
  schema: SchemaIndex;
  /** "Kubernetes 1.34 schema", "schema of cluster prod (Kubernetes 1.31)". */
  origin: string;
}

/** The common GPU taint, offered when no cluster says what its GPU nodes carry. */
export const DEFAULT_GPU_TAINT = { key: 'nvidia.com/gpu', effect: 'NoSchedule' } as const;

function entry(ctx: CursorContext, fields: Omit<CompletionEntry, 'replaceStart' | 'replaceEnd'>): CompletionEntry {
  return { ...fields, replaceStart: ctx.replaceStart, replaceEnd: ctx.replaceEnd };
}

/** Field names of the object type `typeName` at the cursor, minus the keys already written. */
export function fieldItems(src: SchemaSource, typeName: string, ctx: CursorContext, hints: SnippetHints): CompletionEntry[] {
  const obj = src.schema.object(typeName);
  if (!obj) return [];
  const out: CompletionEntry[] = [];
  const atRoot = ctx.path.length === 0;
  for (const [name, field] of Object.entries(obj.p)) {
    if (ctx.siblings.includes(name) || (atRoot && name === 'status')) continue;
    const type = src.schema.fieldType(field);
    const required = obj.r?.includes(name) ?? false;
    const deprecated = isDeprecated(field.d);
    let insertText: string;
    let snippet = false;
    if (ctx.keyHasColon) insertText = yamlScalar(name);
    else if (ctx.flow) insertText = `${yamlScalar(name)}: `;
    else {
      insertText = render(fieldBody(src.schema, name, type, field.e, new Stops(), hints), ctx.column);
      snippet = true;
    }
    out.push(entry(ctx, {
      label: name,
      kind: 'field',
      detail: `${describeType(type)}${required ? ' · required' : ''}${deprecated ? ' · deprecated' : ''}`,
      documentation: firstSentence(field.d),
      insertText,
      snippet,
      sortText: `${required ? 0 : deprecated ? 2 : 1}_${name}`,
      deprecated,
      source: 'schema',
      origin: src.origin,
    }));
  }
  if (!ctx.flow && !ctx.keyHasColon) out.push(...extraFieldSnippets(typeName, ctx, hints));
  return out;
}

/** Whole-field templates beyond the schema's: GPU tolerations on a pod spec, GPU resources on a container. */
function extraFieldSnippets(typeName: string, ctx: CursorContext, hints: SnippetHints): CompletionEntry[] {
  const short = shortTypeName(typeName);
  if (short === 'PodSpec' && !ctx.siblings.includes('tolerations')) {
    return gpuTolerations(hints).map(({ taint, fromCluster }) =>
      entry(ctx, {
        label: `tolerations: ${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`,
        kind: 'snippet',
        detail: fromCluster ? 'the taint of this cluster\'s GPU nodes' : 'the usual GPU node taint',
        documentation: 'Lets the pods run on GPU nodes that carry this taint.',
        insertText: render(['tolerations:', `  - ${tolerationBody(taint)[0]}`, ...tolerationBody(taint).slice(1).map((l) => `    ${l}`)], ctx.column),
        snippet: true,
        sortText: `0_tolerations_gpu`,
        source: fromCluster ? 'cluster' : 'template',
        origin: fromCluster ? 'taints of the cluster\'s GPU nodes' : 'Tether template',
      }),
    );
  }
  if (short === 'Container' && !ctx.siblings.includes('resources')) {
    const resource = hints.gpuResource ?? 'nvidia.com/gpu';
    return [entry(ctx, {
      label: `resources: ${resource}`,
      kind: 'snippet',
      detail: 'requests equal to limits',
      documentation: `Requests CPU, memory and ${resource}; a GPU's request must equal its limit.`,
      insertText: render(['resources:', ...gpuResourcesBody(new Stops(), resource).map((l) => `  ${l}`)], ctx.column),
      snippet: true,
      sortText: '1_resources_gpu',
      source: hints.gpuResource ? 'cluster' : 'template',
      origin: hints.gpuResource ? 'resources the cluster\'s nodes advertise' : 'Tether template',
    })];
  }
  return [];
}

function gpuTolerations(hints: SnippetHints): { taint: { key: string; value?: string; effect: string }; fromCluster: boolean }[] {
  if (hints.gpuTaints?.length) return hints.gpuTaints.map((taint) => ({ taint, fromCluster: true }));
  return [{ taint: DEFAULT_GPU_TAINT, fromCluster: false }];
}

/** A whole list item written after "- ": a container, a GPU toleration. */
export function itemSnippets(src: SchemaSource, itemType: string, ctx: CursorContext, hints: SnippetHints): CompletionEntry[] {
  if (ctx.siblings.length > 0 || ctx.flow) return [];
  const short = shortTypeName(itemType);
  if (short === 'Container') {
    return [entry(ctx, {
      label: 'container',
      kind: 'snippet',
      detail: 'name, image and resources',
      documentation: 'A container with its name, image, and CPU and memory requests (memory limit equal to the request).',
      insertText: render(objectBody(src.schema, itemType, new Stops(), hints), ctx.column),
      snippet: true,
      sortText: '0_container',
      source: 'template',
      origin: 'Tether template',
    })];
  }
  if (short === 'Toleration') {
    return gpuTolerations(hints).map(({ taint, fromCluster }) =>
      entry(ctx, {
        label: `${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect}`,
        kind: 'snippet',
        detail: fromCluster ? 'taint of this cluster\'s GPU nodes' : 'the usual GPU node taint',
        documentation: 'Tolerates the taint, so the pods may run on the GPU nodes that carry it.',
        insertText: render(tolerationBody(taint), ctx.column),
        snippet: true,
        sortText: '0_toleration',
        source: fromCluster ? 'cluster' : 'template',
        origin: fromCluster ? 'taints of the cluster\'s GPU nodes' : 'Tether template',
      }),
    );
  }
  return [];
}

/** Enum values and booleans of the field at the cursor. */
export function scalarValueItems(src: SchemaSource, type: ParsedType, enumValues: readonly string[] | undefined, ctx: CursorContext): CompletionEntry[] {
  const boolean = !enumValues?.length && type.kind === 'scalar' && type.name === 'boolean';
  const values = enumValues?.length ? enumValues : boolean ? ['true', 'false'] : [];
  return values.map((v, i) => entry(ctx, {
    label: v,
    kind: 'enum',
    detail: boolean ? 'boolean' : 'allowed value',
    insertText: boolean && !ctx.quote ? `${ctx.needsSpace ? ' ' : ''}${v}` : valueText(v, ctx),
    snippet: false,
    sortText: `0_${String(i).padStart(3, '0')}`,
    source: 'schema',
    origin: src.origin,
  }));
}

/** A value as inserted at the cursor: quoted unless the user opened a quote, a space after a bare colon. */
export function valueText(value: string, ctx: Pick<CursorContext, 'quote' | 'needsSpace'>): string {
  const text = ctx.quote === "'" ? value.replace(/'/g, "''") : ctx.quote === '"' ? value.replace(/["\\]/g, (c) => `\\${c}`) : yamlScalar(value);
  return ctx.needsSpace ? ` ${text}` : text;
}
