/** The schema type at a cursor path: walks a SchemaIndex from a kind's type along keys and list items. */
import type { SchemaIndex } from '../schema/index';
import type { FieldSchema, ObjectSchema, ParsedType } from '../schema/model';
import { ITEM } from './cursor';

export interface SchemaTarget {
  type: ParsedType;
  /** The field whose value is at the path (its description and enum), when the last step was a key. */
  field?: FieldSchema;
  fieldName?: string;
  /** The object type that declares the field. */
  owner?: ObjectSchema;
}

/** The type name of a kind, trying the apiVersion written first, then any the schema serves. */
export function kindType(schema: SchemaIndex, apiVersion: string | undefined, kind: string | undefined): string | undefined {
  if (!kind) return undefined;
  if (apiVersion) {
    const exact = schema.typeForKind(apiVersion, kind);
    if (exact) return exact;
  }
  const served = schema.apiVersionsOf(kind);
  return served.length ? schema.typeForKind(served[served.length - 1], kind) : undefined;
}

export function schemaAt(schema: SchemaIndex, typeName: string, path: readonly string[]): SchemaTarget | undefined {
  let target: SchemaTarget = { type: { kind: 'ref', name: typeName } };
  for (const segment of path) {
    const t = target.type;
    if (segment === ITEM) {
      if (t.kind !== 'array') return undefined;
      target = { type: t.items };
    } else if (t.kind === 'ref') {
      const owner = schema.object(t.name);
      const field = owner?.p[segment];
      if (!owner || !field) return owner?.open ? { type: { kind: 'scalar', name: 'any' } } : undefined;
      target = { type: schema.fieldType(field), field, fieldName: segment, owner };
    } else if (t.kind === 'map') {
      target = { type: t.values };
    } else return undefined;
  }
  return target;
}
