/**
 * Sandbox status for every front door: the listing of a context (the developer's own, others'
 * read-only, orphans whose Lease lapsed; when Leases may not be listed everywhere, the namespaces
 * the developer works in are searched: sandboxNamespaces), what can be deleted, and one sandbox's details (forks, pods,
 * recent events). `SandboxReport` is the plain-data shape the CLI's --json and the MCP tools return.
 */
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import { forkNames } from '../sandbox/forks/forkNames';
import { sandboxSelector } from '../sandbox/labels';
import { listSandboxes, type SandboxListing, type SandboxLocation, type SandboxSummary } from '../sandbox/lifecycle/lifecycle';
import { ownerLabelValue } from '../sandbox/names';
import type { RunningSummary } from '../sandbox/preview/previewRunning';
import { recentEvents, sandboxPods, type SandboxPod } from '../sandbox/preview/previewStatus';
import { specFromText } from '../sandbox/preview/previewWorkspace';
import type { EngineDeps } from './engine';
import { developerName } from './identity';
import type { Workspace } from './workspace';

/** The owner label value of the developer this front door works for. */
export function ownerOf(deps: Pick<EngineDeps, 'settings' | 'host'>): string {
  return ownerLabelValue(developerName(deps.settings(), deps.host));
}

/** What a front door knows of where its developer works, besides the context and the settings. */
export interface SandboxLook {
  /** Its tether.yaml names the baseline's namespace. */
  workspace?: Workspace;
  /** Namespaces it shows (the editor's Cluster view filter). */
  namespaces?: readonly string[];
}

/**
 * Where to look for sandboxes when Leases may not be listed in every namespace: the context's own
 * namespace, the shared namespace setting, the workspace's baseline and the namespaces the front
 * door shows.
 */
export async function sandboxNamespaces(deps: Pick<EngineDeps, 'settings'>, client: KubeClient, look: SandboxLook = {}): Promise<string[]> {
  let baseline: string | undefined;
  try {
    const text = await look.workspace?.readSpec();
    baseline = text === undefined ? undefined : specFromText(text).baseline.namespace;
  } catch {
    // No readable tether.yaml: its namespace is not a place to look.
  }
  const found = [client.defaultNamespace, ...(look.namespaces ?? []), deps.settings().sandbox.sharedNamespace.trim(), baseline];
  return [...new Set(found.filter((ns): ns is string => Boolean(ns)))];
}

/** Every sandbox the developer can see in the client's context. */
export async function sandboxListing(deps: Pick<EngineDeps, 'settings' | 'host'>, client: KubeClient, signal?: AbortSignal, look?: SandboxLook): Promise<SandboxListing> {
  return listSandboxes(client, { owner: ownerOf(deps), namespaces: await sandboxNamespaces(deps, client, look), now: deps.host.clock.now(), signal });
}

/** What the developer may delete: their sandboxes, and their own orphans. */
export function deletionCandidates(listing: SandboxListing): SandboxSummary[] {
  return [...listing.mine, ...listing.orphans.filter((o) => o.mine)];
}

/** One sandbox of the listing by name (its own first, then orphans, then others'). */
export function findSandbox(listing: SandboxListing, sandbox: string): SandboxSummary | undefined {
  return [...listing.mine, ...listing.orphans, ...listing.others].find((s) => s.sandbox === sandbox);
}

export interface SandboxDetails {
  /** Fork names of the sandbox's workloads, a local fork as "api (local)". */
  forks: string[];
  pods: SandboxPod[];
  /** Newest last, e.g. "Warning BackOff pod/x: …". */
  events: string[];
}

