/**
 * "Will it schedule?" for every front door: the pod templates of a manifest checked against a
 * cluster now (nodes, the pods bound to them, the namespace's quotas), each with its verdict and
 * the Markdown report. The cluster is read once for all templates of a namespace.
 */
import { findPodTemplates, templateAt, type ManifestTemplate } from '../gpu/manifestTemplates';
import type { PodTemplate } from '../gpu/podTemplate';
import { preflight, type PreflightResult } from '../gpu/preflight';
import { loadPreflightCluster, type LoadedPreflightCluster, type PreflightLister } from '../gpu/preflightCluster';
import { preflightReport } from '../gpu/preflightReport';

export interface ScheduleAsk {
  /** The manifest's text. */
  text: string;
  context: string;
  /** For templates that name none: the context's namespace (default "default"). */
  defaultNamespace?: string;
  /** Only the template of this document (0-based), or of the document at this offset. */
  index?: number;
  cursor?: number;
  now: Date;
  signal?: AbortSignal;
}

export interface ScheduleVerdict {
  /** The document's position in the file. */
  index: number;
  template: PodTemplate;
  namespace: string;
  /** Fits on some node and within the quotas. */
  fits: boolean;
  result: PreflightResult;
  /** What could not be read and what that means for the answer. */
  caveats: readonly string[];
  /** The answer as a Markdown report. */
  report: string;
}

/** The templates a question is about: one (by index or cursor) or all of them. */
export function templatesAsked(text: string, ask: Pick<ScheduleAsk, 'index' | 'cursor'>): ManifestTemplate[] {
  const all = findPodTemplates(text);
  if (ask.index === undefined && ask.cursor === undefined) return all;
  const one = templateAt(all, ask.index, ask.cursor);
  return one ? [one] : [];
}

export async function willItSchedule(client: PreflightLister, ask: ScheduleAsk): Promise<ScheduleVerdict[]> {
  const clusters = new Map<string, Promise<LoadedPreflightCluster>>();
  const verdicts: ScheduleVerdict[] = [];
  for (const found of templatesAsked(ask.text, ask)) {
    const namespace = found.template.namespace ?? ask.defaultNamespace ?? 'default';
    let loaded = clusters.get(namespace);
    if (!loaded) clusters.set(namespace, (loaded = loadPreflightCluster(client, namespace, ask.signal)));
    const { cluster, caveats } = await loaded;
    const result = preflight(found.template, cluster, namespace);
    verdicts.push({
      index: found.index,
      template: found.template,
      namespace,
      fits: result.fitsOn.length > 0 && result.quotas.every((q) => q.fits),
      result,
      caveats,
      report: preflightReport(found.template, result, { context: ask.context, namespace, at: ask.now }, caveats),
    });
  }
  return verdicts;
}
