/** What a running tunnel shows, as plain data: the Start Tunnel command's result and the test API. */
import type { ActiveTunnel } from '../../tunnel/activeTunnels';
import type { TunnelState, TunnelStats } from '../../tunnel/sessionState';
import { statusText } from './tunnelStatusText';

export interface TunnelSnapshot {
  key: string;
  context: string;
  namespace: string;
  workload: { kind: string; name: string };
  localPort: number;
  /** The relay's Service, which in-cluster callers reach the local port through. */
  service: string;
  servicePorts: number[];
  /** The workload's own Service when the relay pod is one more of its endpoints. */
  joinedService?: string;
  state: TunnelState;
  stats: TunnelStats;
  /** The status bar item's text for this state (tunnelStatusText.ts). */
  statusText: string;
}

export function snapshotOf(tunnel: ActiveTunnel): TunnelSnapshot {
  const { started } = tunnel;
  const { state, stats } = started.session;
  return {
    key: tunnel.key,
    context: tunnel.context,
    namespace: started.namespace,
    workload: { ...tunnel.workload },
    localPort: tunnel.localPort,
    service: started.name,
    servicePorts: started.ports.map((p) => p.port),
    ...(started.joined ? { joinedService: started.joined.service } : {}),
    state,
    stats: { ...stats },
    statusText: statusText({ workload: tunnel.workload.name, namespace: started.namespace, localPort: tunnel.localPort }, state, stats),
  };
}
