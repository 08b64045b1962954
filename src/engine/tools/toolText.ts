/**
 * What the language-model tools answer, as plain text a model reads well: the preview URL, the
 * sandbox's pods and the last error lines, or the state of every sandbox. Pure; the editor's
 * language-model tools and the MCP server only gather the data.
 */
import { ExplainedError, explainedText } from '../../kube/errors';
import { neutralStepWords, type StepWords } from '../../kube/nextStep';
import type { SandboxListing } from '../../sandbox/lifecycle/lifecycle';
import type { PreviewResult } from '../../sandbox/preview/previewLoop';
import type { RunningSummary } from '../../sandbox/preview/previewRunning';
import type { SandboxPod } from '../../sandbox/preview/previewStatus';

/** Input of the preview tool (toolDefinitions.ts). */
export interface PreviewToolInput {
  /** Also read the last error lines of the sandbox's pod logs (default true). */
  includeLogs?: boolean;
  /** Run the sandbox here even while another front door runs it. */
  takeOver?: boolean;
  context?: string;
}

/** Input of the sandbox_status tool. */
export interface StatusToolInput {
  /** Only this sandbox (default: every sandbox of the current developer). */
  sandbox?: string;
  context?: string;
}

function podLines(pods: readonly SandboxPod[]): string[] {
  if (pods.length === 0) return ['  (no pods)'];
  return pods.map((p) => `  - ${p.name} [${p.role}] ${p.ready ? 'ready' : p.phase}${p.restarts ? `, ${p.restarts} restarts` : ''}${p.problem ? `: ${p.problem}` : ''}`);
}

/** Which routing the preview uses, so a model knows whether a request must carry the baggage header to reach the forks. */
function routingText(result: PreviewResult): string {
  const r = result.routing;
  if (!r) return "Routing: namespace (the URL enters the sandbox's own entry Service; no header needed).";
  return `Routing: header (the URL is a local proxy into the baseline's Service ${r.entry} that adds "${r.header}" to every request; the baseline's services must pass that baggage on for calls to reach the sandbox's forks). From a terminal: ${r.curl}`;
}

/** The shareable host: the signed link is what the user hands out, so it may be shown; the key never is. */
function shareLines(result: PreviewResult, link: boolean): string[] {
  if (!result.share) return [];
  const url = `Shareable URL: ${result.share.url} (visitors need the signed link once; it sets a cookie for the host)`;
  return link ? [url, `Signed link (valid until ${result.share.expiresAt}): ${result.share.link}`] : [url];
}

/** `link: false` leaves the signed link out (a server that hands results to other programs). */
export function previewText(result: PreviewResult, options: { link?: boolean } = {}): string {
  return [
    `Preview URL: ${result.url}`,
    ...shareLines(result, options.link !== false),
    routingText(result),
    `Sandbox: ${result.sandbox} (namespace ${result.namespace}, context ${result.context}); ${result.warm ? 'already running' : 'just brought up'}; health check answered HTTP ${result.status} in ${result.elapsedMs} ms.`,
    'Pods:',
    ...podLines(result.pods),
    result.lastErrors.length > 0 ? 'Last errors:' : 'Last errors: none',
    ...result.lastErrors.map((e) => `  ${e}`),
    ...result.notes.map((n) => `Note: ${n}`),
  ].join('\n');
}

export function previewFailureText(error: unknown, words: StepWords = neutralStepWords): string {
  const message = error instanceof ExplainedError ? explainedText(error, words) : error instanceof Error ? error.message : String(error);
  return `The preview is not available: ${message}`;
}

export function statusText(context: string | undefined, listing: SandboxListing | undefined, running: readonly RunningSummary[], pods: ReadonlyMap<string, SandboxPod[]>, filter?: string): string {
  if (!context) return 'No Kubernetes context is selected in Tether; nothing to report.';
  const lines = [`Context: ${context}`];
  const pick = <T extends { sandbox: string }>(items: readonly T[]) => (filter ? items.filter((i) => i.sandbox === filter) : items);
  for (const r of pick(running)) {
    lines.push(`Running in this window: ${r.sandbox} (namespace ${r.namespace}) preview ${r.url ?? 'closed'}${r.routingHeader ? ` (header routing: ${r.routingHeader})` : ''}${r.shareUrl ? `; shareable at ${r.shareUrl}` : ''}; Lease ${r.heartbeat}`);
    for (const t of r.tunnels) lines.push(`  tunnel ${t.workload}: ${t.state} (${t.ports})`);
    lines.push(...podLines(pods.get(`${r.namespace}/${r.sandbox}`) ?? []));
    if (r.lastErrors.length) lines.push('  last problems:', ...r.lastErrors.slice(-5).map((e) => `    ${e}`));
  }
  if (listing) {
    const describe = (s: SandboxListing['mine'][number]) => `  - ${s.sandbox} in ${s.namespace}: ${s.state}, ${s.remainingMs > 0 ? `expires in ${Math.round(s.remainingMs / 60_000)} min` : 'lease lapsed'}${s.readOnly ? ' (read-only)' : ''}`;
    lines.push(`Mine: ${pick(listing.mine).length}`, ...pick(listing.mine).map(describe));
    lines.push(`Others': ${pick(listing.others).length}`, ...pick(listing.others).map(describe));
    lines.push(`Orphans: ${pick(listing.orphans).length}`, ...pick(listing.orphans).map(describe));
    if (listing.partial) lines.push(`(partial: ${listing.partial})`);
  }
  return lines.join('\n');
}
