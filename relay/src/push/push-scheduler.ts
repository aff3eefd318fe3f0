/**
 * Time for the push notifier: the clock and one-shot timers, injected so tests drive coalescing
 * intervals and retry backoff by hand instead of waiting (and never assert on real timing).
 */

export interface PushScheduler {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once after `delayMs`; the handle cancels it. */
  setTimer(callback: () => void, delayMs: number): unknown;
  clearTimer(handle: unknown): void;
}

/** Real timers, unref'd so a pending push never keeps the process alive. */
export const systemScheduler: PushScheduler = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    timer.unref();
    return timer;
  },
  clearTimer(handle) {
    clearTimeout(handle as NodeJS.Timeout);
  },
};
