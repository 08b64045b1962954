/**
 * Which port of its entry Service a preview goes through: the one `preview.port` names, else the
 * Service's first, as the schema says. One rule for everything that enters the preview: the
 * plan's entry (the local preview, the checks' TETHER_PREVIEW_URL, the shareable host's gate) and
 * the local preview's look-up of the live Service (previewTarget.ts).
 */

export interface ServicePortSpec {
  name?: string;
  port: number;
  targetPort?: number | string;
}

interface ServiceLike {
  metadata: { name: string };
  spec?: unknown;
}

/** The ports of a Service object (as listed, or as planned). */
export function servicePortsOf(service: ServiceLike): ServicePortSpec[] {
  return (service.spec as { ports?: ServicePortSpec[] } | undefined)?.ports ?? [];
}

/** The Service port the preview enters through; undefined when the Service has no such port. */
export function entryServicePort<P extends { port: number }>(ports: readonly P[], port?: number): P | undefined {
  return port === undefined ? ports[0] : ports.find((p) => p.port === port);
}

/**
 * The entry port a plan records: resolved against the sandbox's own entry Service when the plan
 * has one (a fork's copy of the baseline's), else against the baseline's Service of that name.
 * A `port` the Service lacks is kept as written, for the preview to explain; undefined only when
 * no port is written and no Service is known.
 */
export function plannedEntryPort(preview: { service: string; port?: number }, entryService: string, planned: readonly (ServiceLike & { kind?: string })[], baseline: readonly (ServiceLike & { kind?: string })[]): number | undefined {
  const service = planned.find((o) => o.kind === 'Service' && o.metadata.name === entryService) ?? baseline.find((o) => o.kind === 'Service' && o.metadata.name === preview.service);
  if (!service) return preview.port;
  return entryServicePort(servicePortsOf(service), preview.port)?.port ?? preview.port;
}
