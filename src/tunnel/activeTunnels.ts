/**
 * The tunnels a front door runs, keyed by context/namespace/workload. Each entry owns its session,
 * the KubeClient it talks through and what the front door attached to it (a status bar item,
 * subscriptions); removing an entry disposes all of them. Cluster objects are removed separately
 * (stopTunnel), by whoever stops it, before it removes the entry. Also the running tunnels by
 * workload, for views that show them on a workload's row.
 */
import type { KubeClient } from '../kube/api';
import { Emitter, type Disposable } from '../lifecycle';
import type { StartedTunnel } from './sessionStart';
import type { TunnelState } from './sessionState';

export interface ActiveTunnel {
  key: string;
  context: string;
  workload: { kind: string; name: string };
  localPort: number;
  started: StartedTunnel;
  client: KubeClient;
  /** Disposed with the tunnel: the front door's status item, subscriptions. */
  owned: Disposable[];
}

export function tunnelKey(context: string, namespace: string, workload: string): string {
  return `${context}/${namespace}/${workload}`;
}

/** A running tunnel as a workload's row shows it. */
export interface WorkloadTunnel {
  readonly state: TunnelState;
  readonly localPort: number;
}

/** The tunnels of workloads, for views (ActiveTunnels satisfies it). */
export interface WorkloadTunnels {
  forWorkload(context: string, namespace: string, workload: string): WorkloadTunnel | undefined;
  /** Fires with the tunnel's workload when a tunnel starts, stops or changes state. */
  readonly onDidChange: (listener: (workload: TunnelWorkloadRef) => void) => Disposable;
}

export interface TunnelWorkloadRef {
  readonly context: string;
  readonly namespace: string;
  readonly workload: string;
}

function workloadRef(tunnel: ActiveTunnel): TunnelWorkloadRef {
  return { context: tunnel.context, namespace: tunnel.started.namespace, workload: tunnel.workload.name };
}

export class ActiveTunnels implements Disposable, WorkloadTunnels {
  private readonly tunnels = new Map<string, ActiveTunnel>();
  private readonly changes = new Emitter<TunnelWorkloadRef>();
  readonly onDidChange = this.changes.event;

  get all(): ActiveTunnel[] {
    return [...this.tunnels.values()];
  }

  get(key: string): ActiveTunnel | undefined {
    return this.tunnels.get(key);
  }

  forWorkload(context: string, namespace: string, workload: string): WorkloadTunnel | undefined {
    const tunnel = this.tunnels.get(tunnelKey(context, namespace, workload));
    return tunnel && { state: tunnel.started.session.state, localPort: tunnel.localPort };
  }

  add(tunnel: ActiveTunnel): void {
    this.remove(tunnel.key);
    this.tunnels.set(tunnel.key, tunnel);
    tunnel.owned.push(tunnel.started.session.onDidChangeState(() => this.changes.fire(workloadRef(tunnel))));
    this.changes.fire(workloadRef(tunnel));
  }

  /** Disposes the tunnel's local side (connection, forwards, what is attached, client). */
  remove(key: string): void {
    const tunnel = this.tunnels.get(key);
    if (!tunnel) return;
    this.tunnels.delete(key);
    for (const s of tunnel.owned) s.dispose();
    tunnel.started.session.dispose();
    tunnel.client.dispose();
    this.changes.fire(workloadRef(tunnel));
  }

  dispose(): void {
    for (const key of [...this.tunnels.keys()]) this.remove(key);
    this.changes.dispose();
  }
}
