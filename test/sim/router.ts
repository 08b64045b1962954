/**
 * Maps a request path onto a resource: group, version, namespace, name and subresource, the way
 * the API server's request-info resolver does for `/api/v1/...` and `/apis/<group>/<version>/...`.
 */
import type { ResourceInfo, ResourceRegistry } from './resources';

export interface ResourceRequest {
  info: ResourceInfo;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export function parseResourcePath(registry: ResourceRegistry, path: string): ResourceRequest | undefined {
  const parts = path.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1];
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1];
    version = parts[2];
    rest = parts.slice(3);
  } else return undefined;

  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3 && registry.find(group, version, rest[2])?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const info = registry.find(group, version, rest[0]);
  if (!info || rest.length > 3) return undefined;
  if (namespace !== undefined && !info.namespaced) return undefined;
  return { info, namespace, name: rest[1], subresource: rest[2] };
}

export function verbOf(method: string, request: ResourceRequest, watch: boolean): Verb | undefined {
  switch (method) {
    case 'GET':
      if (request.name) return 'get';
      return watch ? 'watch' : 'list';
    case 'POST':
      return request.name && !request.subresource ? undefined : 'create';
    case 'PUT':
      return request.name ? 'update' : undefined;
    case 'PATCH':
      return request.name ? 'patch' : undefined;
    case 'DELETE':
      return request.name ? 'delete' : 'deletecollection';
    default:
      return undefined;
  }
}
