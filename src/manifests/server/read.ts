/**
 * Reading decoded manifests (plain JSON values) without trusting their types: a value of the wrong
 * type reads as absent, because the schema check reports it and the server's decoder would refuse
 * the object before validation ever ran.
 */
export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function obj(v: unknown): Obj | undefined {
  return isObj(v) ? v : undefined;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Items that are objects, with their indexes in the list. */
export function objs(v: unknown): [Obj, number][] {
  const out: [Obj, number][] = [];
  if (!Array.isArray(v)) return out;
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) out.push([item as Obj, i]);
  }
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A string field as Go sees it: "" when absent. */
export function s(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function int(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}

export function bool(v: unknown): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

export function has(o: Obj | undefined, key: string): boolean {
  return !!o && o[key] !== undefined && o[key] !== null;
}

/** A map of strings (labels, selectors, data): non-string values are skipped. */
export function strMap(v: unknown): Record<string, string> | undefined {
  if (!isObj(v)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

export function strings(v: unknown): string[] {
  return arr(v).filter((x): x is string => typeof x === 'string');
}

/** Gets or creates a nested object (defaulting). */
export function ensure(o: Obj, key: string): Obj {
  const v = o[key];
  if (isObj(v)) return v;
  const created: Obj = {};
  o[key] = created;
  return created;
}

/** An int-or-string as the server prints it (its Stringer): 5, "25%". */
export function intOrStringText(v: unknown): string {
  return typeof v === 'number' ? String(v) : String(v ?? '');
}
