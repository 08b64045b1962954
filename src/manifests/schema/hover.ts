import type { Resource } from '../resource';
import type { YNode, YPair } from '../tree';
import { describeType, type FieldSchema, type ParsedType } from './model';
import type { SchemaIndex } from './index';

export interface FieldInfo {
  /** "spec.template.spec.containers[].image" */
  path: string;
  type: string;
  description?: string;
  enum?: string[];
  required: boolean;
  /** Offsets of the key or value the position is on. */
  start: number;
  end: number;
}

/** The schema field under an offset in a resource: what the editor shows on hover. */
export function fieldAt(schema: SchemaIndex, resource: Resource, offset: number): FieldInfo | undefined {
  const typeName = schema.typeForKind(resource.apiVersion, resource.kind);
  if (!typeName) return undefined;
  let type: ParsedType = { kind: 'ref', name: typeName };
  let node: YNode = resource.root;
  const path: string[] = [];
  let found: FieldInfo | undefined;
  for (;;) {
    if (type.kind === 'array' && node.kind === 'seq') {
      const item: YNode | undefined = node.items.find((i: YNode) => offset >= i.start && offset <= i.end);
      if (!item) return found;
      path.push('[]');
      type = type.items;
      node = item;
      continue;
    }
    if (type.kind === 'map' && node.kind === 'map') {
      const pair: YPair | undefined = node.pairs.find((p: YPair) => offset >= p.start && offset <= p.end);
      if (!pair) return found;
      path.push(`[${String(pair.key.value)}]`);
      type = type.values;
      node = pair.value;
      continue;
    }
    if (type.kind !== 'ref' || node.kind !== 'map') return found;
    const obj = schema.object(type.name);
    const pair: YPair | undefined = node.pairs.find((p: YPair) => offset >= p.start && offset <= p.end);
    if (!obj || !pair) return found;
    const name = String(pair.key.value);
    const field: FieldSchema | undefined = obj.p[name];
    if (!field) return found;
    path.push(name);
    const ft = schema.fieldType(field);
    const onKey = offset >= pair.key.start && offset <= pair.key.end;
    found = {
      path: path.join('.').replace(/\.\[/g, '['),
      type: describeType(ft),
      description: field.d,
      enum: field.e,
      required: obj.r?.includes(name) ?? false,
      start: onKey ? pair.key.start : pair.value.start,
      end: onKey ? pair.key.end : pair.value.end,
    };
    if (onKey) return found;
    type = ft;
    node = pair.value;
  }
}
