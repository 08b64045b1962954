/**
 * The three PATCH flavours: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and the strategic
 * merge patch subset a client needs (lists of named items — containers, env, volumes, ports — merge
 * by key; `$patch: delete` removes an item; `null` removes a field).
 */
import { badRequest, ApiError, failure } from './status';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value) as Json;
  }
  return result;
}

/** The merge key of a list of objects: how `kubectl` and the API server match list items. */
function mergeKeyOf(field: string, items: JsonObject[]): string | undefined {
  if (field === 'ports') {
    if (items.some((i) => 'containerPort' in i)) return 'containerPort';
    if (items.some((i) => 'port' in i)) return 'port';
  }
  if (items.every((i) => 'name' in i)) return 'name';
  if (items.every((i) => 'mountPath' in i)) return 'mountPath';
  return undefined;
}

function strategicList(field: string, target: Json[] | undefined, patch: Json[]): Json[] {
  const objects = patch.filter(isObject);
  const key = objects.length === patch.length && patch.length > 0 ? mergeKeyOf(field, objects) : undefined;
  if (!key || !Array.isArray(target)) return patch.filter((p) => !(isObject(p) && p.$patch === 'delete'));
  const result = target.map((t) => structuredClone(t));
  for (const item of objects) {
    const index = result.findIndex((t) => isObject(t) && t[key] === item[key]);
    if (item.$patch === 'delete') {
      if (index >= 0) result.splice(index, 1);
      continue;
    }
    if (index >= 0) result[index] = strategicMerge(result[index], item) as Json;
    else result.push(strategicMerge(undefined, item) as Json);
  }
  return result;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _drop, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) delete result[key];
    else if (Array.isArray(value)) result[key] = strategicList(key, result[key] as Json[] | undefined, value);
    else result[key] = strategicMerge(result[key], value) as Json;
  }
  return result;
}

interface Operation {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  from?: string;
  value?: unknown;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request: invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: unknown, segments: string[], path: string): { parent: JsonObject | Json[]; last: string } {
  let current = doc;
  for (const s of segments.slice(0, -1)) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (isObject(current)) current = current[s];
    else current = undefined;
    if (current === undefined) throw patchFailed(`doc is missing path: "${path}"`);
  }
  if (!Array.isArray(current) && !isObject(current)) throw patchFailed(`doc is missing path: "${path}"`);
  return { parent: current, last: segments[segments.length - 1] };
}

function patchFailed(message: string): ApiError {
  return new ApiError(failure(422, 'Invalid', `the server rejected our request due to an error in our request: ${message}`));
}

function readAt(doc: unknown, path: string): unknown {
  let current = doc;
  for (const s of pointer(path)) {
    if (Array.isArray(current)) current = current[Number(s)];
    else if (isObject(current)) current = current[s];
    else return undefined;
  }
  return current;
}

function removeAt(doc: unknown, path: string): unknown {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = Number(last);
    if (!(index >= 0 && index < parent.length)) throw patchFailed(`unable to remove nonexistent key: ${last}`);
    return parent.splice(index, 1)[0];
  }
  if (!(last in parent)) throw patchFailed(`unable to remove nonexistent key: ${last}: missing value`);
  const value = parent[last];
  delete parent[last];
  return value;
}

function addAt(doc: unknown, path: string, value: unknown, replace: boolean): void {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!(index >= 0 && index <= parent.length)) throw patchFailed(`index out of bounds: ${last}`);
    if (replace) parent[index] = value as Json;
    else parent.splice(index, 0, value as Json);
    return;
  }
  if (replace && !(last in parent)) throw patchFailed(`replace operation does not apply: doc is missing key: ${path}`);
  parent[last] = value as Json;
}

export function jsonPatch(target: unknown, operations: unknown): unknown {
  if (!Array.isArray(operations)) throw badRequest('the server rejected our request due to an error in our request: json patch must be an array of operations');
  const doc = { root: structuredClone(target) as Json };
  const rooted = (p: string) => `/root${p}`;
  for (const raw of operations as Operation[]) {
    switch (raw.op) {
      case 'add':
        addAt(doc, rooted(raw.path), structuredClone(raw.value), false);
        break;
      case 'replace':
        addAt(doc, rooted(raw.path), structuredClone(raw.value), true);
        break;
      case 'remove':
        removeAt(doc, rooted(raw.path));
        break;
      case 'move':
        addAt(doc, rooted(raw.path), removeAt(doc, rooted(raw.from ?? '')), false);
        break;
      case 'copy':
        addAt(doc, rooted(raw.path), structuredClone(readAt(doc, rooted(raw.from ?? ''))), false);
        break;
      case 'test':
        if (JSON.stringify(readAt(doc, rooted(raw.path))) !== JSON.stringify(raw.value)) throw patchFailed(`testing value ${raw.path} failed`);
        break;
      default:
        throw badRequest(`the server rejected our request due to an error in our request: unexpected kind of operation: ${String((raw as { op?: unknown }).op)}`);
    }
  }
  return doc.root;
}
