/**
 * Ping/pong bookkeeping for a Mux: round-trip times, and a dead peer after deadAfterMs of silence
 * (any frame counts as a sign of life). A tick that comes far too late means this process was
 * suspended (laptop sleep) or blocked; the peer then gets a fresh chance to answer.
 */
import { repeat, type Clock } from '../kube/clock';
import type { Disposable } from '../lifecycle';

export interface LivenessOptions {
  pingIntervalMs: number;
  deadAfterMs: number;
  /** Time and timers, on a monotonic base (monotonicClock). */
  clock: Clock;
}

export class Liveness implements Disposable {
  private readonly pings = new Map<number, { sentAt: number; resolve(ms: number): void; reject(error: Error): void }>();
  private readonly timer: { stop(): void };
  private readonly clock: Clock;
  private nextPingId = 1;
  private lastHeardAt: number;
  private lastPingAt = 0;
  private lastTickAt: number;
  /** Smoothed round-trip time in milliseconds, once one was measured. */
  rttMs: number | undefined;

  constructor(
    private readonly options: LivenessOptions,
    private readonly sendPing: (id: number) => void,
    private readonly onDead: (silentForMs: number) => void,
  ) {
    this.clock = options.clock;
    this.lastHeardAt = this.lastTickAt = this.clock.now();
    const tickEvery = Math.max(10, Math.min(options.pingIntervalMs, options.deadAfterMs / 30));
    this.timer = repeat(this.clock, tickEvery, () => this.tick(tickEvery));
  }

  /** Something arrived from the peer. */
  heard(): void {
    this.lastHeardAt = this.clock.now();
  }

  ping(): Promise<number> {
    const id = this.nextPingId;
    this.nextPingId = this.nextPingId >= 0xffffffff ? 1 : this.nextPingId + 1;
    this.lastPingAt = this.clock.now();
    return new Promise<number>((resolve, reject) => {
      this.pings.set(id, { sentAt: this.lastPingAt, resolve, reject });
      this.sendPing(id);
    });
  }

  pong(id: number): void {
    const ping = this.pings.get(id);
    if (!ping) return;
    this.pings.delete(id);
    const ms = this.clock.now() - ping.sentAt;
    this.rttMs = this.rttMs === undefined ? ms : this.rttMs * 0.75 + ms * 0.25;
    ping.resolve(ms);
  }

  /** Stops the timer and fails the pings still waiting. */
  fail(error: Error): void {
    this.timer.stop();
    for (const ping of this.pings.values()) ping.reject(error);
    this.pings.clear();
  }

  dispose(): void {
    this.fail(new Error('the tunnel was closed'));
  }

  private tick(tickEvery: number): void {
    const now = this.clock.now();
    const late = now - this.lastTickAt > 2 * tickEvery + 1000;
    this.lastTickAt = now;
    if (late) {
      // The silence since the last tick is ours, not the peer's: ask again, give it a few seconds.
      this.lastHeardAt = Math.max(this.lastHeardAt, now - this.options.deadAfterMs + Math.min(this.options.deadAfterMs / 2, 5000));
      this.ping().catch(() => undefined);
      return;
    }
    const silentForMs = now - this.lastHeardAt;
    if (silentForMs >= this.options.deadAfterMs) {
      this.onDead(silentForMs);
      return;
    }
    if (now - this.lastPingAt >= this.options.pingIntervalMs) this.ping().catch(() => undefined);
  }
}
