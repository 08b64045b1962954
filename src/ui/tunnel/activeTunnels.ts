/**
 * The tunnels running in this window, keyed by context/namespace/workload. Each entry owns its
 * session, status bar item, subscriptions and the KubeClient it talks through; removing an entry
 * disposes all of them. Cluster objects are removed separately (stopTunnel) by the command that
 * stops it, before it removes the entry.
 */
import type * as vscode from 'vscode';
import type { KubeClient } from '../../kube/api';
import { Emitter, type Disposable } from '../../lifecycle';
import type { StartedTunnel } from '../../tunnel/sessionStart';
import type { TunnelState, TunnelStats } from '../../tunnel/sessionState';
import type { TunnelStatusBar } from './tunnelStatusBar';

export interface ActiveTunnel {
  key: string;
  context: string;
  workload: { kind: string; name: string };
  localPort: number;
  started: StartedTunnel;
  client: KubeClient;
  statusBar: TunnelStatusBar;
  subscriptions: Disposable[];
}

/** What a running tunnel shows, as plain data (the command's result and the test API). */
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
  /** The status bar item's text as shown. */
  statusText: string;
}

export function snapshotOf(tunnel: ActiveTunnel): TunnelSnapshot {
  const { started } = tunnel;
  return {
    key: tunnel.key,
    context: tunnel.context,
    namespace: started.namespace,
    workload: { ...tunnel.workload },
    localPort: tunnel.localPort,
    service: started.name,
    servicePorts: started.ports.map((p) => p.port),
    ...(started.joined ? { joinedService: started.joined.service } : {}),
    state: started.session.state,
    stats: { ...started.session.stats },
    statusText: tunnel.statusBar.text,
  };
}

export function tunnelKey(context: string, namespace: string, workload: string): string {
  return `${context}/${namespace}/${workload}`;
}

/** A running tunnel as the Cluster view's workload row shows it. */
export interface WorkloadTunnel {
  readonly state: TunnelState;
  readonly localPort: number;
}

/** The tunnels of workloads, for the Cluster view's rows (ActiveTunnels satisfies it). */
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

export class ActiveTunnels implements vscode.Disposable, WorkloadTunnels {
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
    tunnel.subscriptions.push(tunnel.started.session.onDidChangeState(() => this.changes.fire(workloadRef(tunnel))));
    this.changes.fire(workloadRef(tunnel));
  }

  /** Disposes the tunnel's local side (connection, forwards, status bar, client). */
  remove(key: string): void {
    const tunnel = this.tunnels.get(key);
    if (!tunnel) return;
    this.tunnels.delete(key);
    for (const s of tunnel.subscriptions) s.dispose();
    tunnel.started.session.dispose();
    tunnel.statusBar.dispose();
    tunnel.client.dispose();
    this.changes.fire(workloadRef(tunnel));
  }

  dispose(): void {
    for (const key of [...this.tunnels.keys()]) this.remove(key);
    this.changes.dispose();
  }
}
