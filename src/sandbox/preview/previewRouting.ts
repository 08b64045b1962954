/**
 * Where a preview enters and what it tells the user, per routing mode. In `namespace` mode the
 * entry is the sandbox's own Service (the plan's entry). In `header` mode it is the baseline's
 * entry Service, and every request carries `baggage: tether-sandbox=<sandbox>` so the baseline's
 * mesh (or its services) route calls for forked workloads to the sandbox. Pure.
 */
import { sandboxBaggageHeader } from './baggage';
import type { SandboxPlan } from '../plan';
import type { PreviewEntry } from './previewTarget';
import type { PreviewRouting, SandboxSpec } from '../spec';

/** What a header-routed preview adds, for notifications, tools and curl. */
export interface HeaderRoutingInfo {
  mode: 'header';
  /** The header line every request carries, e.g. "baggage: tether-sandbox=jane-main". */
  header: string;
  /** "<service>.<namespace>": the baseline Service the preview enters. */
  entry: string;
  /** The same request from a terminal, through the local proxy. */
  curl: string;
}

export function previewRouting(spec: SandboxSpec): PreviewRouting {
  return spec.preview?.routing ?? 'namespace';
}

/** The Service the preview's connections go to; undefined when the plan has no preview. */
export function previewEntry(spec: SandboxSpec, plan: SandboxPlan): PreviewEntry | undefined {
  if (!plan.entry) return undefined;
  if (previewRouting(spec) === 'header' && spec.preview) {
    // The baseline's own Service, untouched: routing to the fork is the mesh's job, by header.
    // The sandbox's entry Service copies the baseline's ports, so the plan's entry port is its port too.
    return { namespace: spec.baseline.namespace, service: spec.preview.service, port: plan.entry.port };
  }
  return { namespace: plan.namespace, service: plan.entry.service, port: plan.entry.port };
}

/** Single-quotes `text` for a POSIX shell. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export function headerRoutingInfo(sandbox: string, entry: PreviewEntry, url: string): HeaderRoutingInfo {
  const header = sandboxBaggageHeader(sandbox);
  return { mode: 'header', header, entry: `${entry.service}.${entry.namespace}`, curl: `curl -H ${shellQuote(header)} ${shellQuote(url)}` };
}
