/**
 * One timer for a view's ages: each part of the view (a namespace's rows, the GPU table) says
 * when its ages next read differently, and the ticker wakes once for the earliest, handing over
 * every part due by then — so ages move on without any cluster event, a part is re-rendered only
 * when one of its ages changes, and nothing runs while the view is hidden (showing it again
 * catches up at once). Pure: time comes from a Clock.
 */
import type { Disposable } from '../../lifecycle';
import { systemClock, type Clock } from '../../kube/clock';

export class AgeTicker<K> implements Disposable {
  private readonly due = new Map<K, number>();
  private timer: unknown;
  private timerAt = Infinity;
  private active = false;
  private disposed = false;

  constructor(
    private readonly onDue: (keys: K[]) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The ages `key` shows next change in `ms` (undefined: it shows none, or is gone). */
  set(key: K, ms: number | undefined): void {
    if (this.disposed) return;
    if (ms === undefined) this.due.delete(key);
    else this.due.set(key, this.clock.now() + Math.max(ms, 0));
    this.arm();
  }

  /** Ticks only while the view is visible; becoming visible hands over what fell due meanwhile. */
  setActive(active: boolean): void {
    if (this.disposed || active === this.active) return;
    this.active = active;
    if (active) this.fire();
    else this.arm();
  }

  private arm(): void {
    let next = Infinity;
    if (this.active) for (const at of this.due.values()) next = Math.min(next, at);
    if (next === this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = next;
    if (next === Infinity) return;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Infinity;
      this.fire();
    }, Math.max(0, next - this.clock.now()));
  }

  private fire(): void {
    const now = this.clock.now();
    const keys = [...this.due].filter(([, at]) => at <= now).map(([key]) => key);
    for (const key of keys) this.due.delete(key);
    if (keys.length) this.onDue(keys);
    this.arm();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.due.clear();
  }
}
