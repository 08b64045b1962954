/**
 * Sandboxes over time: deleting one (only what carries its labels, workloads first, the Lease and
 * then its own namespace last) and listing them all from their Leases — mine, others' (read-only),
 * and orphans whose Lease lapsed past the TTL — with the data for a TTL countdown.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { kindOf, refOf, type ObjectRef } from './apply';
import { cleanupKinds } from './cleanupKinds';
import { baselineAnnotation, belongsTo, developerAnnotation, ownerLabel, placementAnnotation, roleLabel, sandboxLabel, sandboxSelector } from '../labels';
import { hasLapsed, isStale, leaseTiming } from './lease';
import { deleteOwned, readSandboxObjects } from '../sandboxObjects';
import { assertDeleteAllowed } from './deleteAccess';
import { defaultTtlSeconds } from '../spec';

export interface SandboxLocation {
  sandbox: string;
  namespace: string;
  /** Whether the sandbox owns its namespace, when known (the listing says); otherwise its Lease says. */
  placement?: 'namespace' | 'shared';
}

export interface DeleteOptions {
  signal?: AbortSignal;
  onProgress?: (object: ObjectRef) => void;
}

function rank(object: KubeObject): number {
  const i = cleanupKinds.findIndex((k) => k.kind === object.kind);
  return i < 0 ? cleanupKinds.length : i;
}

/**
 * Whether the sandbox owns its namespace: as the caller knows it, else as its Lease says, else by
 * its name (a sandbox's own namespace is named after it).
 */
function ownsNamespace(where: SandboxLocation, objects: readonly KubeObject[]): boolean {
  if (where.placement) return where.placement === 'namespace';
  const lease = objects.find((o) => o.kind === 'Lease' && o.metadata.labels?.[roleLabel] === 'lease');
  const placement = lease?.metadata.annotations?.[placementAnnotation];
  return placement ? placement === 'namespace' : where.namespace === where.sandbox;
}

/**
 * Deletes everything labelled for the sandbox in its namespace, in cleanup order, and then the
 * namespace itself when the sandbox owns it. Objects without the sandbox's labels are never touched.
 * Before the first delete the API server is asked about every permission that takes
 * (deleteAccess.ts), so a refusal names all that is missing and leaves the sandbox whole. A sandbox
 * in a shared namespace needs rights in that namespace only: its namespace object is never read.
 */
export async function deleteSandbox(client: KubeClient, where: SandboxLocation, options: DeleteOptions = {}): Promise<ObjectRef[]> {
  const { signal } = options;
  const read = await readSandboxObjects(client, where.namespace, where.sandbox, signal);
  const objects = read.objects.sort((a, b) => rank(a) - rank(b));
  const own = ownsNamespace(where, objects);
  const held = [...objects, ...read.refused].map((o) => o.kind ?? '');
  await assertDeleteAllowed(client, { sandbox: where.sandbox, namespace: where.namespace, kinds: held, ownsNamespace: own }, signal);
  // The review allowed what a list was refused (RBAC changed in between): that refusal is the answer.
  if (read.refused.length > 0) throw read.refused[0].error;
  const deleted: ObjectRef[] = [];
  for (const object of objects) {
    options.onProgress?.(refOf(object));
    await deleteOwned(client, kindOf(object.kind ?? ''), object.metadata.namespace, object.metadata.name, where.sandbox, signal);
    deleted.push(refOf(object));
  }
  if (!own) return deleted;
  let namespace: KubeObject | undefined;
  try {
    namespace = await client.get<KubeObject>(kinds.Namespace, undefined, where.namespace, signal);
  } catch (err) {
    if (!(err instanceof ExplainedError && err.reason === 'NotFound')) throw err;
  }
  if (namespace && belongsTo(namespace, where.sandbox)) {
    const ref = { kind: 'Namespace', name: where.namespace };
    options.onProgress?.(ref);
    await deleteOwned(client, kinds.Namespace, undefined, where.namespace, where.sandbox, signal);
    deleted.push(ref);
  }
  return deleted;
}

export type SandboxState = 'active' | 'stale' | 'orphan';

