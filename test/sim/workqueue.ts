/**
 * A controller work queue: keys are processed once per batch of changes, after an optional delay,
 * outside the store's event dispatch. Owns its timers.
 */
import type { Disposable } from '../../src/lifecycle';

export class WorkQueue implements Disposable {
  private readonly pending = new Map<string, { timer: NodeJS.Timeout; due: number }>();
  private disposed = false;

  constructor(
    private readonly handler: (key: string) => void,
    private readonly onError: (err: unknown, key: string) => void,
  ) {}

  /** Schedules `key`; an earlier pending schedule wins over a later one. */
  add(key: string, delayMs = 0): void {
    if (this.disposed) return;
    const due = Date.now() + delayMs;
    const existing = this.pending.get(key);
    if (existing && existing.due <= due) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.pending.delete(key);
      try {
        this.handler(key);
      } catch (err) {
        this.onError(err, key);
      }
    }, delayMs);
    this.pending.set(key, { timer, due });
  }

  dispose(): void {
    this.disposed = true;
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
