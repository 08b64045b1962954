/**
 * What the CLI prints for people (stdout without --json): short lines, the answer first. Pure.
 */
import type { SandboxReport } from '../engine/status';
import type { PreviewOutput } from '../engine/tools/toolResults';
import type { UpResult } from '../engine/sandboxUp';
import type { SandboxListing, SandboxSummary } from '../sandbox/lifecycle/lifecycle';
import type { CheckProgress } from '../sandbox/checks/checkSuite';
import type { SandboxPod } from '../sandbox/preview/previewStatus';

function podLines(pods: readonly SandboxPod[]): string[] {
  if (pods.length === 0) return ['  (no pods)'];
  return pods.map((p) => `  ${p.name}  ${p.role}  ${p.ready ? 'ready' : p.phase}${p.restarts ? `  ${p.restarts} restart${p.restarts === 1 ? '' : 's'}` : ''}${p.problem ? `  ${p.problem}` : ''}`);
}

export function previewLines(out: PreviewOutput): string[] {
  const lines = [`Preview of "${out.sandbox}" (namespace ${out.namespace}, context ${out.context}): ${out.url}`];
  if (out.share) lines.push(out.share.link ? `Shareable: ${out.share.link}  (signed, valid until ${out.share.expiresAt})` : `Shareable host: ${out.share.url}  (--share signs a link)`);
  if (out.routing) lines.push(`Header routing: every request enters ${out.routing.entry} with "${out.routing.header}"; from a terminal: ${out.routing.curl}`);
  lines.push('Pods:', ...podLines(out.pods));
  lines.push(out.lastErrors.length ? 'Last errors:' : 'Last errors: none', ...out.lastErrors.map((e) => `  ${e}`));
  for (const n of out.notes) lines.push(`Note: ${n}`);
  return lines;
}

export function upLines(up: UpResult): string[] {
  const lines = [`Sandbox "${up.sandbox}" is up in namespace ${up.namespace} (context ${up.context}); it stays until ${up.expiresAt} unless brought up again or taken down.`];
  if (up.share?.link) lines.push(`Shareable: ${up.share.link}  (signed, valid until ${up.share.expiresAt})`);
  else if (up.share) lines.push(`Shareable host: ${up.share.url}`);
  if (up.inClusterUrl) lines.push(`In the cluster: ${up.inClusterUrl}`);
  lines.push('Pods:', ...podLines(up.pods));
  for (const n of up.notes) lines.push(`Note: ${n}`);
  return lines;
}

function ttl(remainingSeconds: number): string {
  const abs = Math.abs(remainingSeconds);
  const text = abs >= 3600 ? `${Math.floor(abs / 3600)}h ${Math.floor((abs % 3600) / 60)}m` : `${Math.floor(abs / 60)}m ${abs % 60}s`;
  return remainingSeconds > 0 ? `expires in ${text}` : `lapsed ${text} ago`;
}

export function statusLines(report: SandboxReport): string[] {
  const lines = [
    `Sandbox "${report.sandbox}" in namespace ${report.namespace} (context ${report.context}): ${report.state}, ${ttl(report.remainingSeconds)}`,
    `Owner: ${report.developer ?? report.owner}${report.holder ? `; run by ${report.holder}` : '; not running anywhere (released)'}`,
  ];
  if (report.running?.url) lines.push(`Preview here: ${report.running.url}`);
  if (report.forks) lines.push(`Forks: ${report.forks.join(', ') || 'none'}`);
  if (report.pods) lines.push('Pods:', ...podLines(report.pods));
  if (report.events?.length) lines.push('Events:', ...report.events.map((e) => `  ${e}`));
  return lines;
}

function listed(s: SandboxSummary, now: number): string {
  return `  ${s.sandbox}  ${s.namespace}  ${s.state}  ${ttl(Math.round((s.expiresAt - now) / 1000))}${s.holderIdentity ? `  run by ${s.holderIdentity}` : ''}`;
}

export function listLines(context: string, listing: SandboxListing, now: number): string[] {
  const lines = [`Context ${context}:`];
  lines.push(`Mine (${listing.mine.length}):`, ...listing.mine.map((s) => listed(s, now)));
  lines.push(`Others' (${listing.others.length}, read-only):`, ...listing.others.map((s) => `${listed(s, now)}  owner ${s.developer ?? s.owner}`));
  lines.push(`Orphans (${listing.orphans.length}, Lease lapsed):`, ...listing.orphans.map((s) => listed(s, now)));
  if (listing.partial) lines.push(`Partial: ${listing.partial}`);
  return lines;
}

export function checkLine(p: CheckProgress): string {
  const took = p.durationMs !== undefined ? ` in ${(p.durationMs / 1000).toFixed(1)} s` : '';
  return `${p.state === 'passed' ? 'PASS' : p.state === 'failed' ? 'FAIL' : p.state.toUpperCase()}  ${p.name}${took}${p.reason ? `: ${p.reason}` : ''}`;
}
