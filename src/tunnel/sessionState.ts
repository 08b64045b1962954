/** What a tunnel session reports: its state with the reason for every drop, and live statistics. */
import type { DropReason } from './reconnectReason';

export type TunnelState =
  | { phase: 'connecting' }
  | { phase: 'connected'; pod: string; agentVersion: string }
  | { phase: 'reconnecting'; reason: DropReason; attempt: number; retryInMs: number }
  | { phase: 'stopped'; reason?: DropReason };

export interface TunnelStats {
  /** Streams open right now, inbound and outbound. */
  liveConnections: number;
  /** Bytes received from and sent to the relay since the session started (framing included). */
  bytesIn: number;
  bytesOut: number;
  /** Last measured round trip to the agent. */
  rttMs?: number;
  /** Inbound connections served and refused (nothing listening locally) since the session started. */
  inboundServed: number;
  inboundRefused: number;
  /** Outbound forwards currently listening. */
  forwards: number;
}

/** A problem with the local process the tunnel delivers to; reported once until it recovers. */
export interface LocalProblem {
  dataPort: number;
  target: string;
  message: string;
}

/** The state in a few words, for the status bar. */
export function describeState(state: TunnelState): string {
  switch (state.phase) {
    case 'connecting':
      return 'connecting';
    case 'connected':
      return 'connected';
    case 'reconnecting':
      return `reconnecting in ${Math.max(1, Math.round(state.retryInMs / 1000))} s: ${state.reason.message}`;
    case 'stopped':
      return state.reason ? `stopped: ${state.reason.message}` : 'stopped';
  }
}
