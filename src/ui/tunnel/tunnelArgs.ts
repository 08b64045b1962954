/**
 * The argument "Tunnel Workload to Local Port" takes from callers that already know what to
 * tunnel (other commands, URIs, tests): the workload and the local port, so no picker is shown.
 * From the palette the command gets no argument and asks; from the Cluster view it gets the row.
 */
import type { TunnelWorkloadKind } from '../../tunnel/sessionStart';

export interface StartTunnelArgs {
  /** The kubeconfig context; the selected one when absent. */
  context?: string;
  namespace: string;
  workload: { kind: Extract<TunnelWorkloadKind, 'Deployment' | 'StatefulSet'>; name: string };
  /** Where in-cluster traffic is delivered: 127.0.0.1:<localPort>. */
  localPort: number;
  /** Overrides the setting tether.tunnel.joinWorkloadService for this tunnel. */
  joinWorkloadService?: boolean;
}

const workloadKinds: readonly string[] = ['Deployment', 'StatefulSet'];

/**
 * The argument as StartTunnelArgs when it is meant as one (an object with `localPort`), checked;
 * undefined for anything else (no argument, a Cluster view row).
 */
export function startTunnelArgs(arg: unknown): StartTunnelArgs | undefined {
  if (!arg || typeof arg !== 'object' || !('localPort' in arg)) return undefined;
  const a = arg as Partial<StartTunnelArgs>;
  const problems: string[] = [];
  if (a.context !== undefined && (typeof a.context !== 'string' || !a.context)) problems.push('context must be a context name');
  if (typeof a.namespace !== 'string' || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.namespace)) problems.push('namespace must be a namespace name');
  if (!a.workload || typeof a.workload.name !== 'string' || !a.workload.name || !workloadKinds.includes(a.workload.kind as string)) {
    problems.push(`workload must be {kind: ${workloadKinds.join(' | ')}, name}`);
  }
  if (a.joinWorkloadService !== undefined && typeof a.joinWorkloadService !== 'boolean') problems.push('joinWorkloadService must be true or false');
  if (typeof a.localPort !== 'number' || !Number.isInteger(a.localPort) || a.localPort < 1 || a.localPort > 65535) problems.push('localPort must be a port between 1 and 65535');
  if (problems.length) throw new TypeError(`tether.startTunnel got an argument it cannot use: ${problems.join('; ')} (got ${JSON.stringify(arg)})`);
  return a as StartTunnelArgs;
}
