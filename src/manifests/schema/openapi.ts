import type { FieldSchema, ObjectSchema, SchemaSet, TypeExpr } from './model';

/**
 * Converts a cluster's `/openapi/v3` documents (components.schemas with $ref and
 * x-kubernetes-group-version-kind; CRDs included, with their inline nested schemas) into the
 * engine's SchemaSet. Pure: the caller fetches the documents (and caches them per cluster).
 */

interface OpenApiSchema {
  description?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  $ref?: string;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  anyOf?: OpenApiSchema[];
  items?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  additionalProperties?: OpenApiSchema | boolean;
  required?: string[];
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

export interface OpenApiDocument {
  info?: { version?: string };
  components?: { schemas?: Record<string, OpenApiSchema> };
}

const MAX_DESCRIPTION = 320;
const NAMED_SCALARS: Record<string, TypeExpr> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': 'date-time',
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': 'date-time',
  'io.k8s.apimachinery.pkg.runtime.RawExtension': 'any',
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': 'any',
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON': 'any',
};

export function schemaFromOpenApi(documents: readonly OpenApiDocument[]): SchemaSet {
  const all: Record<string, OpenApiSchema> = {};
  let version = '';
  for (const doc of documents) {
    Object.assign(all, doc.components?.schemas ?? {});
    const m = doc.info?.version?.match(/^v?(\d+\.\d+)/);
    if (m && !version) version = m[1];
  }
  const out: SchemaSet = { version: version || '1.34', kinds: {}, types: {} };
  const converter = new Converter(all, out);
  for (const [name, schema] of Object.entries(all)) {
    for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
      if (gvk.kind.endsWith('List') || (gvk.kind === 'Status' || gvk.kind === 'WatchEvent' || gvk.kind === 'DeleteOptions')) continue;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      out.kinds[`${apiVersion}/${gvk.kind}`] = name;
      converter.named(name);
    }
  }
  return out;
}

class Converter {
  constructor(
    private readonly all: Record<string, OpenApiSchema>,
    private readonly out: SchemaSet,
  ) {}

  /** Converts a named schema (once) and returns its type expression. */
  named(name: string): TypeExpr {
    if (NAMED_SCALARS[name]) return NAMED_SCALARS[name];
    const schema = this.all[name];
    if (!schema) return 'any';
    if (!schema.properties) return this.expr(schema, name);
    if (!this.out.types[name]) {
      this.out.types[name] = { p: {} };
      this.out.types[name] = this.object(schema, name);
    }
    return `#${name}`;
  }

  private object(schema: OpenApiSchema, name: string): ObjectSchema {
    const obj: ObjectSchema = { p: {} };
    const d = shorten(schema.description);
    if (d) obj.d = d;
    if (schema.required?.length) obj.r = [...schema.required];
    if (schema['x-kubernetes-preserve-unknown-fields']) obj.open = true;
    for (const [prop, ps] of Object.entries(schema.properties ?? {})) {
      const field: FieldSchema = { t: this.expr(ps, `${name}.${prop}`) };
      const fd = shorten(ps.description ?? unwrap(ps).description);
      if (fd) field.d = fd;
      const e = (ps.enum ?? unwrap(ps).enum)?.filter((v): v is string => typeof v === 'string');
      if (e?.length) field.e = e;
      obj.p[prop] = field;
    }
    return obj;
  }

  /** The type expression of a schema; inline objects become named types "<parent>.<prop>". */
  private expr(schema: OpenApiSchema, path: string): TypeExpr {
    const ref = refOf(schema);
    if (ref) return this.named(ref);
    if (schema['x-kubernetes-int-or-string']) return 'int-or-string';
    if (schema.oneOf || schema.anyOf) return 'any';
    switch (schema.type) {
      case 'string':
        return schema.format === 'byte' ? 'byte' : schema.format === 'date-time' ? 'date-time' : 'string';
      case 'integer':
        return 'integer';
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'array':
        return '[]' + (schema.items ? this.expr(schema.items, `${path}[]`) : 'any');
      case 'object':
      case undefined:
        if (schema.properties) {
          if (!this.out.types[path]) {
            this.out.types[path] = { p: {} };
            this.out.types[path] = this.object(schema, path);
          }
          return `#${path}`;
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return '{}' + this.expr(schema.additionalProperties, `${path}{}`);
        return 'any';
      default:
        return 'any';
    }
  }
}

function refOf(schema: OpenApiSchema): string | undefined {
  const r = schema.$ref ?? schema.allOf?.find((s) => s.$ref)?.$ref;
  return r?.replace(/^#\/components\/schemas\//, '');
}

function unwrap(schema: OpenApiSchema): OpenApiSchema {
  return schema.allOf?.length === 1 ? { ...schema.allOf[0], ...schema } : schema;
}

function shorten(s: string | undefined): string | undefined {
  if (!s) return undefined;
  const flat = s.split('\n\nPossible enum values:')[0].replace(/\s+/g, ' ').trim();
  if (flat.length <= MAX_DESCRIPTION) return flat;
  const cut = flat.lastIndexOf('. ', MAX_DESCRIPTION);
  return cut > 80 ? flat.slice(0, cut + 1) : flat.slice(0, MAX_DESCRIPTION) + '…';
}
