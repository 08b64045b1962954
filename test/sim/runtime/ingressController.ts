/**
 * A small ingress controller for the simulator: one HTTP listener on 127.0.0.1 that routes each
 * connection by its Host header (and path) per the stored Ingress (networking.k8s.io/v1) and
 * HTTPRoute (gateway.networking.k8s.io/v1) objects to a ready endpoint of the backend Service
 * (through the runtime's ServiceRouter, as a dial from a pod would), then pipes bytes both ways, so
 * WebSocket upgrades pass too. A Host no rule names gets 404, a backend without ready endpoints
 * 503, like an ingress controller's default backend.
 */
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { SimCluster } from '../contracts';
import type { PodPortResolver } from './serviceRouting';
import { ServiceRouter } from './serviceRouting';

const maxHeadBytes = 16 * 1024;

interface Backend {
  namespace: string;
  service: string;
  port: number | string;
}

interface IngressSpec {
  rules?: { host?: string; http?: { paths?: { path?: string; pathType?: string; backend?: { service?: { name: string; port?: { number?: number; name?: string } } } }[] } }[];
}

interface HttpRouteSpec {
  hostnames?: string[];
  rules?: { matches?: { path?: { type?: string; value?: string } }[]; backendRefs?: { kind?: string; name: string; port?: number }[] }[];
}

export interface IngressController {
  readonly port: number;
  /** Requests routed so far, as "<host><path> -> <namespace>/<service>:<port>" or "<host><path> -> 404". */
  readonly log: string[];
  stop(): Promise<void>;
}

function hostMatches(pattern: string | undefined, host: string): boolean {
  if (!pattern) return true;
  if (pattern.startsWith('*.')) return host.endsWith(pattern.slice(1)) && host.split('.').length === pattern.split('.').length;
  return pattern === host;
}

function pathMatches(prefix: string | undefined, path: string): boolean {
  const p = prefix && prefix !== '' ? prefix : '/';
  return p === '/' || path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`);
}

/** The backend for a Host and path: the first matching Ingress rule, then HTTPRoute rule, by longest path. */
export function routeFor(cluster: SimCluster, host: string, path: string): Backend | undefined {
  const found: { backend: Backend; length: number }[] = [];
  for (const ingress of cluster.list('Ingress')) {
    if (ingress.metadata.deletionTimestamp) continue;
    for (const rule of (ingress.spec as IngressSpec | undefined)?.rules ?? []) {
      if (!hostMatches(rule.host, host)) continue;
      for (const p of rule.http?.paths ?? []) {
        const service = p.backend?.service;
        if (service && pathMatches(p.path, path)) found.push({ backend: { namespace: ingress.metadata.namespace ?? 'default', service: service.name, port: service.port?.number ?? service.port?.name ?? 80 }, length: (p.path ?? '/').length });
      }
    }
  }
  for (const route of cluster.list('HTTPRoute')) {
    if (route.metadata.deletionTimestamp) continue;
    const spec = (route.spec ?? {}) as HttpRouteSpec;
    if (spec.hostnames?.length && !spec.hostnames.some((h) => hostMatches(h, host))) continue;
    for (const rule of spec.rules ?? []) {
      const ref = rule.backendRefs?.find((b) => (b.kind ?? 'Service') === 'Service');
      const matches = rule.matches?.length ? rule.matches : [{ path: { value: '/' } }];
      for (const m of matches) if (ref && pathMatches(m.path?.value, path)) found.push({ backend: { namespace: route.metadata.namespace ?? 'default', service: ref.name, port: ref.port ?? 80 }, length: (m.path?.value ?? '/').length });
    }
  }
  return found.sort((a, b) => b.length - a.length)[0]?.backend;
}

function servicePort(cluster: SimCluster, backend: Backend): number | undefined {
  if (typeof backend.port === 'number') return backend.port;
  const ports = ((cluster.get('Service', backend.namespace, backend.service)?.spec ?? {}) as { ports?: { name?: string; port: number }[] }).ports ?? [];
  return ports.find((p) => p.name === backend.port)?.port;
}

function answer(socket: Socket, status: string, text: string): void {
  socket.end(`HTTP/1.1 ${status}\r\ncontent-type: text/plain\r\ncontent-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`);
}

export async function startIngressController(options: { cluster: SimCluster; resolvePodPort: PodPortResolver; port?: number }): Promise<IngressController> {
  const router = new ServiceRouter(options.cluster, options.resolvePodPort);
  const sockets = new Set<Socket>();
  const log: string[] = [];
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
  };
  const server: Server = createServer({ allowHalfOpen: true }, (inbound) => {
    track(inbound);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > maxHeadBytes) answer(inbound, '431 Request Header Fields Too Large', 'request head too large\n');
        return;
      }
      inbound.off('data', onData);
      inbound.pause();
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      const path = (lines[0].split(' ')[1] ?? '/').split('?')[0];
      const hostLine = lines.find((l) => /^host:/i.test(l));
      const host = (hostLine?.slice(5).trim() ?? '').replace(/:\d+$/, '').toLowerCase();
      const backend = routeFor(options.cluster, host, path);
      const port = backend && servicePort(options.cluster, backend);
      const target = backend && port !== undefined ? router.route({ namespace: backend.namespace, pod: '', host: `${backend.service}.${backend.namespace}.svc`, port }) : undefined;
      log.push(`${host}${path} -> ${backend ? `${backend.namespace}/${backend.service}:${port}` : '404'}`);
      if (!backend) return answer(inbound, '404 Not Found', `default backend: no Ingress or HTTPRoute for host "${host}"\n`);
      if (!target) return answer(inbound, '503 Service Unavailable', `no ready endpoints for Service ${backend.namespace}/${backend.service}\n`);
      const out = connect(target.port, target.host);
      track(out);
      out.once('connect', () => {
        out.write(head);
        inbound.pipe(out);
        out.pipe(inbound);
        inbound.resume();
      });
      out.once('close', () => inbound.destroy());
      inbound.once('close', () => out.destroy());
    };
    inbound.on('data', onData);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

