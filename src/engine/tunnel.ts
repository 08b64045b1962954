/**
 * A tunnel from a workload to a local port, as any front door starts it: the permissions it needs
 * checked first (a refusal names what is missing with the Role that grants it, as data), then the relay deployed with
 * this front door's holder as its owner, the relay image and the join setting from the settings.
 */
import type { KubeClient } from '../kube/api';
import { assertTunnelAllowed, startTunnel, type StartedTunnel, type TunnelWorkloadKind } from '../tunnel/sessionStart';
import type { EngineDeps } from './engine';
import { developerName, holderIdentity } from './identity';

/** The tunnel's preflight: throws Forbidden naming every missing permission, with its Role as data (`access`). */
export function tunnelPreflight(client: KubeClient, namespace: string, workload: { kind: TunnelWorkloadKind; name: string }, signal?: AbortSignal): Promise<void> {
  return assertTunnelAllowed(client, namespace, workload, signal);
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
