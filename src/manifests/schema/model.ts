/**
 * The schema model the validator walks. Both sources produce it: the bundled file generated from
 * @kubernetes/client-node's models (schemas/kubernetes.json) and a cluster's `/openapi/v3`
 * documents (openapi.ts).
 *
 * Field types are written in a small grammar so the bundled file stays compact:
 *   string | integer | number | boolean | int-or-string | quantity | date-time | byte | any
 *   []T (list of T) | {}T (map of string to T) | #Name (a named object type)
 */
export type TypeExpr = string;

export interface FieldSchema {
  /** Type expression, see the grammar above. */
  t: TypeExpr;
  /** Description, possibly shortened. */
  d?: string;
  /** Allowed values, when the API declares an enum. */
  e?: string[];
}

export interface ObjectSchema {
  d?: string;
  /** Declared properties. */
  p: Record<string, FieldSchema>;
  /** Required property names. */
  r?: string[];
  /** True when the object also accepts undeclared properties (x-kubernetes-preserve-unknown-fields). */
  open?: boolean;
}

export interface SchemaSet {
  /** Kubernetes version the schema describes, "1.34". */
  version: string;
  /** "group/version/Kind" (core group written as "v1/Kind") -> object type name. */
  kinds: Record<string, string>;
  types: Record<string, ObjectSchema>;
}

export type ParsedType =
  | { kind: 'scalar'; name: 'string' | 'integer' | 'number' | 'boolean' | 'int-or-string' | 'quantity' | 'date-time' | 'byte' | 'any' }
  | { kind: 'array'; items: ParsedType }
  | { kind: 'map'; values: ParsedType }
  | { kind: 'ref'; name: string };

const SCALARS = new Set(['string', 'integer', 'number', 'boolean', 'int-or-string', 'quantity', 'date-time', 'byte', 'any']);

/** Parses a type expression; memoised by the caller (see SchemaIndex). */
export function parseTypeExpr(expr: TypeExpr): ParsedType {
  if (expr.startsWith('[]')) return { kind: 'array', items: parseTypeExpr(expr.slice(2)) };
  if (expr.startsWith('{}')) return { kind: 'map', values: parseTypeExpr(expr.slice(2)) };
  if (expr.startsWith('#')) return { kind: 'ref', name: expr.slice(1) };
  if (SCALARS.has(expr)) return { kind: 'scalar', name: expr as 'string' };
  throw new Error(`schema type expression "${expr}" is not in the grammar (string, integer, []T, {}T, #Name, ...)`);
}

/** Human-readable form of a type for messages and hovers. */
export function describeType(t: ParsedType): string {
  switch (t.kind) {
    case 'scalar':
      return t.name;
    case 'array':
      return `list of ${describeType(t.items)}`;
    case 'map':
      return `map of string to ${describeType(t.values)}`;
    case 'ref':
      return 'object';
  }
}

/** Key used in SchemaSet.kinds. */
export function gvkKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}
