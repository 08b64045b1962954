/**
 * The Sandboxes view as pure data: groups (mine, others' read-only, orphans whose Lease lapsed),
 * one row per sandbox with its TTL countdown, and its details (preview URL, tunnels, forks, pods,
 * recent events).
 * No VS Code import; sandboxTree.ts maps these nodes to TreeItems.
 */
import { ExplainedError } from '../../kube/errors';
import { failureHeadline, isClusterWide } from '../../kube/failureCause';
import type { SandboxListing, SandboxSummary } from '../../sandbox/lifecycle/lifecycle';
import type { RunningSummary } from '../../sandbox/preview/previewRunning';
import type { SandboxPod } from '../../sandbox/preview/previewStatus';
import { editorRemedy } from '../stepWords';

export type SandboxGroup = 'mine' | 'others' | 'orphans';

export type SandboxNode =
  | { type: 'group'; id: string; group: SandboxGroup; label: string; count: number }
  | { type: 'sandbox'; id: string; context: string; summary: SandboxSummary; running?: RunningSummary; label: string; description: string; tooltip: string; contextValue: string }
  | { type: 'detail'; id: string; label: string; description?: string; tooltip?: string; icon: string; url?: string; contextValue?: string }
  | { type: 'message'; id: string; label: string; error: boolean; retry?: boolean };

const groupLabels: Record<SandboxGroup, string> = { mine: 'Mine', others: "Others' (read-only)", orphans: 'Orphans (lease lapsed)' };

/** "1h 52m", "4m 10s", "lapsed 3m ago". */
export function ttlText(remainingMs: number): string {
  const abs = Math.abs(remainingMs);
  const h = Math.floor(abs / 3_600_000);
  const m = Math.floor((abs % 3_600_000) / 60_000);
  const s = Math.floor((abs % 60_000) / 1000);
  const text = h > 0 ? `${h}h ${m}m` : m > 0 ? `${m}m ${s}s` : `${s}s`;
  return remainingMs > 0 ? text : `lapsed ${text} ago`;
}

/**
 * What the view shows when it could not read the sandboxes: the failure (only that the cluster
 * could not be read, when that is the cause) and the next step.
 */
export function failureNodes(idPrefix: string, err: unknown): SandboxNode[] {
  if (!(err instanceof ExplainedError)) return [{ type: 'message', id: `${idPrefix}/error`, label: err instanceof Error ? err.message : String(err), error: true }];
  const label = isClusterWide(err) ? `${failureHeadline(err)}: ${err.why}` : `${err.what} failed: ${err.why}`;
  return [
    { type: 'message', id: `${idPrefix}/error`, label, error: true },
    { type: 'message', id: `${idPrefix}/next`, label: `Next: ${editorRemedy(err)}`, error: false, retry: true },
  ];
}

export function groupNodes(listing: SandboxListing): SandboxNode[] {
  return (['mine', 'others', 'orphans'] as const).map((group) => ({ type: 'group', id: `group/${group}`, group, label: groupLabels[group], count: listing[group].length }));
}

export function sandboxNodes(context: string, group: SandboxGroup, listing: SandboxListing, running: readonly RunningSummary[], now: number): SandboxNode[] {
  return listing[group].map((summary) => {
    const live = running.find((r) => r.context === context && r.sandbox === summary.sandbox && r.namespace === summary.namespace);
    const remaining = summary.expiresAt - now;
    const state = summary.state === 'orphan' ? 'lease lapsed' : summary.state === 'stale' ? 'not renewed' : live ? 'running here' : 'active';
    const description = [`${summary.namespace}`, `${state}`, `TTL ${ttlText(remaining)}`].join(' · ');
    const tooltip = [
      `Sandbox ${summary.sandbox} in namespace ${summary.namespace} (${summary.placement === 'namespace' ? 'its own namespace' : 'shared namespace'})`,
      `Owner: ${summary.developer ?? summary.owner}${summary.holderIdentity ? ` (renewed by ${summary.holderIdentity})` : ''}`,
      summary.baselineNamespace ? `Baseline: ${summary.baselineNamespace}` : '',
      `TTL ${Math.round(summary.ttlSeconds / 60)} min after the last renewal: ${remaining > 0 ? `expires in ${ttlText(remaining)}` : ttlText(remaining)}`,
      summary.readOnly ? 'Read-only: it is not yours.' : '',
    ].filter(Boolean).join('\n');
    const contextValue = `tether.sandbox${summary.readOnly && summary.state !== 'orphan' ? '.readonly' : ''}${live ? '.running' : ''}`;
    const node: SandboxNode = { type: 'sandbox', id: `${context}/${summary.namespace}/${summary.sandbox}`, context, summary, label: summary.sandbox, description, tooltip, contextValue };
    if (live) node.running = live;
    return node;
  });
}

