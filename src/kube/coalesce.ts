/**
 * Turns bursts of change signals into at most `maxPerSecond` flushes: the first signal after a
 * quiet period flushes at once (leading edge), signals inside the interval collapse into one
 * trailing flush at the end of it.
 */
import type { Disposable } from '../lifecycle';
import { systemClock, type Clock } from './clock';

export class Coalescer implements Disposable {
  private readonly intervalMs: number;
  private lastFlushAt = -Infinity;
  private timer: unknown;
  private scheduled = false;
  private disposed = false;

  constructor(
    private readonly flush: () => void,
    maxPerSecond = 10,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(maxPerSecond > 0)) throw new RangeError('maxPerSecond must be positive');
    this.intervalMs = 1000 / maxPerSecond;
  }

  signal(): void {
    if (this.disposed || this.scheduled) return;
    const wait = this.lastFlushAt + this.intervalMs - this.clock.now();
    if (wait <= 0) {
      this.run();
      return;
    }
    this.scheduled = true;
    this.timer = this.clock.setTimeout(() => {
      this.scheduled = false;
      this.run();
    }, wait);
  }

  private run(): void {
    this.lastFlushAt = this.clock.now();
    this.flush();
  }

  dispose(): void {
    this.disposed = true;
    if (this.scheduled) this.clock.clearTimeout(this.timer);
    this.scheduled = false;
  }
}
