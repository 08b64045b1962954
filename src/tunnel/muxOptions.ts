/** The Mux's options, statistics and close reasons. */
import { monotonicClock, type Clock } from '../kube/clock';

export interface MuxOptions {
  /** Receive window each stream starts with (default 256 KiB). */
  initialWindow?: number;
  /** Largest receive window a fast stream grows to (default 16 MiB). */
  maxWindow?: number;
  /** Cap on the receive windows granted across all streams, i.e. on buffered memory (default 64 MiB). */
  maxBufferedBytes?: number;
  /** Deadline for the peer to accept or refuse a stream (default 10 s). */
  dialTimeoutMs?: number;
  /** Deadline for a graceful close before the connection is destroyed (default 5 s). */
  closeTimeoutMs?: number;
  /** How often to ping (default 5 s). */
  pingIntervalMs?: number;
  /** Silence after which the peer counts as dead (default 15 s). */
  deadAfterMs?: number;
  /** Which end this is; the two ends number their streams apart (default 'extension'). */
  side?: 'extension' | 'agent';
  /** Time and timers for deadlines and liveness (default the system's, on a monotonic base). */
  clock?: Clock;
}

export function resolveMuxOptions(options: MuxOptions): Required<MuxOptions> {
  return {
    initialWindow: options.initialWindow ?? 256 * 1024,
    maxWindow: options.maxWindow ?? 16 * 1024 * 1024,
    maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    dialTimeoutMs: options.dialTimeoutMs ?? 10_000,
    closeTimeoutMs: options.closeTimeoutMs ?? 5_000,
    pingIntervalMs: options.pingIntervalMs ?? 5_000,
    deadAfterMs: options.deadAfterMs ?? 15_000,
    side: options.side ?? 'extension',
    clock: options.clock ?? monotonicClock,
  };
}

export interface MuxStats {
  openStreams: number;
  bytesIn: number;
  bytesOut: number;
  rttMs?: number;
  bufferedBytes: number;
}

export type MuxCloseReason =
  | { kind: 'goaway'; reason: string }
  | { kind: 'dead'; silentForMs: number }
  | { kind: 'transport'; error?: Error }
  | { kind: 'protocol'; error: Error }
  | { kind: 'local'; reason: string };

/** A close reason in words, for errors and logs. */
export function describeCloseReason(reason: MuxCloseReason): string {
  switch (reason.kind) {
    case 'goaway':
      return `the other end closed the tunnel: ${reason.reason}`;
    case 'dead':
      return `the other end went silent for ${Math.round(reason.silentForMs / 1000)} s (missed pings)`;
    case 'transport':
      return reason.error ? `the connection failed: ${reason.error.message}` : 'the connection was closed';
    case 'protocol':
      return `the other end broke the protocol: ${reason.error.message}`;
    case 'local':
      return reason.reason;
  }
}
