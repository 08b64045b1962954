/**
 * Log lines on their way to the webview: collected and sent in batches at most every
 * `intervalMs` (one postMessage per batch however fast the stream), never more than `maxLines`
 * waiting — older ones are dropped and counted, so the webview can say so. While paused nothing
 * is sent; the newest `maxLines` wait for the resume. Pure: the timer is injected.
 */
import type { Disposable } from '../../lifecycle';

export interface BatchTimer {
  /** Calls `fn` once after `ms`; the returned handle cancels it. */
  after(ms: number, fn: () => void): Disposable;
}

export const realTimer: BatchTimer = {
  after(ms, fn) {
    const handle = setTimeout(fn, ms);
    return { dispose: () => clearTimeout(handle) };
  },
};

export interface LogBatcherOptions {
  intervalMs?: number;
  maxLines?: number;
  timer?: BatchTimer;
}

export class LogBatcher implements Disposable {
  private pending: string[] = [];
  private dropped = 0;
  private scheduled?: Disposable;
  private pausedValue = false;
  private disposed = false;
  private readonly intervalMs: number;
  private readonly maxLines: number;
  private readonly timer: BatchTimer;

  constructor(
    private readonly send: (lines: string[], dropped: number) => void,
    options: LogBatcherOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 100;
    this.maxLines = options.maxLines ?? 5000;
    this.timer = options.timer ?? realTimer;
  }

  get paused(): boolean {
    return this.pausedValue;
  }

  /** Lines waiting to be sent. */
  get waiting(): number {
    return Math.min(this.pending.length, this.maxLines);
  }

  push(lines: readonly string[]): void {
    if (this.disposed || lines.length === 0) return;
    for (const line of lines) this.pending.push(line);
    // Trimmed in steps (amortised O(1) per line), and exactly at flush time.
    if (this.pending.length >= this.maxLines * 2) this.trim();
    this.schedule();
  }

  setPaused(paused: boolean): void {
    if (this.disposed || paused === this.pausedValue) return;
    this.pausedValue = paused;
    if (paused) {
      this.scheduled?.dispose();
      this.scheduled = undefined;
    } else {
      this.schedule();
    }
  }

  /** Sends what is waiting now (unless paused). */
  flush(): void {
    this.scheduled?.dispose();
    this.scheduled = undefined;
    if (this.disposed || this.pausedValue || (this.pending.length === 0 && this.dropped === 0)) return;
    this.trim();
    const lines = this.pending;
    const dropped = this.dropped;
    this.pending = [];
    this.dropped = 0;
    this.send(lines, dropped);
  }

  /** Forgets everything waiting (the panel switched to another log). */
  clear(): void {
    this.scheduled?.dispose();
    this.scheduled = undefined;
    this.pending = [];
    this.dropped = 0;
  }

  private trim(): void {
    const extra = this.pending.length - this.maxLines;
    if (extra <= 0) return;
    this.pending.splice(0, extra);
    this.dropped += extra;
  }

  private schedule(): void {
    if (this.scheduled || this.pausedValue || this.disposed || this.pending.length === 0) return;
    this.scheduled = this.timer.after(this.intervalMs, () => {
      this.scheduled = undefined;
      this.flush();
    });
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }
}
