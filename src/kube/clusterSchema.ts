/**
 * What manifest validation needs from a live cluster: its own schema (from /openapi/v3: its exact
 * Kubernetes version and its CRDs) and facts about its nodes for the cluster-aware GPU rules.
 * Plain fetching over a KubeClient; callers own caching (ClusterSchemaCache) and lifetimes.
 */
import type { KubeClient } from './api';
import { ExplainedError } from './errors';
import { kinds } from './kinds';
import type { KubeObject } from './types';
import { nodeFacts } from '../manifests/cluster';
import type { ClusterFacts } from '../manifests/types';
import { bundledSchema } from '../manifests/schema/index';
import type { SchemaSet } from '../manifests/schema/model';
import { schemaFromOpenApi, type OpenApiDocument } from '../manifests/schema/openapi';

/** The /openapi/v3 index: one entry per group-version, e.g. "apis/apps/v1". */
export interface OpenApiIndex {
  paths: Record<string, { serverRelativeURL: string }>;
}

/** Built-in groups whose kinds people write as manifests ('' is the core group). */
const VALIDATED_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'policy',
  'autoscaling',
  'storage.k8s.io',
  'coordination.k8s.io',
]);

/** Other built-in or aggregated groups: served by every cluster, not written as manifests, not CRDs. */
const SKIPPED_BUILTIN_GROUPS = new Set([
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'certificates.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'metrics.k8s.io',
  'node.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storagemigration.k8s.io',
]);

const PARALLEL_FETCHES = 4;

/** The group of an index path: "api/v1" -> "", "apis/apps/v1" -> "apps"; undefined for other paths ("version", "openid/v1/jwks"). */
function groupOf(indexPath: string): string | undefined {
  const parts = indexPath.split('/');
  if (parts[0] === 'api' && parts.length === 2) return '';
  if (parts[0] === 'apis' && parts.length === 3) return parts[1];
  return undefined;
}

/**
 * The index paths whose documents validation reads: the built-in groups people write manifests
 * for, and every other group the index lists (CRDs), all their versions. Sorted.
 */
export function documentsToFetch(index: OpenApiIndex): string[] {
  return Object.keys(index.paths ?? {})
    .filter((p) => {
      const group = groupOf(p);
      return group !== undefined && (VALIDATED_GROUPS.has(group) || !SKIPPED_BUILTIN_GROUPS.has(group));
    })
    .sort();
}

async function inBatches<T, R>(items: readonly T[], size: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(run))));
  return out;
}

/** Reads one group-version document named by the index (its hashed URL keeps caches honest). */
export function fetchOpenApiDocument(client: KubeClient, index: OpenApiIndex, indexPath: string, signal?: AbortSignal): Promise<OpenApiDocument> {
  const url = index.paths[indexPath]?.serverRelativeURL ?? `/openapi/v3/${indexPath}`;
  const [path, query] = url.split('?');
  return client.request<OpenApiDocument>({
    what: `Read the schema of ${indexPath} (/openapi/v3)`,
    path,
    query: Object.fromEntries(new URLSearchParams(query ?? '')),
    signal,
    timeoutMs: 60_000,
  });
}

export function fetchOpenApiIndex(client: KubeClient, signal?: AbortSignal): Promise<OpenApiIndex> {
  return client.request<OpenApiIndex>({ what: 'Read the OpenAPI v3 index (/openapi/v3)', path: '/openapi/v3', signal });
}

/**
 * The cluster's schema: the documents `documentsToFetch` picks, converted and merged over the
 * bundled schema, so kinds the cluster does not serve (or does not publish) still validate.
 * The set's version is the cluster's. Throws ExplainedError (e.g. NotFound on servers older than
 * 1.27 without /openapi/v3, Unreachable, Forbidden).
 */
export async function fetchClusterSchema(client: KubeClient, signal?: AbortSignal): Promise<SchemaSet> {
  const index = await fetchOpenApiIndex(client, signal);
  const paths = documentsToFetch(index);
  const docs = await inBatches(paths, PARALLEL_FETCHES, (p) => fetchOpenApiDocument(client, index, p, signal));
  const own = schemaFromOpenApi(docs);
  if (!docs.some((d) => d.info?.version)) {
    // Documents without info.version (minimal servers): the version comes from /version.
    const v = await client.version(signal);
    own.version = `${v.major}.${v.minor.replace(/\D+$/, '')}`;
  }
  return bundledSchema().with(own).set;
}

/** A list the user may not read (403) answers undefined; other failures throw. */
async function listIfAllowed(client: KubeClient, kind: (typeof kinds)[keyof typeof kinds], signal?: AbortSignal): Promise<KubeObject[] | undefined> {
  try {
    return (await client.listAll<KubeObject>(kind, undefined, { signal })).items;
  } catch (err) {
    if (err instanceof ExplainedError && err.reason === 'Forbidden') return undefined;
    throw err;
  }
}

/**
 * Facts for the cluster-aware rules: nodes (GPU rules) and namespaces with their labels (where
 * Pod Security is enforced). Without permission to list nodes (403) the answer is undefined: those
 * rules stay off, nothing fails; without permission to list namespaces, only those facts are missing.
 */
export async function fetchClusterFacts(client: KubeClient, signal?: AbortSignal): Promise<ClusterFacts | undefined> {
  const [nodes, namespaces] = await Promise.all([listIfAllowed(client, kinds.Node, signal), listIfAllowed(client, kinds.Namespace, signal)]);
  if (!nodes) return undefined;
  const facts: ClusterFacts = { nodes: nodeFacts(nodes as Parameters<typeof nodeFacts>[0]) };
  if (namespaces) facts.namespaces = namespaces.map((n) => ({ name: n.metadata.name, labels: { ...(n.metadata.labels ?? {}) } }));
  return facts;
}

/** A cluster's schema and node facts, as fetched at one server version. */
export interface ClusterLintData {
  server: string;
  gitVersion: string;
  schema: SchemaSet;
  facts?: ClusterFacts;
}

/**
 * Schemas per (server, gitVersion): asking again costs one /version call, and the schema is
 * fetched again only when the server's version changed. Node facts are fetched on every `get`
 * (they change with the cluster). Owned by its caller; concurrent gets share one fetch.
 */
export class ClusterSchemaCache {
  private readonly schemas = new Map<string, Promise<SchemaSet>>();

  async get(client: KubeClient, signal?: AbortSignal): Promise<ClusterLintData> {
    const { gitVersion } = await client.version(signal);
    const key = `${client.server}\n${gitVersion}`;
    let schema = this.schemas.get(key);
    if (!schema) {
      for (const k of this.schemas.keys()) if (k.startsWith(`${client.server}\n`)) this.schemas.delete(k);
      schema = fetchClusterSchema(client, signal);
      this.schemas.set(key, schema);
      schema.catch(() => {
        if (this.schemas.get(key) === schema) this.schemas.delete(key);
      });
    }
    const [set, facts] = await Promise.all([schema, fetchClusterFacts(client, signal)]);
    return { server: client.server, gitVersion, schema: set, facts };
  }

  /** Whether a schema for this server and version is held (fetched or being fetched). */
  has(server: string, gitVersion: string): boolean {
    return this.schemas.has(`${server.replace(/\/+$/, '')}\n${gitVersion}`);
  }
}
