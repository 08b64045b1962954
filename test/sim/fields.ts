/**
 * Field ownership (`metadata.managedFields`, FieldsV1): which manager set which field. Paths are
 * FieldsV1 segments joined by newlines, e.g. "f:data\nf:k" or "f:spec\nf:containers\nk:{\"name\":\"app\"}\nf:image".
 */
import type { KubeObject } from '../../src/kube/types';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

const SEP = '\n';
const ignoredTop = new Set(['apiVersion', 'kind', 'status']);
const ignoredMeta = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']);

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function listItemKey(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  // Ports are keyed by number, as the API's list-map keys say (two ports may share a name only in
  // passing, and a renamed port is the same port); everything else by name or mount path.
  for (const k of ['containerPort', 'port', 'name', 'mountPath']) {
    if (item[k] !== undefined) return `k:${JSON.stringify({ [k]: item[k] })}`;
  }
  return undefined;
}

function walk(value: unknown, prefix: string, out: Set<string>, withSelf: boolean): void {
  if (isObject(value)) {
    if (withSelf && prefix) out.add(`${prefix}${SEP}.`);
    const entries = Object.entries(value);
    if (entries.length === 0 && prefix) out.add(prefix);
    for (const [k, v] of entries) walk(v, prefix ? `${prefix}${SEP}f:${k}` : `f:${k}`, out, withSelf);
    return;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((item) => listItemKey(item) !== undefined)) {
    if (withSelf) out.add(`${prefix}${SEP}.`);
    for (const item of value) {
      const itemPrefix = `${prefix}${SEP}${listItemKey(item)}`;
      out.add(`${itemPrefix}${SEP}.`);
      walk(item, itemPrefix, out, false);
    }
    return;
  }
  out.add(prefix);
}

/** Leaf paths an object (or a partial applied configuration) sets, for `status` only when asked. */
export function fieldPaths(object: Record<string, unknown>, options: { withSelf: boolean; subresource?: 'status' }): Set<string> {
  const out = new Set<string>();
  for (const [k, v] of Object.entries(object)) {
    if (options.subresource === 'status' ? k !== 'status' : ignoredTop.has(k)) continue;
    if (k === 'metadata' && isObject(v)) {
      for (const [mk, mv] of Object.entries(v)) if (!ignoredMeta.has(mk)) walk(mv, `f:metadata${SEP}f:${mk}`, out, options.withSelf);
      continue;
    }
    walk(v, `f:${k}`, out, options.withSelf);
  }
  return out;
}

export function toFieldsV1(paths: Iterable<string>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const path of paths) {
    let node = root;
    for (const segment of path.split(SEP)) {
      node[segment] ??= {};
      node = node[segment] as Record<string, unknown>;
    }
  }
  return sortKeys(root);
}

function sortKeys(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(node).sort()) out[key] = sortKeys(node[key] as Record<string, unknown>);
  return out;
}

export function fromFieldsV1(fields: Record<string, unknown>, prefix = '', out = new Set<string>()): Set<string> {
  const entries = Object.entries(fields);
  if (entries.length === 0 && prefix) out.add(prefix);
  for (const [k, v] of entries) {
    const path = prefix ? `${prefix}${SEP}${k}` : k;
    if (isObject(v) && Object.keys(v).length > 0) fromFieldsV1(v, path, out);
    else out.add(path);
  }
  return out;
}

/** The value at a path, or undefined. */
export function valueAt(object: unknown, path: string): unknown {
  let current = object;
  for (const segment of path.split(SEP)) {
    if (segment === '.') return current;
    if (segment.startsWith('f:')) {
      if (!isObject(current)) return undefined;
      current = current[segment.slice(2)];
    } else if (segment.startsWith('k:')) {
      if (!Array.isArray(current)) return undefined;
      const key = segment;
      current = current.find((item) => listItemKey(item) === key);
    } else return undefined;
  }
  return current;
}

/** Removes the field at a path from a (mutable) object. */
export function removePath(object: Record<string, unknown>, path: string): void {
  const segments = path.split(SEP).filter((s) => s !== '.');
  let current: unknown = object;
  for (let i = 0; i < segments.length - 1; i++) current = valueAt(current, segments[i]);
  const last = segments[segments.length - 1];
  if (last === undefined) return;
  if (last.startsWith('f:') && isObject(current)) delete current[last.slice(2)];
  if (last.startsWith('k:') && Array.isArray(current)) {
    const index = current.findIndex((item) => listItemKey(item) === last);
    if (index >= 0) current.splice(index, 1);
  }
}

/** ".data.k" or ".spec.containers[name=\"app\"].image", the way SSA conflicts name fields. */
export function describePath(path: string): string {
  return path
    .split(SEP)
    .filter((s) => s !== '.')
    .map((s) => {
      if (s.startsWith('f:')) return `.${s.slice(2)}`;
      const key = JSON.parse(s.slice(2)) as Record<string, unknown>;
      return `[${Object.entries(key).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}]`;
    })
    .join('');
}

export function entriesOf(object: KubeObject): ManagedFieldsEntry[] {
  return (object.metadata as { managedFields?: ManagedFieldsEntry[] }).managedFields ?? [];
}

function sameSlot(a: ManagedFieldsEntry, b: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource'>): boolean {
  return a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');
}

/**
 * New managedFields after `manager` took `owned` (replacing its own slot's fields when `replace`,
 * adding otherwise) and `taken` was removed from every other manager.
 */
export function reassign(
  entries: ManagedFieldsEntry[],
  slot: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'subresource' | 'apiVersion'>,
  owned: Set<string>,
  taken: Set<string>,
  replace: boolean,
  time: string,
): ManagedFieldsEntry[] {
  const out: ManagedFieldsEntry[] = [];
  let mine: Set<string> | undefined;
  for (const entry of entries) {
    if (sameSlot(entry, slot)) {
      mine = replace ? new Set() : fromFieldsV1(entry.fieldsV1);
      continue;
    }
    const fields = fromFieldsV1(entry.fieldsV1);
    let changed = false;
    for (const path of taken) if (fields.delete(path)) changed = true;
    if (fields.size === 0) continue;
    out.push(changed ? { ...entry, fieldsV1: toFieldsV1(fields) } : entry);
  }
  const merged = mine ?? new Set<string>();
  for (const path of owned) merged.add(path);
  if (merged.size > 0) {
    const entry: ManagedFieldsEntry = {
      manager: slot.manager,
      operation: slot.operation,
      apiVersion: slot.apiVersion,
      time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(merged),
    };
    if (slot.subresource) entry.subresource = slot.subresource;
    // Apply entries come first, as the API server orders them.
    if (slot.operation === 'Apply') out.unshift(entry);
    else out.push(entry);
  }
  return out;
}

/** Leaf paths whose value differs between two versions of an object (added or changed in `next`). */
export function changedPaths(previous: Record<string, unknown> | undefined, next: Record<string, unknown>, subresource?: 'status'): Set<string> {
  const nextPaths = fieldPaths(next, { withSelf: true, subresource });
  if (!previous) return nextPaths;
  const prevPaths = fieldPaths(previous, { withSelf: true, subresource });
  const out = new Set<string>();
  for (const path of nextPaths) {
    if (path.endsWith(`${SEP}.`)) {
      if (!prevPaths.has(path)) out.add(path);
      continue;
    }
    if (JSON.stringify(valueAt(previous, path)) !== JSON.stringify(valueAt(next, path))) out.add(path);
  }
  return out;
}