/** A sandbox's forks, pods and recent events, read now. */
export async function sandboxDetails(client: KubeClient, where: SandboxLocation, signal?: AbortSignal): Promise<SandboxDetails> {
  const labelSelector = sandboxSelector(where.sandbox);
  const [deployments, statefulSets, pods] = await Promise.all([
    client.list<KubeObject>(kinds.Deployment, where.namespace, { labelSelector, signal }),
    // Only sandboxes forking a StatefulSet hold one; without the permission to list them there are none to show.
    client.list<KubeObject>(kinds.StatefulSet, where.namespace, { labelSelector, signal }).catch(() => ({ items: [] as KubeObject[] })),
    sandboxPods(client, where.namespace, where.sandbox, signal),
  ]);
  const workloads = [...deployments.items, ...statefulSets.items];
  // The agent is no fork; its pod is still listed with the sandbox's pods.
  const forks = forkNames(workloads);
  const names = new Set([...workloads.map((d) => d.metadata.name), ...pods.pods.map((p) => p.name), ...pods.objects.flatMap((p) => (p.metadata.ownerReferences ?? []).map((o) => o.name))]);
  const events = await recentEvents(client, where.namespace, names, signal).catch(() => []);
  return { forks, pods: pods.pods, events };
}

/** One sandbox as the CLI's --json and the MCP tools report it. */
export interface SandboxReport {
  sandbox: string;
  namespace: string;
  context: string;
  owner: string;
  developer?: string;
  mine: boolean;
  /** active: renewed recently; stale: its holder stopped renewing; orphan: lapsed past the TTL. */
  state: SandboxSummary['state'];
  /** Who renews it, e.g. "jane@laptop/vscode"; absent once released. */
  holder?: string;
  placement: SandboxSummary['placement'];
  baselineNamespace?: string;
  ttlSeconds: number;
  /** When the TTL runs out (ISO time), or null when the Lease was never renewed. */
  expiresAt: string | null;
  /** Seconds until then (≤ 0 once lapsed). */
  remainingSeconds: number;
  /** Present when this process runs it: local preview URL, tunnels, Lease renewal, problems. */
  running?: Omit<RunningSummary, 'key' | 'context' | 'sandbox' | 'namespace'>;
  forks?: string[];
  pods?: SandboxPod[];
  events?: string[];
}

export function sandboxReport(context: string, summary: SandboxSummary, running?: RunningSummary, details?: SandboxDetails): SandboxReport {
  const report: SandboxReport = {
    sandbox: summary.sandbox,
    namespace: summary.namespace,
    context,
    owner: summary.owner,
    mine: summary.mine,
    state: summary.state,
    placement: summary.placement,
    ttlSeconds: summary.ttlSeconds,
    expiresAt: Number.isFinite(summary.expiresAt) ? new Date(summary.expiresAt).toISOString() : null,
    remainingSeconds: Math.round(summary.remainingMs / 1000),
  };
  if (summary.developer) report.developer = summary.developer;
  if (summary.holderIdentity) report.holder = summary.holderIdentity;
  if (summary.baselineNamespace) report.baselineNamespace = summary.baselineNamespace;
  if (running) {
    const { key: _key, context: _context, sandbox: _sandbox, namespace: _namespace, ...rest } = running;
    report.running = rest;
  }
  if (details) Object.assign(report, details);
  return report;
}

/** The running summary of `summary`'s sandbox among those this process runs. */
export function runningOf(running: readonly RunningSummary[], context: string, summary: SandboxLocation): RunningSummary | undefined {
  return running.find((r) => r.context === context && r.sandbox === summary.sandbox && r.namespace === summary.namespace);
}

/** The developer's sandbox of that name (their own or their orphan), or an explained NotFound. */
export async function locateSandbox(deps: Pick<EngineDeps, 'settings' | 'host'>, client: KubeClient, sandbox: string, what: string, signal?: AbortSignal): Promise<SandboxSummary> {
  const listing = await sandboxListing(deps, client, signal);
  const found = deletionCandidates(listing).find((s) => s.sandbox === sandbox);
  if (found) return found;
  const others = findSandbox(listing, sandbox);
  if (others) throw new ExplainedError({ reason: 'Forbidden', what, why: `sandbox "${sandbox}" belongs to ${others.developer ?? others.owner}`, remedy: 'Use your own sandbox' });
  throw new ExplainedError({ reason: 'NotFound', what, why: `context "${client.context}" has no sandbox "${sandbox}"${listing.partial ? ` (${listing.partial})` : ''}`, remedy: 'Bring it up first', step: { code: 'preview' } });
}
