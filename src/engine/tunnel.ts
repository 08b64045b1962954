/**
 * A tunnel from a workload to a local port, as any front door starts it: the permissions it needs
 * checked first (what is missing, for the Role an admin can grant), then the relay deployed with
 * this front door's holder as its owner, the relay image and the join setting from the settings.
 */
import { checkAccess } from '../kube/access';
import type { KubeClient } from '../kube/api';
import type { AccessCheck } from '../kube/role';
import { startTunnel, tunnelAccessChecks, type StartedTunnel, type TunnelWorkloadKind } from '../tunnel/sessionStart';
import type { EngineDeps } from './engine';
import { developerName, holderIdentity } from './identity';

/** The permissions a tunnel in `namespace` needs that the user lacks (none: it may start). */
export async function missingTunnelPermissions(client: KubeClient, namespace: string, signal?: AbortSignal): Promise<AccessCheck[]> {
  const results = await checkAccess(client, tunnelAccessChecks(namespace), signal);
  return results.filter((r) => !r.allowed).map((r) => r.check);
}

export interface TunnelAsk {
  namespace: string;
  workload: { kind: TunnelWorkloadKind; name: string };
  localPort: number;
  /** Overrides the setting tunnel.joinWorkloadService. */
  joinWorkloadService?: boolean;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

export async function runTunnel(deps: EngineDeps, client: KubeClient, ask: TunnelAsk): Promise<StartedTunnel> {
  const settings = deps.settings();
  const owner = holderIdentity(developerName(settings, deps.host), deps.host);
  return startTunnel(
    {
      client,
      namespace: ask.namespace,
      workload: ask.workload,
      localPort: ask.localPort,
      agentScript: await deps.bundles.relayAgent(),
      owner,
      image: settings.relay.image || undefined,
      joinWorkloadService: ask.joinWorkloadService ?? settings.tunnel.joinWorkloadService,
      session: { logger: deps.logger },
    },
    (message) => ask.onProgress?.(message),
    ask.signal,
  );
}
