/**
 * Server-side apply: the applied configuration is merged into the live object, the manager owns
 * exactly the fields it applied, fields it stopped applying are removed unless someone else owns
 * them, and changing a value another manager owns is a 409 conflict unless `force=true`.
 */
import type { KubeObject } from '../../src/kube/types';
import { describePath, entriesOf, fieldPaths, fromFieldsV1, reassign, removePath, valueAt, type ManagedFieldsEntry } from './fields';
import { strategicMerge } from './patch';
import type { ResourceInfo } from './resources';
import { ApiError, badRequest, failure } from './status';
import { timestamp } from './defaults';

export interface ApplyResult {
  /** The merged object to write. */
  object: KubeObject;
  /** managedFields for the written object. */
  managedFields(written: KubeObject): ManagedFieldsEntry[];
}

interface Conflict {
  manager: string;
  apiVersion: string;
  path: string;
}

function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with "${c.manager}" using ${c.apiVersion}`, field: describePath(c.path) }));
  const message = conflicts.length === 1
    ? `Apply failed with 1 conflict: conflict with "${conflicts[0].manager}" using ${conflicts[0].apiVersion}: ${describePath(conflicts[0].path)}`
    : `Apply failed with ${conflicts.length} conflicts: ${causes.map((c) => `${c.message}: ${c.field}`).join('\n')}`;
  return new ApiError(failure(409, 'Conflict', message, { causes }));
}

export function applyServerSide(
  info: ResourceInfo,
  existing: KubeObject | undefined,
  patch: unknown,
  options: { fieldManager: string; force?: boolean },
): ApplyResult {
  if (!options.fieldManager) throw badRequest('PATCH /apply: fieldManager is required for apply requests');
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw badRequest('apply configuration must be an object');
  const applied = patch as KubeObject;
  if (applied.kind !== info.kind || applied.apiVersion !== info.apiVersion) {
    throw badRequest(`apply configuration must set apiVersion "${info.apiVersion}" and kind "${info.kind}"`);
  }
  const owned = fieldPaths(applied, { withSelf: false });
  const slot = { manager: options.fieldManager, operation: 'Apply' as const, apiVersion: info.apiVersion };
  if (!existing) {
    return {
      object: structuredClone(applied),
      managedFields: () => reassign([], slot, owned, new Set(), true, timestamp()),
    };
  }
  const entries = entriesOf(existing);
  const conflicts: Conflict[] = [];
  const taken = new Set<string>();
  for (const entry of entries) {
    if (entry.manager === options.fieldManager && entry.operation === 'Apply') continue;
    const theirs = fromFieldsV1(entry.fieldsV1);
    for (const path of owned) {
      if (!theirs.has(path) || path.endsWith('\n.')) continue;
      if (JSON.stringify(valueAt(existing, path)) === JSON.stringify(valueAt(applied, path))) continue;
      if (entry.manager === options.fieldManager) {
        taken.add(path);
        continue;
      }
      conflicts.push({ manager: entry.manager, apiVersion: entry.apiVersion, path });
      taken.add(path);
    }
  }
  if (conflicts.length > 0 && !options.force) throw conflictError(conflicts);
  const merged = strategicMerge(structuredClone(existing), applied) as KubeObject;
  const previous = entries.find((e) => e.manager === options.fieldManager && e.operation === 'Apply');
  if (previous) {
    const stillOwned = new Set<string>();
    for (const entry of entries) if (entry !== previous) for (const p of fromFieldsV1(entry.fieldsV1)) stillOwned.add(p);
    const dropped = [...fromFieldsV1(previous.fieldsV1)].filter((path) => !owned.has(path) && !stillOwned.has(path));
    // A list item nobody applies or owns any more goes whole, its key with it (as the API server
    // removes it); removing its fields one by one would lose the key first and strand the rest.
    for (const item of dropped.filter((path) => /\nk:[^\n]*\n\.$/.test(path))) removePath(merged as unknown as Record<string, unknown>, item);
    for (const path of dropped) if (!path.endsWith('\n.')) removePath(merged as unknown as Record<string, unknown>, path);
  }
  return {
    object: merged,
    managedFields: () => reassign(entries, slot, owned, taken, true, timestamp()),
  };
}
