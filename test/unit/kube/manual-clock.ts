/** A clock that only moves when the test says so. */
import type { Clock } from '../../../src/kube/clock';

export class ManualClock implements Clock {
  private time = 1_000_000;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 1;

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  /**
   * Time jumps forward with no timer firing, as for a suspended process (laptop sleep): timers that
   * fell due meanwhile fire late, at the next advance.
   */
  suspend(ms: number): void {
    this.time += ms;
    for (const timer of this.timers.values()) timer.at = Math.max(timer.at, this.time);
  }

  /** Moves time forward, firing due timers in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.at <= end && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.timers.get(nextId);
      this.timers.delete(nextId);
      this.time = nextAt;
      timer?.fn();
    }
    this.time = end;
  }
}
