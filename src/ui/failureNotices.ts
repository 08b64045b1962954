/**
 * Which background failures become a notification: one per cause (failureCause.ts) — a cluster
 * that cannot be reached is told once, not once per view or watch that met it — and the same
 * cause again only after a retry (reset) or ten quiet minutes. Pure: time comes from a Clock.
 */
import { systemClock, type Clock } from '../kube/clock';
import type { Explanation } from '../kube/errors';
import { causeKey } from '../kube/failureCause';

export class FailureNotices {
  private readonly shown = new Map<string, number>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly quietMs = 10 * 60_000,
  ) {}

  /** True when this failure should be shown now (and is counted as shown). */
  admit(failure: Explanation | string): boolean {
    const key = typeof failure === 'string' ? failure : causeKey(failure);
    const last = this.shown.get(key);
    const now = this.clock.now();
    if (last !== undefined && now - last < this.quietMs) return false;
    this.shown.set(key, now);
    return true;
  }

  /** Forget what was shown (after a retry), so the next failure is shown again. */
  reset(): void {
    this.shown.clear();
  }
}
