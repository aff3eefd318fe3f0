/**
 * A PushScheduler driven by hand: time moves only when a test calls advance(), and due timers run
 * in time order. Coalescing and backoff are tested with it, never with real waiting.
 */
import type { PushScheduler } from '../../../src/push/push-scheduler.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

export class ManualScheduler implements PushScheduler {
  private time: number;
  private nextId = 1;
  private timers: Timer[] = [];

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): unknown {
    const timer = { id: this.nextId++, at: this.time + Math.max(0, delayMs), callback };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Timers armed and not yet run. */
  pending(): number {
    return this.timers.length;
  }

  /** Delay until the earliest armed timer, or null. */
  nextDelay(): number | null {
    const next = [...this.timers].sort((a, b) => a.at - b.at)[0];
    return next === undefined ? null : next.at - this.time;
  }

  /** Moves time forward by `ms`, running every timer that falls due on the way, in order. */
  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (due === undefined) break;
      this.timers = this.timers.filter((t) => t.id !== due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = end;
  }
}
