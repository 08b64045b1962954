/**
 * Bringing a tunnel up for a workload: read its pod template and Services for the ports, deploy
 * the relay objects with a fresh token, start a TunnelSession and wait until it is connected. When
 * it does not come up, the objects it deployed are removed again.
 * Also the permissions all of that needs, for the access preflight.
 */
import { randomBytes } from 'node:crypto';
import type { KubeClient } from '../kube/api';
import { ExplainedError } from '../kube/errors';
import { kinds } from '../kube/kinds';
import { assertAllowed, featureChecks } from '../kube/access';
import { requiredOf, type Condition, type NeededCheck } from '../kube/permissions/needs';
import type { KubeObject } from '../kube/types';
import { defaultControlPort, relayObjects, type RelayJoin, type RelayPort } from './relay';
import { deployRelay, stopTunnel } from './relayDeploy';
import { relayName, relaySelector, selectorText } from './relayLabels';
import { relayPortsFor, type PodTemplate, type ServiceLike } from './relayPorts';
import { describeState } from './sessionState';
import { TunnelSession, type TunnelSessionOptions } from './session';

export type TunnelWorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

export interface StartTunnelRequest {
  client: KubeClient;
  namespace: string;
  workload: { kind: TunnelWorkloadKind; name: string };
  /** The local port in-cluster traffic is delivered to (on 127.0.0.1). */
  localPort: number;
  /** The text of dist/relay-agent.js. */
  agentScript: string;
  /** Who starts it, for the owner label. */
  owner: string;
  image?: string;
  /**
   * Also make the relay pod one more endpoint of the workload's own Service (which is not
   * changed): a share of that Service's connections then reach the local port too.
   */
  joinWorkloadService?: boolean;
  /** How long to wait for the first connection (default 120 s). */
  connectTimeoutMs?: number;
  session?: Partial<TunnelSessionOptions>;
}

export interface StartedTunnel {
  session: TunnelSession;
  /** Name of the relay's objects (and of its Service, which in-cluster callers use). */
  name: string;
  namespace: string;
  ports: RelayPort[];
  /** The Service of the workload the ports were taken from, if any. */
  workloadService?: string;
  /** Set when the relay pod is one more endpoint of the workload's Service. */
  joined?: RelayJoin;
}

/** What joining the workload's Service takes: its selector and the workload's port names. */
function joinOf(workload: StartTunnelRequest['workload'], template: PodTemplate, service: ServiceLike | undefined): RelayJoin {
  const selector = service?.spec?.selector;
  if (!service || !selector) {
    throw new ExplainedError({
      reason: 'Invalid',
      what: `Tunnel ${workload.kind} "${workload.name}" through its Service`,
      why: 'no Service selects its pods, so there is no Service the relay could join',
      remedy: 'Callers reach this computer through the relay\'s own Service without it',
      step: { code: 'changeSetting', setting: 'tunnel.joinWorkloadService', value: 'false' },
    });
  }
  const portNames: Record<number, string> = {};
  for (const c of template.spec?.containers ?? []) for (const p of c.ports ?? []) if (p.name) portNames[p.containerPort] ??= p.name;
  return { service: service.metadata.name, selector, portNames };
}

/** Every permission starting, running and stopping a tunnel to a `kind` needs in `namespace`, as declared for the tunnel. */
export function tunnelAccessChecks(namespace: string, kind: TunnelWorkloadKind = 'Deployment'): NeededCheck[] {
  const conditions: Condition[] = kind === 'StatefulSet' ? ['statefulSet'] : kind === 'DaemonSet' ? ['daemonSet'] : [];
  return requiredOf(featureChecks('tunnel', namespace, conditions));
}

/** The tunnel's preflight: throws Forbidden naming every missing permission, with the Role that grants them, before anything is deployed. */
export function assertTunnelAllowed(client: KubeClient, namespace: string, workload: { kind: TunnelWorkloadKind; name: string }, signal?: AbortSignal): Promise<void> {
  return assertAllowed(client, { feature: 'tunnel', what: `Tunnel ${workload.kind} "${workload.name}" in namespace "${namespace}"`, checks: tunnelAccessChecks(namespace, workload.kind), signal });
}

/** Deploys the relay for the workload and connects; the caller owns the returned session. */
export async function startTunnel(request: StartTunnelRequest, progress: (message: string) => void = () => undefined, signal?: AbortSignal): Promise<StartedTunnel> {
  const { client, namespace, workload } = request;
  progress(`Reading ${workload.kind} "${workload.name}"…`);
  const object = await client.get<KubeObject>(kinds[workload.kind], namespace, workload.name, signal);
  const template = (object.spec as { template?: PodTemplate } | undefined)?.template ?? {};
  const services = await client.list<KubeObject>(kinds.Service, namespace, { signal });
  const { ports, service } = relayPortsFor(template, services.items as unknown as ServiceLike[]);
  if (ports.length === 0) {
    throw new ExplainedError({
      reason: 'Invalid',
      what: `Tunnel ${workload.kind} "${workload.name}"`,
      why: 'it declares no TCP port and no Service selects it, so there is no traffic to bring to this computer',
      remedy: 'Add a containerPort to the workload or a Service for it, then try again',
    });
  }
  const join = request.joinWorkloadService ? joinOf(workload, template, services.items.find((s) => s.metadata.name === service) as ServiceLike | undefined) : undefined;
  const name = relayName(workload.name);
  const token = randomBytes(24).toString('base64url');
  progress(`Deploying the relay "${name}"…`);
  const objects = relayObjects({ name, namespace, sandbox: name, owner: request.owner, image: request.image, agentScript: request.agentScript, token, ports, ...(join ? { join } : {}) });
  await deployRelay(client, objects, signal);
  const session = new TunnelSession({
    client,
    namespace,
    selector: selectorText(relaySelector(name)),
    token,
    controlPort: defaultControlPort,
    local: { host: '127.0.0.1', port: request.localPort },
    ...request.session,
  });
  const watch = session.onDidChangeState((state) => progress(state.phase === 'connecting' ? 'Connecting to the relay…' : `Relay: ${describeState(state)}`));
  try {
    session.start();
    await session.whenConnected(request.connectTimeoutMs ?? 120_000, signal);
  } catch (err) {
    const last = session.state;
    session.dispose();
    // A tunnel that never came up leaves nothing behind (best effort: the cluster may be unreachable).
    await stopTunnel(client, namespace, name, AbortSignal.timeout(15_000)).catch(() => undefined);
    if (last.phase === 'reconnecting') {
      throw new ExplainedError(
        { reason: 'Timeout', what: `Tunnel ${workload.kind} "${workload.name}"`, why: last.reason.message, remedy: last.reason.remedy ?? 'Try again; the Tether log has the details' },
        { cause: err },
      );
    }
    throw err;
  } finally {
    watch.dispose();
  }
  return { session, name, namespace, ports, ...(service ? { workloadService: service } : {}), ...(join ? { joined: join } : {}) };
}
