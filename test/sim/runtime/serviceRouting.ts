/**
 * Where a dial from inside a process pod lands: a Service name and port -> one of the Service's
 * ready endpoint pods (selector, targetPort by number or name), round-robin; a loopback port ->
 * the pod's own listener. Only listeners bound to all addresses are reachable from other pods.
 */
import type { KubeObject } from '../../../src/kube/types';
import type { SimCluster } from '../contracts';
import type { DialRequest } from './preloadProtocol';
import type { PodPortTarget } from './podNetwork';
import { podSpecOf } from './podSpec';

export type PodPortResolver = (namespace: string, pod: string, port: number) => PodPortTarget | undefined;

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
}

interface ServiceSpec {
  selector?: Record<string, string>;
  ports?: ServicePort[];
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '::1', '0.0.0.0', '::', '']);

/** `svc`, `svc.ns.svc`, `svc.ns.svc.cluster.local` -> the Service's namespace and name. */
export function parseServiceHost(host: string, podNamespace: string): { namespace: string; name: string } | undefined {
  const labels = host.toLowerCase().replace(/\.$/, '').split('.');
  if (labels.length === 1) return { namespace: podNamespace, name: labels[0] };
  const suffix = labels.slice(2).join('.');
  if (labels.length >= 3 && (suffix === 'svc' || suffix === 'svc.cluster.local')) return { namespace: labels[1], name: labels[0] };
  return undefined;
}

function isReady(pod: KubeObject): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  const conditions = ((pod.status ?? {}) as { conditions?: { type: string; status: string }[] }).conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function matches(selector: Record<string, string>, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}

function containerPort(pod: KubeObject, target: number | string | undefined, servicePort: number): number | undefined {
  if (target === undefined) return servicePort;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  for (const container of podSpecOf(pod).containers) {
    const found = container.ports?.find((p) => p.name === target);
    if (found) return found.containerPort;
  }
  return undefined;
}

export class ServiceRouter {
  private readonly turns = new Map<string, number>();

  constructor(
    private readonly cluster: SimCluster,
    private readonly resolvePort: PodPortResolver,
  ) {}

  /** The real loopback address for a dial, or undefined when nothing would answer it in a cluster. */
  route(request: DialRequest): { host: string; port: number } | undefined {
    if (loopbackHosts.has(request.host.toLowerCase())) return this.resolvePort(request.namespace, request.pod, request.port);
    const ref = parseServiceHost(request.host, request.namespace);
    if (!ref) return undefined;
    const service = this.cluster.get('Service', ref.namespace, ref.name);
    const spec = (service?.spec ?? {}) as ServiceSpec;
    const port = spec.ports?.find((p) => p.port === request.port && (p.protocol ?? 'TCP') === 'TCP');
    if (!service || !port || !spec.selector || Object.keys(spec.selector).length === 0) return undefined;
    const selector = spec.selector;
    const endpoints = this.cluster
      .list('Pod', ref.namespace)
      .filter((pod) => matches(selector, pod.metadata.labels) && isReady(pod))
      .flatMap((pod) => {
        const target = containerPort(pod, port.targetPort, port.port);
        const resolved = target === undefined ? undefined : this.resolvePort(ref.namespace, pod.metadata.name, target);
        return resolved && !resolved.podLocalOnly ? [resolved] : [];
      });
    if (endpoints.length === 0) return undefined;
    const key = `${ref.namespace}/${ref.name}:${port.port}`;
    const turn = this.turns.get(key) ?? 0;
    this.turns.set(key, turn + 1);
    return endpoints[turn % endpoints.length];
  }
}
