/**
 * The tunnel's status bar text, pure so it can be tested without VS Code: state icon, the
 * workload and local port, live connections, bytes and round-trip time.
 */
import type { TunnelState, TunnelStats } from '../../tunnel/sessionState';

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export interface TunnelLabel {
  /** "web", the workload the tunnel serves. */
  workload: string;
  namespace: string;
  localPort: number;
}

export function statusText(label: TunnelLabel, state: TunnelState, stats: TunnelStats): string {
  const target = `${label.workload} → :${label.localPort}`;
  switch (state.phase) {
    case 'connecting':
      return `$(sync~spin) ${target}`;
    case 'reconnecting':
      return `$(debug-disconnect) ${target} · reconnecting`;
    case 'stopped':
      return `$(circle-slash) ${target} · stopped`;
    case 'connected': {
      const rtt = stats.rttMs !== undefined ? ` · ${stats.rttMs < 10 ? stats.rttMs.toFixed(1) : Math.round(stats.rttMs)} ms` : '';
      return `$(plug) ${target} · ${stats.liveConnections} conn · ${formatBytes(stats.bytesIn + stats.bytesOut)}${rtt}`;
    }
  }
}

/** What a workload's row in the Cluster view says about its running tunnel, e.g. "tunnel → :3000". */
export function tunnelRowText(state: TunnelState, localPort: number): string {
  switch (state.phase) {
    case 'connected':
      return `tunnel → :${localPort}`;
    case 'connecting':
      return `tunnel connecting → :${localPort}`;
    case 'reconnecting':
      return `tunnel reconnecting → :${localPort}`;
    case 'stopped':
      return 'tunnel stopped';
  }
}