export interface SandboxSummary {
  sandbox: string;
  namespace: string;
  owner: string;
  developer?: string;
  baselineNamespace?: string;
  placement: 'namespace' | 'shared';
  holderIdentity?: string;
  /** ms since epoch; NaN when the Lease was never renewed. */
  renewedAt: number;
  /** When the TTL runs out: renewal + TTL (ms since epoch). */
  expiresAt: number;
  ttlSeconds: number;
  /** Countdown to expiresAt (≤ 0 once lapsed). */
  remainingMs: number;
  /** active: renewed recently; stale: its holder stopped renewing, TTL not yet out; orphan: lapsed past the TTL. */
  state: SandboxState;
  mine: boolean;
  /** Others' sandboxes are shown, never changed. */
  readOnly: boolean;
}

export interface ListSandboxesOptions {
  /** The owner label value of the current developer (ownerLabelValue(developer)). */
  owner: string;
  now?: number;
  /** Searched one by one when Leases may not be listed across all namespaces. */
  namespaces?: string[];
  signal?: AbortSignal;
}

export interface SandboxListing {
  mine: SandboxSummary[];
  others: SandboxSummary[];
  orphans: SandboxSummary[];
  /** Set when the cluster-wide list was refused and only `namespaces` were searched. */
  partial?: string;
}

export function summarize(lease: KubeObject, owner: string, now: number): SandboxSummary {
  const labels = lease.metadata.labels ?? {};
  const annotations = lease.metadata.annotations ?? {};
  const timing = leaseTiming(lease, defaultTtlSeconds);
  const state: SandboxState = hasLapsed(timing, now) ? 'orphan' : isStale(timing, now) ? 'stale' : 'active';
  const mine = labels[ownerLabel] === owner;
  const summary: SandboxSummary = {
    sandbox: labels[sandboxLabel] ?? '',
    namespace: lease.metadata.namespace ?? '',
    owner: labels[ownerLabel] ?? '',
    placement: annotations[placementAnnotation] === 'namespace' ? 'namespace' : 'shared',
    renewedAt: timing.renewedAt,
    expiresAt: timing.expiresAt,
    ttlSeconds: timing.ttlSeconds,
    remainingMs: Number.isFinite(timing.expiresAt) ? timing.expiresAt - now : 0,
    state,
    mine,
    readOnly: !mine,
  };
  if (annotations[developerAnnotation]) summary.developer = annotations[developerAnnotation];
  if (annotations[baselineAnnotation]) summary.baselineNamespace = annotations[baselineAnnotation];
  if (timing.holderIdentity) summary.holderIdentity = timing.holderIdentity;
  return summary;
}

async function listLeases(client: KubeClient, options: ListSandboxesOptions): Promise<{ leases: KubeObject[]; partial?: string }> {
  const labelSelector = `${sandboxSelector()},${roleLabel}=lease`;
  try {
    return { leases: (await client.listAll<KubeObject>(kinds.Lease, undefined, { labelSelector, signal: options.signal })).items };
  } catch (err) {
    if (!(err instanceof ExplainedError && err.reason === 'Forbidden') || !options.namespaces?.length) throw err;
    const lists = await Promise.all(options.namespaces.map((ns) => client.listAll<KubeObject>(kinds.Lease, ns, { labelSelector, signal: options.signal }).then((r) => r.items, () => [])));
    return { leases: lists.flat(), partial: `you may not list Leases in all namespaces, so only ${options.namespaces.join(', ')} were searched` };
  }
}

/** Every sandbox the user can see, from its Lease. Orphans are listed whoever owns them. */
export async function listSandboxes(client: KubeClient, options: ListSandboxesOptions): Promise<SandboxListing> {
  const now = options.now ?? Date.now();
  const { leases, partial } = await listLeases(client, options);
  const listing: SandboxListing = { mine: [], others: [], orphans: [] };
  // A Lease being deleted is a sandbox being deleted: it is gone as far as anyone can use it.
  const summaries = leases.filter((l) => !l.metadata.deletionTimestamp && belongsTo(l, l.metadata.labels?.[sandboxLabel] ?? '')).map((l) => summarize(l, options.owner, now));
  summaries.sort((a, b) => a.sandbox.localeCompare(b.sandbox) || a.namespace.localeCompare(b.namespace));
  for (const s of summaries) {
    if (s.state === 'orphan') listing.orphans.push(s);
    else if (s.mine) listing.mine.push(s);
    else listing.others.push(s);
  }
  if (partial) listing.partial = partial;
  return listing;
}
