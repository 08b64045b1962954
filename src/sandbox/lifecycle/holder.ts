/**
 * Who runs a sandbox. One front door holds it at a time (an editor window, `tether preview` in a
 * terminal, an MCP server), named by the Lease's holderIdentity, e.g. "jane@laptop/cli". A holder
 * is alive while it renews within the Lease's duration. Another front door asking for the sandbox
 * while the holder is alive is refused with the way to take it over. Either way the agent keeps its
 * session token (agentSecrets.ts reads it back), so applying again does not restart the agent pod
 * under a tunnel that is still connected.
 */
import type { KubeClient } from '../../kube/api';
import { ExplainedError } from '../../kube/errors';
import { kinds } from '../../kube/kinds';
import type { KubeObject } from '../../kube/types';
import { belongsTo } from '../labels';
import { sandboxLeaseName } from '../names';
import { defaultTtlSeconds } from '../spec';
import { hasLapsed, leaseTiming } from './lease';

export interface ClaimRequest {
  sandbox: string;
  /** Where the sandbox lives when it shares a namespace: the shared namespace setting, else the baseline namespace. */
  sharedNamespace: string;
  holderIdentity: string;
  /** Take the sandbox from a holder that is still alive. */
  takeOver?: boolean;
  now: number;
  signal?: AbortSignal;
}

export interface SandboxClaim {
  /** The sandbox's Lease as found, when the sandbox exists. */
  lease?: KubeObject;
  /** The holder it was taken from, when it was taken over. */
  takenFrom?: string;
}

function absent(err: unknown): undefined {
  // Not there, or in a namespace this user cannot read: either way not a sandbox to claim.
  if (err instanceof ExplainedError && (err.reason === 'NotFound' || err.reason === 'Forbidden')) return undefined;
  throw err;
}

/** The sandbox's Lease in its own namespace or in the shared one, whichever exists. */
export async function findSandboxLease(client: KubeClient, sandbox: string, sharedNamespace: string, signal?: AbortSignal): Promise<KubeObject | undefined> {
  const candidates = [
    { namespace: sandbox, name: sandboxLeaseName(sandbox, true) },
    { namespace: sharedNamespace, name: sandboxLeaseName(sandbox, false) },
  ];
  const found = await Promise.all(candidates.map((c) => client.get<KubeObject>(kinds.Lease, c.namespace, c.name, signal).catch(absent)));
  return found.find((lease): lease is KubeObject => Boolean(lease && belongsTo(lease, sandbox) && !lease.metadata.deletionTimestamp));
}

export interface LiveHolder {
  holder: string;
  renewedAt: number;
}

/** The holder other than `me` that renewed the Lease within its duration, or undefined. */
export function liveHolder(lease: KubeObject, me: string, now: number): LiveHolder | undefined {
  const timing = leaseTiming(lease, defaultTtlSeconds);
  const holder = timing.holderIdentity;
  if (!holder || holder === me || hasLapsed(timing, now)) return undefined;
  if (timing.leaseDurationSeconds <= 0 || now >= timing.renewedAt + timing.leaseDurationSeconds * 1000) return undefined;
  return { holder, renewedAt: timing.renewedAt };
}

const frontDoorNames: Record<string, string> = { vscode: 'VS Code', cli: 'the tether CLI', mcp: 'the tether MCP server' };

/** "jane@laptop/cli" said plainly: "jane on laptop (the tether CLI)"; other holders as they are. */
export function describeHolder(holder: string): string {
  const m = /^(.*)@([^/]*)\/(\w+)$/.exec(holder);
  if (!m || !frontDoorNames[m[3]]) return holder;
  return `${m[1]} on ${m[2]} (${frontDoorNames[m[3]]})`;
}

export function heldElsewhere(sandbox: string, live: LiveHolder, now: number): ExplainedError {
  const ago = Math.max(0, Math.round((now - live.renewedAt) / 1000));
  return new ExplainedError({
    reason: 'Conflict',
    what: `Run sandbox "${sandbox}" here`,
    why: `${describeHolder(live.holder)} runs it (its Lease was renewed ${ago} s ago), and a sandbox runs in one place at a time`,
    remedy: '',
    step: { code: 'takeOver', sandbox, holder: describeHolder(live.holder) },
  });
}

/**
 * Checks that this front door may run the sandbox: refused while another holder is alive (unless
 * taking over). Returns the Lease when the sandbox exists already.
 */
export async function claimSandbox(client: KubeClient, request: ClaimRequest): Promise<SandboxClaim> {
  const lease = await findSandboxLease(client, request.sandbox, request.sharedNamespace, request.signal);
  if (!lease) return {};
  const live = liveHolder(lease, request.holderIdentity, request.now);
  if (live && !request.takeOver) throw heldElsewhere(request.sandbox, live, request.now);
  const claim: SandboxClaim = { lease };
  if (live) claim.takenFrom = live.holder;
  return claim;
}
