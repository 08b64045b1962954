/**
 * Which ports the relay serves for a workload: the ports of the Services that select the
 * workload's pods (named target ports resolved against the containers), or, without a Service,
 * the containers' own TCP ports. Pure.
 */
import type { RelayPort } from './relay';

interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string> };
  spec?: { containers?: { ports?: ContainerPort[] }[] };
}

export interface ServiceLike {
  metadata: { name: string };
  spec?: { selector?: Record<string, string>; ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[] };
}

/** Services whose selector picks the template's pods. */
export function servicesSelecting(template: PodTemplate, services: readonly ServiceLike[]): ServiceLike[] {
  const labels = template.metadata?.labels ?? {};
  return services.filter((s) => {
    const selector = s.spec?.selector;
    return selector && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
  });
}

function portName(name: string | undefined, port: number): string {
  const base = (name ?? `port-${port}`).toLowerCase().replace(/[^a-z0-9-]+/g, '-').slice(0, 15).replace(/^-+|-+$/g, '');
  return base || `port-${port}`;
}

/** The relay's ports for a workload: from its first Service when there is one, else from its containers. */
export function relayPortsFor(template: PodTemplate, services: readonly ServiceLike[]): { ports: RelayPort[]; service?: string } {
  const containerPorts = (template.spec?.containers ?? []).flatMap((c) => c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP');
  const [service] = servicesSelecting(template, services);
  const ports: RelayPort[] = [];
  const seen = new Set<number>();
  if (service) {
    for (const p of service.spec?.ports ?? []) {
      if ((p.protocol ?? 'TCP') !== 'TCP' || seen.has(p.port)) continue;
      const target = typeof p.targetPort === 'string' ? containerPorts.find((c) => c.name === p.targetPort)?.containerPort : (p.targetPort ?? p.port);
      if (target === undefined) continue;
      seen.add(p.port);
      ports.push({ name: portName(p.name, p.port), port: p.port, targetPort: target });
    }
    if (ports.length > 0) return { ports, service: service.metadata.name };
  }
  for (const c of containerPorts) {
    if (seen.has(c.containerPort)) continue;
    seen.add(c.containerPort);
    ports.push({ name: portName(c.name, c.containerPort), port: c.containerPort, targetPort: c.containerPort });
  }
  return { ports };
}
