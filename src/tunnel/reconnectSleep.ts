/**
 * Notices that the computer slept: a timer that should fire every `intervalMs` fires much later.
 * The session asks it whether a sleep happened shortly before a drop, to name the drop's cause.
 */
import type { Disposable } from '../lifecycle';

export interface SleepWatchOptions {
  intervalMs?: number;
  /** A gap this much longer than the interval counts as a sleep. */
  slackMs?: number;
  now?: () => number;
}

export class SleepWatch implements Disposable {
  private readonly timer: NodeJS.Timeout;
  private last: number;
  private lastSleep: { endedAt: number; sleptForMs: number } | undefined;
  private readonly now: () => number;
  private readonly gapMs: number;

  constructor(options: SleepWatchOptions = {}) {
    const intervalMs = options.intervalMs ?? 2_000;
    const slackMs = options.slackMs ?? 8_000;
    this.gapMs = intervalMs + slackMs;
    this.now = options.now ?? Date.now;
    this.last = this.now();
    this.timer = setInterval(() => {
      const now = this.now();
      const gap = now - this.last;
      if (gap > this.gapMs) this.lastSleep = { endedAt: now, sleptForMs: gap - intervalMs };
      this.last = now;
    }, intervalMs);
    this.timer.unref();
  }

  /** The sleep that ended within `withinMs` before now, if any. */
  recentSleep(withinMs = 30_000): { sleptForMs: number } | undefined {
    this.check();
    const sleep = this.lastSleep;
    return sleep && this.now() - sleep.endedAt <= withinMs ? { sleptForMs: sleep.sleptForMs } : undefined;
  }

  /** Also counts a gap still in progress (the timer may not have fired since waking). */
  private check(): void {
    const now = this.now();
    if (now - this.last > this.gapMs) this.lastSleep = { endedAt: now, sleptForMs: now - this.last };
  }

  dispose(): void {
    clearInterval(this.timer);
  }
}
