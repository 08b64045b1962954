/**
 * The environment a local process gets while tunnelled: the workload's own, with every address of
 * a Service in its namespace replaced by a local forward through the tunnel, so the process talks
 * to the same dependencies the workload does. The forwards belong to the session.
 */
import type { KubeClient } from '../kube/api';
import { kinds } from '../kube/kinds';
import type { KubeObject } from '../kube/types';
import type { ResolvedEnvironment } from './environment';
import { forwardKey, rewriteForForwards, serviceReferences, type ServicePorts } from './environmentForwards';
import type { ForwardHandle, TunnelSession } from './session';

export interface ForwardedEnvironment extends ResolvedEnvironment {
  /** One forward per referenced Service port, e.g. "orders:8080" -> 127.0.0.1:50123. */
  forwards: { service: string; port: number; localAddress: string }[];
}

export async function forwardEnvironment(session: TunnelSession, client: KubeClient, namespace: string, env: ResolvedEnvironment, signal?: AbortSignal): Promise<ForwardedEnvironment> {
  const { items } = await client.list<KubeObject>(kinds.Service, namespace, { signal });
  const services: ServicePorts[] = items.map((s) => ({
    name: s.metadata.name,
    ports: ((s.spec as { ports?: { port: number }[] } | undefined)?.ports ?? []).map((p) => p.port),
  }));
  const references = serviceReferences(env.variables, services, namespace);
  const localPorts = new Map<string, number>();
  const forwards: ForwardHandle[] = [];
  for (const ref of references) {
    const key = forwardKey(ref.service, ref.port);
    if (localPorts.has(key)) continue;
    const forward = await session.open(`${ref.service}.${namespace}.svc.cluster.local`, ref.port);
    forwards.push(forward);
    localPorts.set(key, forward.localPort);
  }
  return {
    ...env,
    variables: rewriteForForwards(env.variables, references, localPorts),
    forwards: [...localPorts].map(([key, port]) => {
      const [service, servicePort] = key.split(':');
      return { service, port: Number(servicePort), localAddress: `127.0.0.1:${port}` };
    }),
  };
}
