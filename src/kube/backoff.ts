/**
 * Exponential backoff with jitter, the way client-go's reflector does it: 0.8 s doubling to a
 * 30 s cap, each delay jittered within ±20 %, and the sequence starts over once no failure has
 * happened for `resetAfterMs`.
 */
import { systemClock, type Clock } from './clock';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
  /** Fraction of the delay that is randomised: delay * (1 ± jitter/2). */
  jitter: number;
  /** A failure this long after the previous one starts the sequence over. */
  resetAfterMs: number;
  random: () => number;
  clock: Clock;
}

export const defaultBackoff: BackoffOptions = {
  initialMs: 800,
  maxMs: 30_000,
  factor: 2,
  jitter: 0.4,
  resetAfterMs: 60_000,
  random: Math.random,
  clock: systemClock,
};

export class Backoff {
  private readonly options: BackoffOptions;
  private failures = 0;
  private lastFailureAt = -Infinity;

  constructor(options: Partial<BackoffOptions> = {}) {
    this.options = { ...defaultBackoff, ...options };
  }

  /** Failures in the current sequence. */
  get attempt(): number {
    return this.failures;
  }

  /** Records a failure and returns how long to wait before the next try. */
  next(): number {
    const { initialMs, maxMs, factor, jitter, resetAfterMs, random, clock } = this.options;
    const now = clock.now();
    if (now - this.lastFailureAt > resetAfterMs) this.failures = 0;
    this.lastFailureAt = now;
    const base = Math.min(maxMs, initialMs * factor ** this.failures);
    this.failures += 1;
    const jittered = base * (1 - jitter / 2 + jitter * random());
    return Math.round(Math.min(maxMs, jittered));
  }

  reset(): void {
    this.failures = 0;
    this.lastFailureAt = -Infinity;
  }
}
