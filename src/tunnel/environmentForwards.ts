/**
 * The cluster services a workload's environment points at (`orders:8080`, `http://orders.shop.svc`,
 * `redis.shop.svc.cluster.local:6379`), so the tunnel can open a local forward for each and the
 * local process gets the same environment with those addresses rewritten to the forwards. Pure.
 */

export interface ServicePorts {
  name: string;
  ports: number[];
}

/** One `host:port` (or scheme-default port) in a variable that names a Service of the namespace. */
export interface ServiceReference {
  variable: string;
  /** The host as written, e.g. "orders.shop.svc". */
  host: string;
  service: string;
  port: number;
  /** The exact text to replace, e.g. "orders.shop.svc:8080" or "http://orders". */
  text: string;
}

const hostPort = /(?<![A-Za-z0-9.-])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*):(\d{1,5})(?![0-9])/g;
const urlWithoutPort = /\b(https?):\/\/([a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*)(?=[/?#"'\s]|$)/g;

/** The Service a host names in `namespace`: "orders", "orders.shop", "orders.shop.svc", "orders.shop.svc.cluster.local". */
export function serviceOfHost(host: string, namespace: string): string | undefined {
  const [service, ns, ...rest] = host.split('.');
  if (ns === undefined) return service;
  if (ns !== namespace) return undefined;
  const suffix = rest.join('.');
  return suffix === '' || suffix === 'svc' || suffix === 'svc.cluster.local' ? service : undefined;
}

export function serviceReferences(variables: Readonly<Record<string, string>>, services: readonly ServicePorts[], namespace: string): ServiceReference[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const found: ServiceReference[] = [];
  const consider = (variable: string, host: string, port: number, text: string) => {
    const service = serviceOfHost(host, namespace);
    if (!service || !byName.get(service)?.ports.includes(port)) return;
    found.push({ variable, host, service, port, text });
  };
  for (const [variable, value] of Object.entries(variables)) {
    for (const m of value.matchAll(hostPort)) consider(variable, m[1], Number(m[2]), m[0]);
    for (const m of value.matchAll(urlWithoutPort)) consider(variable, m[2], m[1] === 'https' ? 443 : 80, m[0]);
  }
  return found;
}

/** The key of a forward: "orders:8080". */
export function forwardKey(service: string, port: number): string {
  return `${service}:${port}`;
}

/**
 * The variables with every reference replaced by its local forward (`localPorts` maps
 * forwardKey(service, port) to a port on 127.0.0.1); references without a forward stay as they are.
 */
export function rewriteForForwards(variables: Readonly<Record<string, string>>, references: readonly ServiceReference[], localPorts: ReadonlyMap<string, number>): Record<string, string> {
  const out: Record<string, string> = { ...variables };
  for (const ref of references) {
    const local = localPorts.get(forwardKey(ref.service, ref.port));
    if (local === undefined) continue;
    const replacement = ref.text.includes('://') ? `${ref.text.slice(0, ref.text.indexOf('://') + 3)}127.0.0.1:${local}` : `127.0.0.1:${local}`;
    out[ref.variable] = out[ref.variable].split(ref.text).join(replacement);
  }
  return out;
}
