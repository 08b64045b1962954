/**
 * Engine results as the plain objects the MCP tools return (their `outputSchema` in
 * toolDefinitions.ts) and the CLI prints with --json. Nothing secret goes in: no token, no key, no
 * Secret value; the signed shareable link only when the caller asked to share.
 */
import type { FileReport } from '../../manifests/validate';
import { jsonReports, type JsonReport } from '../../manifests/output';
import type { CheckProgress } from '../../sandbox/checks/checkSuite';
import type { PreviewResult } from '../../sandbox/preview/previewLoop';
import type { ChecksResult } from '../checks';
import { errorCount } from '../lint';
import type { ScheduleVerdict } from '../schedule';

/** The preview's result without the routing's mode and with the signed link only when asked for. */
export type PreviewOutput = Pick<PreviewResult, 'url' | 'sandbox' | 'namespace' | 'context' | 'warm' | 'status' | 'elapsedMs' | 'pods' | 'lastErrors' | 'notes'> & {
  routing?: { header: string; entry: string; curl: string };
  share?: { url: string; expiresAt: string; link?: string };
};

/** `link`: include the signed shareable link (the user asked to share). */
export function previewOutput(result: PreviewResult, options: { link?: boolean } = {}): PreviewOutput {
  const out: PreviewOutput = {
    url: result.url,
    sandbox: result.sandbox,
    namespace: result.namespace,
    context: result.context,
    warm: result.warm,
    status: result.status,
    elapsedMs: result.elapsedMs,
    pods: result.pods,
    lastErrors: result.lastErrors,
    notes: result.notes,
  };
  if (result.routing) out.routing = { header: result.routing.header, entry: result.routing.entry, curl: result.routing.curl };
  if (result.share) out.share = options.link ? { url: result.share.url, expiresAt: result.share.expiresAt, link: result.share.link } : { url: result.share.url, expiresAt: result.share.expiresAt };
  return out;
}

export interface ChecksOutput {
  sandbox: string;
  namespace: string;
  runId: string;
  passed: number;
  failed: number;
  cancelled: boolean;
  durationMs: number;
  checks: CheckProgress[];
}

export function checksOutput(result: ChecksResult): ChecksOutput {
  return { sandbox: result.sandbox, namespace: result.namespace, runId: result.runId, passed: result.passed, failed: result.failed, cancelled: result.cancelled, durationMs: result.durationMs, checks: result.checks };
}

export function lintOutput(reports: readonly FileReport[]): { errors: number; warnings: number; files: JsonReport[] } {
  return { ...errorCount(reports), files: jsonReports(reports) };
}

export interface ScheduleOutput {
  context: string;
  templates: { index: number; kind: string; name: string; namespace: string; fits: boolean; summary: string; fitsOn: string[]; caveats: string[]; report: string }[];
}

export function scheduleOutput(context: string, verdicts: readonly ScheduleVerdict[]): ScheduleOutput {
  return {
    context,
    templates: verdicts.map((v) => ({ index: v.index, kind: v.template.kind, name: v.template.name, namespace: v.namespace, fits: v.fits, summary: v.result.summary, fitsOn: [...v.result.fitsOn], caveats: [...v.caveats], report: v.report })),
  };
}