export interface SandboxDetailsInput {
  node: Extract<SandboxNode, { type: 'sandbox' }>;
  /** Fork names of the sandbox's Deployments and StatefulSets (relays shown as "api (local)"). */
  forks: string[];
  pods: SandboxPod[];
  /** Newest last, e.g. "Warning BackOff pod/x: …". */
  events: string[];
}

export function detailNodes(input: SandboxDetailsInput): SandboxNode[] {
  const { node, forks, pods } = input;
  const base = node.id;
  const out: SandboxNode[] = [];
  const live = node.running;
  if (live?.url) out.push({ type: 'detail', id: `${base}/url`, label: 'Preview', description: live.url, tooltip: `Open ${live.url}`, icon: 'globe', url: live.url, contextValue: 'tether.sandbox.url' });
  else if (!node.summary.readOnly) out.push({ type: 'detail', id: `${base}/url`, label: 'Preview', description: 'not running in this window (Preview Changes starts it)', icon: 'globe' });
  if (live?.shareUrl) out.push({ type: 'detail', id: `${base}/share`, label: 'Shareable', description: live.shareUrl, tooltip: 'Opens for whoever has a signed link: Preview Changes, then Copy Shareable Link', icon: 'link' });
  if (live?.routingHeader) out.push({ type: 'detail', id: `${base}/routing`, label: 'Header routing', description: live.routingHeader, tooltip: `Every preview request enters the baseline with "${live.routingHeader}"; the mesh routes it to this sandbox's forks`, icon: 'arrow-swap' });
  for (const t of live?.tunnels ?? []) out.push({ type: 'detail', id: `${base}/tunnel/${t.workload}`, label: `Tunnel ${t.workload}`, description: `${t.state} · ${t.ports}`, icon: t.state === 'connected' ? 'plug' : 'debug-disconnect' });
  if (live) out.push({ type: 'detail', id: `${base}/lease`, label: 'Lease', description: live.heartbeat === 'renewing' ? 'renewed by this window' : live.heartbeat, icon: live.heartbeat === 'renewing' ? 'pulse' : 'warning' });
  out.push({ type: 'detail', id: `${base}/forks`, label: 'Forks', description: forks.join(', ') || 'none', icon: 'repo-forked' });
  if (pods.length === 0) out.push({ type: 'detail', id: `${base}/pods`, label: 'Pods', description: 'none', icon: 'circle-outline' });
  for (const p of pods) {
    const description = `${p.role} · ${p.ready ? 'ready' : p.phase}${p.restarts ? ` · ${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : ''}`;
    out.push({ type: 'detail', id: `${base}/pod/${p.name}`, label: p.name, description, tooltip: p.problem ?? `${p.name} is ready`, icon: p.ready ? 'pass' : 'error' });
  }
  for (const [i, e] of input.events.entries()) out.push({ type: 'detail', id: `${base}/event/${i}`, label: 'Event', description: e, tooltip: e, icon: e.startsWith('Warning') ? 'warning' : 'history' });
  for (const [i, e] of (live?.lastErrors ?? []).slice(-3).entries()) out.push({ type: 'detail', id: `${base}/error/${i}`, label: 'Problem', description: e, tooltip: e, icon: 'warning' });
  return out;
}
