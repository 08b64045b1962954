/**
 * Deleting a sandbox by name from any front door: only the developer's own (or their orphans),
 * refused while another front door runs it unless taken over; a sandbox that is not there is
 * nothing to do, so `down` can run twice (a pull request closed twice, a retried CI job).
 */
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { findSandboxLease, heldElsewhere, liveHolder } from '../sandbox/lifecycle/holder';
import { deleteSandbox } from '../sandbox/lifecycle/lifecycle';
import type { EngineDeps } from './engine';
import { developerName, holderIdentity } from './identity';
import { deletionCandidates, findSandbox, sandboxListing } from './status';

export interface DownAsk {
  sandbox: string;
  takeOver?: boolean;
  /** Stops what this process runs for it first (a PreviewLoop's `stop`). */
  stopHere?: (sandbox: string) => void;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export interface DownResult {
  sandbox: string;
  /** Undefined when there was no such sandbox. */
  namespace?: string;
  deleted: string[];
}

export async function sandboxDown(deps: EngineDeps, client: KubeClient, ask: DownAsk): Promise<DownResult> {
  const listing = await sandboxListing(deps, client, ask.signal);
  const found = findSandbox(listing, ask.sandbox);
  if (!found) return { sandbox: ask.sandbox, deleted: [] };
  if (!deletionCandidates(listing).includes(found)) {
    throw new ExplainedError({ reason: 'Forbidden', what: `Delete sandbox "${ask.sandbox}"`, why: `it belongs to ${found.developer ?? found.owner}, and Tether deletes only your own sandboxes (and orphans whose Lease lapsed)`, remedy: 'Ask its owner to delete it; its TTL removes it otherwise' });
  }
  const lease = await findSandboxLease(client, found.sandbox, found.namespace, ask.signal);
  const me = holderIdentity(developerName(deps.settings(), deps.host), deps.host);
  const live = lease ? liveHolder(lease, me, deps.host.clock.now()) : undefined;
  if (live && !ask.takeOver) throw heldElsewhere(found.sandbox, live, deps.host.clock.now());
  ask.stopHere?.(found.sandbox);
  const deleted = await deleteSandbox(client, { sandbox: found.sandbox, namespace: found.namespace, placement: found.placement }, { signal: ask.signal, onProgress: (o) => ask.onProgress?.(`Deleting ${o.kind} ${o.name}…`) });
  return { sandbox: found.sandbox, namespace: found.namespace, deleted: deleted.map((d) => `${d.kind}/${d.name}`) };
}
