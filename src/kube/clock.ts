/** Time as a dependency, so retry and rate logic can be tested without waiting. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The system's timers on a monotonic time base: for deadlines and silences that a change of the wall clock must not move. */
export const monotonicClock: Clock = {
  now: () => performance.now(),
  setTimeout: systemClock.setTimeout,
  clearTimeout: systemClock.clearTimeout,
};

/** Lets the process exit while a timer of `clock` is pending (a no-op for clocks whose handles cannot). */
export function unrefTimer(handle: unknown): void {
  (handle as { unref?: () => void } | undefined)?.unref?.();
}

/** Calls `fn` every `ms` on `clock` until `stop()`; with `unref`, the timer does not keep the process alive. */
export function repeat(clock: Clock, ms: number, fn: () => void, options: { unref?: boolean } = {}): { stop(): void } {
  let stopped = false;
  let handle: unknown;
  const schedule = () => {
    handle = clock.setTimeout(() => {
      if (stopped) return;
      schedule();
      fn();
    }, ms);
    if (options.unref) unrefTimer(handle);
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const aborted = () => Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    if (signal?.aborted) return reject(aborted());
    const onAbort = () => {
      clock.clearTimeout(handle);
      reject(aborted());
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
