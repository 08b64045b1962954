/**
 * LIST: key-ordered items, label/field selectors, `limit`/`continue` chunking with the API
 * server's token format, list `resourceVersion`, and 410 for an exact read of compacted history.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { isEmptyFilter, matches, type ObjectFilter } from './selectors';
import { ApiError, badRequest, expired } from './status';
import { keyOf, type ObjectStore } from './store';

export interface ListQuery {
  namespace?: string;
  filter: ObjectFilter;
  limit?: number;
  continueToken?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
}

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Record<string, unknown>[];
}

interface ContinueToken {
  v: 'meta.k8s.io/v1';
  rv: number;
  start: string;
}

function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken {
  try {
    const token = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as ContinueToken;
    if (token.v !== 'meta.k8s.io/v1' || typeof token.start !== 'string' || typeof token.rv !== 'number') throw new Error('bad');
    return token;
  } catch {
    throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
}

/** An item as it appears in a list: lists carry kind/apiVersion once, not per item. */
export function listItem(object: KubeObject): Record<string, unknown> {
  const { kind: _k, apiVersion: _a, ...rest } = object;
  return rest;
}

export function listObjects(store: ObjectStore, info: ResourceInfo, query: ListQuery): ListBody {
  const rvParam = query.resourceVersion;
  if (rvParam && rvParam !== '0') {
    const rv = Number(rvParam);
    if (!Number.isInteger(rv) || rv < 0) throw badRequest(`resourceVersion: Invalid value: "${rvParam}": must be a valid resourceVersion`);
    const exact = query.resourceVersionMatch === 'Exact' || (!query.resourceVersionMatch && query.limit !== undefined && !query.continueToken);
    if (exact && rv < store.oldestResumable(info)) throw new ApiError(expired('The resourceVersion for the provided list is too old.'));
    if (rv > store.resourceVersion) {
      throw new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `Too large resource version: ${rv}, current: ${store.resourceVersion}`, reason: 'Timeout', details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 }, code: 504 });
    }
  }
  const prefix = info.namespaced && query.namespace ? `${query.namespace}/` : '';
  let listRv = store.resourceVersion;
  let fromKey: string | undefined;
  if (query.continueToken) {
    const token = decodeContinue(query.continueToken);
    listRv = token.rv;
    fromKey = prefix + token.start;
  }
  const limit = query.limit && query.limit > 0 ? query.limit : undefined;
  const filtered = !isEmptyFilter(query.filter);
  const items: Record<string, unknown>[] = [];
  let last: KubeObject | undefined;
  let more = false;
  let remaining = 0;
  for (const object of store.iterate(info, info.namespaced ? query.namespace : undefined, fromKey)) {
    if (filtered && !matches(query.filter, object)) continue;
    if (limit !== undefined && items.length >= limit) {
      more = true;
      if (filtered) break;
      remaining++;
      continue;
    }
    items.push(listItem(object));
    last = object;
  }
  const metadata: ListBody['metadata'] = { resourceVersion: String(listRv) };
  if (more && last) {
    const key = keyOf(info.namespaced ? last.metadata.namespace : undefined, last.metadata.name);
    metadata.continue = encodeContinue({ v: 'meta.k8s.io/v1', rv: listRv, start: `${key.slice(prefix.length)}\u0000` });
    if (!filtered) metadata.remainingItemCount = remaining;
  }
  return { kind: `${info.kind}List`, apiVersion: info.apiVersion, metadata, items };
}
