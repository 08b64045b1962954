/**
 * The Accept header's `as=` projections the API server offers (apiserver's
 * handlers/response.go): `PartialObjectMetadata` and `PartialObjectMetadataList` of group
 * `meta.k8s.io`, versions v1 and v1beta1. The clause with the highest q wins (header order breaks
 * ties); clauses in media types the simulator does not write (protobuf, CBOR) and `as=Table`
 * (not served) drop out, so kubectl's `Table,…,application/json` still gets plain JSON. Nothing
 * acceptable left is 406 NotAcceptable, as on a real server.
 */
import type { KubeObject } from '../../src/kube/types';
import type { ResourceInfo } from './resources';
import { ApiError, failure } from './status';

export interface Projection {
  as: 'PartialObjectMetadata' | 'PartialObjectMetadataList';
  version: 'v1' | 'v1beta1';
}

interface Clause {
  q: number;
  projection?: Projection;
}

function notAcceptable(message: string): ApiError {
  return new ApiError(failure(406, 'NotAcceptable', message));
}

function parseClause(text: string): Clause | undefined {
  const [type, ...rest] = text.split(';').map((p) => p.trim());
  const params = new Map(rest.map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [p.toLowerCase(), ''] : [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, '')];
  }));
  if (!['application/json', 'application/*', '*/*'].includes(type.toLowerCase())) return undefined;
  const q = params.has('q') ? Number(params.get('q')) : 1;
  if (!Number.isFinite(q) || q <= 0) return undefined;
  const as = params.get('as');
  if (as === undefined) return { q };
  const g = params.get('g');
  const v = params.get('v');
  if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) {
    return { q, projection: { as, version: v } };
  }
  return undefined; // as=Table and unknown transforms: not served here
}

/** The projection an Accept header asks for; undefined for plain JSON. Throws 406 when nothing is acceptable. */
export function requestedProjection(accept: string | undefined): Projection | undefined {
  if (!accept || accept.trim() === '') return undefined;
  let best: Clause | undefined;
  for (const part of accept.split(',')) {
    const clause = parseClause(part);
    if (clause && (!best || clause.q > best.q)) best = clause;
  }
  if (!best) {
    throw notAcceptable('only the following media types are accepted: application/json, application/yaml, application/vnd.kubernetes.protobuf');
  }
  return best.projection;
}

function partial(object: KubeObject, version: string): Record<string, unknown> {
  return { kind: 'PartialObjectMetadata', apiVersion: `meta.k8s.io/${version}`, metadata: object.metadata };
}

/** A GET of one object, as asked for. */
export function projectObject(object: KubeObject, info: ResourceInfo, projection: Projection | undefined): unknown {
  if (!projection) return object;
  if (projection.as === 'PartialObjectMetadataList') throw notAcceptable(`you requested PartialObjectMetadataList, but the requested object is not a list (*v1.${info.kind})`);
  return partial(object, projection.version);
}

/** A LIST body, as asked for. Items of a PartialObjectMetadataList carry their kind each. */
export function projectList(list: { metadata: unknown; items: Record<string, unknown>[] }, info: ResourceInfo, projection: Projection | undefined): unknown {
  if (!projection) return list;
  if (projection.as === 'PartialObjectMetadata') throw notAcceptable(`you requested PartialObjectMetadata, but the requested object is a list (*v1.${info.kind}List)`);
  return {
    kind: 'PartialObjectMetadataList',
    apiVersion: `meta.k8s.io/${projection.version}`,
    metadata: list.metadata,
    items: list.items.map((item) => partial(item as unknown as KubeObject, projection.version)),
  };
}

/**
 * A watch event's object, as asked for. The API server transforms each event on its own; when
 * that fails (a watch asking for a List projection) it logs and sends the object unchanged, so
 * clients must not rely on the server to drop data: that is mirrored here.
 */
export function projectWatchObject(object: KubeObject, projection: Projection | undefined): KubeObject {
  if (!projection || projection.as !== 'PartialObjectMetadata') return object;
  return partial(object, projection.version) as unknown as KubeObject;
}
