/**
 * apiVersion and kind: the pairs the schema serves (the cluster's own, CRDs included, when it is
 * the cluster's), as whole-document templates in an empty document and as values of `apiVersion:`
 * and `kind:`.
 */
import type { CursorContext } from './cursor';
import { firstSentence, snippetText, type CompletionEntry } from './items';
import type { SchemaSource } from './schemaItems';
import { valueText } from './schemaItems';
import { objectBody, render, Stops, type SnippetHints } from './snippets';

/** Kinds people write most, offered first. */
const COMMON = ['Deployment', 'Service', 'ConfigMap', 'Secret', 'Pod', 'Job', 'CronJob', 'StatefulSet', 'Ingress', 'PersistentVolumeClaim', 'ServiceAccount', 'DaemonSet', 'HorizontalPodAutoscaler'];

interface ServedKind {
  apiVersion: string;
  kind: string;
  typeName: string;
}

function servedKinds(src: SchemaSource): ServedKind[] {
  return Object.entries(src.schema.set.kinds).map(([key, typeName]) => {
    const slash = key.lastIndexOf('/');
    return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1), typeName };
  });
}

/** Built-in types are named V1Pod (bundled) or io.k8s.api.core.v1.Pod (a cluster's); anything else is a custom resource. */
function isCustom(typeName: string): boolean {
  return !/^(V\d|io\.k8s\.)/.test(typeName);
}

function rank(k: ServedKind): string {
  const common = COMMON.indexOf(k.kind);
  const group = common >= 0 ? `0${String(common).padStart(2, '0')}` : isCustom(k.typeName) ? '2' : '1';
  // Prefer the stable version when a kind is served in several.
  const stability = /alpha/.test(k.apiVersion) ? 2 : /beta/.test(k.apiVersion) ? 1 : 0;
  return `${group}_${k.kind}_${stability}_${k.apiVersion}`;
}

function origin(src: SchemaSource, k: ServedKind): string {
  return isCustom(k.typeName) ? `custom resource, ${src.origin}` : src.origin;
}

function documentBody(src: SchemaSource, k: ServedKind, hints: SnippetHints): string[] {
  const stops = new Stops();
  const lines = [`apiVersion: ${snippetText(k.apiVersion)}`, `kind: ${snippetText(k.kind)}`, 'metadata:', `  name: ${stops.placeholder(hints.appName ?? 'name')}`];
  const obj = src.schema.object(k.typeName);
  if (!obj) return lines;
  if (k.kind === 'ConfigMap') return [...lines, 'data:', `  ${stops.placeholder('key')}: ${stops.placeholder('value')}`];
  if (k.kind === 'Secret') return [...lines, 'type: Opaque', 'stringData:', `  ${stops.placeholder('key')}: ${stops.placeholder('value')}`];
  const rest = objectBody(src.schema, k.typeName, stops, hints).filter((l) => !/^(apiVersion|kind|metadata):/.test(l));
  const spec = obj.p.spec;
  if (spec && !obj.r?.includes('spec')) {
    const t = src.schema.fieldType(spec);
    const body = t.kind === 'ref' ? objectBody(src.schema, t.name, stops, hints) : [];
    rest.push('spec:', ...(body.length ? body.map((l) => `  ${l}`) : [`  \${${stops.next()}}`]));
  }
  return [...lines, ...rest];
}

/** Whole documents, one per kind served, for an empty document. */
export function documentTemplates(src: SchemaSource, ctx: CursorContext, hints: SnippetHints): CompletionEntry[] {
  if (ctx.siblings.length > 0 || ctx.column !== 0 || ctx.flow) return [];
  return servedKinds(src).map((k) => ({
    label: k.kind,
    kind: 'kind',
    detail: k.apiVersion,
    documentation: firstSentence(src.schema.object(k.typeName)?.d),
    insertText: render(documentBody(src, k, hints), 0),
    snippet: true,
    replaceStart: ctx.replaceStart,
    replaceEnd: ctx.replaceEnd,
    sortText: rank(k),
    filterText: k.kind,
    source: 'schema',
    origin: origin(src, k),
  }));
}

/** Values of `apiVersion:` (those serving the document's kind, when it is written). */
export function apiVersionItems(src: SchemaSource, ctx: CursorContext): CompletionEntry[] {
  const served = servedKinds(src);
  const matching = ctx.kind ? served.filter((k) => k.kind === ctx.kind) : served;
  const seen = new Map<string, ServedKind>();
  for (const k of matching.length ? matching : served) if (!seen.has(k.apiVersion)) seen.set(k.apiVersion, k);
  return [...seen.values()].map((k) => valueEntry(src, ctx, k, k.apiVersion, ctx.kind && k.kind === ctx.kind ? `serves ${k.kind}` : undefined));
}

/** Values of `kind:` (those the document's apiVersion serves, when it is written). */
export function kindValueItems(src: SchemaSource, ctx: CursorContext): CompletionEntry[] {
  const served = servedKinds(src);
  const matching = ctx.apiVersion ? served.filter((k) => k.apiVersion === ctx.apiVersion) : [];
  const seen = new Map<string, ServedKind>();
  for (const k of (matching.length ? matching : served).sort((a, b) => rank(a).localeCompare(rank(b)))) if (!seen.has(k.kind)) seen.set(k.kind, k);
  return [...seen.values()].map((k) => ({ ...valueEntry(src, ctx, k, k.kind, k.apiVersion), kind: 'kind' as const, documentation: firstSentence(src.schema.object(k.typeName)?.d) }));
}

function valueEntry(src: SchemaSource, ctx: CursorContext, k: ServedKind, value: string, detail: string | undefined): CompletionEntry {
  return {
    label: value,
    kind: 'value',
    detail,
    insertText: valueText(value, ctx),
    snippet: false,
    replaceStart: ctx.replaceStart,
    replaceEnd: ctx.replaceEnd,
    sortText: rank(k),
    source: 'schema',
    origin: origin(src, k),
  };
}
