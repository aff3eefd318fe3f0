/**
 * CoalescingPushNotifier: the PushNotifier that wakes offline devices with Web Push (RFC 8030)
 * without ever slowing the relay down.
 *
 * `notify()` is synchronous and returns at once: it only records "this device has N pending,
 * kind K" in a per-device slot and arms a timer. Nothing on the send path awaits a push, so a
 * failing or hanging push service can neither delay nor lose a message — messages live in the
 * durable queue; a push is only a hint to come and fetch them.
 *
 * Per device:
 *  - coalescing: at most one push per `coalesceIntervalMs`. The first event sends at once; events
 *    inside the interval fold into one slot (latest count, most important kind) that goes out as
 *    a single trailing push when the interval ends. The queue per device is thus bounded at one
 *    pending slot plus the push in flight, and `maxTrackedDevices` bounds the devices.
 *  - retries: 429 (Retry-After honoured, RFC 6585 §4 / RFC 9110 §10.2.3), 5xx and network errors
 *    retry with exponential backoff and jitter, at most `maxRetries` times; a retry carries the
 *    latest folded count. A Retry-After longer than `backoffMaxMs` ends this push, but no push to
 *    that device starts before it has passed.
 *  - 404/410 (RFC 8030 §7.3) remove the subscription if it still has that endpoint.
 * `maxConcurrentRequests` bounds requests in flight across all devices.
 */
import type { PushSubscriptionStore } from '../storage/push-subscription-store.js';
import type { DeviceAddress } from '../storage/records.js';
import type { PushConfig } from './push-config.js';
import type { PushFailureReason, PushMetrics } from './push-metrics.js';
import { noopPushMetrics } from './push-metrics.js';
import type { PushKind } from './push-payload.js';
import { clampPending, encodePushPayload, foldKinds, isPushKind } from './push-payload.js';
import type { PushScheduler } from './push-scheduler.js';
import { systemScheduler } from './push-scheduler.js';
import type { PushNotifier } from './push-notifier.js';
import type { PushSender } from './push-sender.js';

/** The pino subset the notifier logs through (pino's Logger fits). */
export interface PushLogger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

const silentLogger: PushLogger = { debug() {}, info() {}, warn() {} };

/** Longest Retry-After remembered for a device, whatever the push service asks for. */
const MAX_NOT_BEFORE_MS = 24 * 3600 * 1000;

export type PushNotifierConfig = Pick<PushConfig, 'coalesceIntervalMs' | 'maxRetries' | 'backoffBaseMs' | 'backoffMaxMs' | 'maxConcurrentRequests' | 'maxTrackedDevices'>;

export interface PushNotifierOptions {
  readonly config: PushNotifierConfig;
  readonly store: PushSubscriptionStore;
  readonly sender: PushSender;
  readonly metrics?: PushMetrics;
  readonly logger?: PushLogger;
  readonly scheduler?: PushScheduler;
  /** Jitter source in [0, 1); injected for deterministic tests. */
  readonly random?: () => number;
}

interface Slot {
  kind: PushKind;
  pending: number;
  /** Notifications folded into this slot. */
  events: number;
}

interface DeviceState {
  readonly key: string;
  readonly address: DeviceAddress;
  /** Events not yet handed to a push. */
  slot: Slot | null;
  /** The push being sent or waiting to be retried. */
  current: Slot | null;
  phase: 'idle' | 'waiting' | 'ready' | 'sending' | 'backoff';
  timer: unknown;
  /** When the latest push made its first attempt (the coalescing interval counts from here). */
  pushStartedAt: number | null;
  /** No push before this time (a Retry-After that outlived its push). */
  notBefore: number;
  retries: number;
}

export interface PushNotifierStats {
  readonly trackedDevices: number;
  readonly inFlight: number;
  readonly ready: number;
}

function fold(into: Slot | null, from: Slot): Slot {
  if (into === null) return { ...from };
  return { kind: foldKinds(into.kind, from.kind), pending: from.pending, events: into.events + from.events };
}

export class CoalescingPushNotifier implements PushNotifier {
  private readonly config: PushNotifierConfig;
  private readonly store: PushSubscriptionStore;
  private readonly sender: PushSender;
  private readonly metrics: PushMetrics;
  private readonly logger: PushLogger;
  private readonly scheduler: PushScheduler;
  private readonly random: () => number;
  private readonly states = new Map<string, DeviceState>();
  private readonly ready: DeviceState[] = [];
  private readonly attempts = new Set<Promise<void>>();
  private inFlight = 0;
  private closed = false;

  constructor(options: PushNotifierOptions) {
    this.config = options.config;
    this.store = options.store;
    this.sender = options.sender;
    this.metrics = options.metrics ?? noopPushMetrics;
    this.logger = options.logger ?? silentLogger;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.random = options.random ?? Math.random;
  }

  /**
   * Something was queued for a device with no live connection. Returns immediately; never
   * throws for a well-formed call and never waits on the network.
   */
  notify(accountId: string, deviceId: number, kind: PushKind, pendingCount: number): void {
    if (this.closed || !isPushKind(kind)) return;
    const key = `${accountId}/${deviceId}`;
    let state = this.states.get(key);
    if (state === undefined) {
      if (this.states.size >= this.config.maxTrackedDevices) {
        this.metrics.failed('overload');
        return;
      }
      state = { key, address: { accountId, deviceId }, slot: null, current: null, phase: 'idle', timer: null, pushStartedAt: null, notBefore: 0, retries: 0 };
      this.states.set(key, state);
    }
    state.slot = fold(state.slot, { kind, pending: clampPending(pendingCount), events: 1 });
    // Waiting, ready, sending or backing off: the slot is picked up when that ends.
    if (state.phase === 'idle') this.schedule(state);
  }

  stats(): PushNotifierStats {
    return { trackedDevices: this.states.size, inFlight: this.inFlight, ready: this.ready.length };
  }

  /** Resolves once no push request is in flight (tests; shutdown). Timers may still be armed. */
  async settled(): Promise<void> {
    while (this.attempts.size > 0) await Promise.allSettled([...this.attempts]);
  }

  /** Cancels every timer, drops pending pushes, ends open connections and waits for in-flight work. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      for (const state of this.states.values()) this.clearTimer(state);
      this.states.clear();
      this.ready.length = 0;
      this.sender.close();
    }
    await this.settled();
  }

  private clearTimer(state: DeviceState): void {
    if (state.timer !== null) this.scheduler.clearTimer(state.timer);
    state.timer = null;
  }

  private arm(state: DeviceState, delayMs: number, then: () => void): void {
    this.clearTimer(state);
    state.timer = this.scheduler.setTimer(() => {
      state.timer = null;
      if (!this.closed) then();
    }, Math.max(0, delayMs));
  }

  /** An idle device has a slot: send now, or when its interval (or Retry-After) is over. */
  private schedule(state: DeviceState): void {
    const now = this.scheduler.now();
    const intervalEnd = state.pushStartedAt === null ? 0 : state.pushStartedAt + this.config.coalesceIntervalMs;
    const due = Math.max(intervalEnd, state.notBefore);
    if (due <= now) {
      this.clearTimer(state);
      this.enqueue(state);
    } else {
      state.phase = 'waiting';
      this.arm(state, due - now, () => this.enqueue(state));
    }
  }

  private enqueue(state: DeviceState): void {
    state.phase = 'ready';
    this.ready.push(state);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.inFlight < this.config.maxConcurrentRequests) {
      const state = this.ready.shift();
      if (state === undefined) return;
      this.start(state);
    }
  }

  private start(state: DeviceState): void {
    if (state.current === null) {
      // A new push: it takes the slot, and the coalescing interval starts now.
      state.current = state.slot;
      state.pushStartedAt = this.scheduler.now();
      state.retries = 0;
    } else if (state.slot !== null) {
      // A retry carries whatever arrived meanwhile: the latest count, the most important kind.
      state.current = fold(state.current, state.slot);
    }
    state.slot = null;
    if (state.current === null) {
      this.release(state);
      return;
    }
    state.phase = 'sending';
    this.inFlight++;
    const attempt = this.attempt(state, state.current).finally(() => {
      this.attempts.delete(attempt);
    });
    this.attempts.add(attempt);
  }

  private async attempt(state: DeviceState, push: Slot): Promise<void> {
    const { address } = state;
    let retryIn: number | null = null;
    try {
      const subscription = await this.store.get(address);
      if (subscription === null) {
        // No subscription: nothing was sent, so no interval to keep.
        state.pushStartedAt = null;
        return;
      }
      const outcome = await this.sender.send(subscription, encodePushPayload(push.kind, push.pending));
      const now = this.scheduler.now();
      switch (outcome.type) {
        case 'delivered':
          this.metrics.sent();
          this.metrics.coalesced(push.events - 1);
          if (subscription.failureCount > 0) await this.store.recordSuccess(address, subscription.endpoint);
          this.logger.debug({ event: 'push.sent', accountId: address.accountId, deviceId: address.deviceId, kind: push.kind, status: outcome.status }, 'push sent');
          return;
        case 'gone':
          // RFC 8030 §7.3: the push service no longer knows this subscription; stop using it.
          if (await this.store.removeIfEndpoint(address, subscription.endpoint)) this.metrics.subscriptionRemoved(outcome.status);
          this.logger.info({ event: 'push.subscription_removed', accountId: address.accountId, deviceId: address.deviceId, status: outcome.status }, 'push subscription gone');
          return;
        case 'rejected':
          await this.giveUp(state, subscription.endpoint, 'rejected', { status: outcome.status });
          return;
        case 'refused':
          await this.giveUp(state, subscription.endpoint, 'policy', { addressClass: outcome.addressClass });
          return;
        case 'retry': {
          const retryAfter = outcome.retryAfterMs;
          if (retryAfter !== undefined) state.notBefore = Math.max(state.notBefore, now + Math.min(retryAfter, MAX_NOT_BEFORE_MS));
          if (state.retries < this.config.maxRetries && (retryAfter ?? 0) <= this.config.backoffMaxMs) {
            state.retries++;
            this.metrics.retried();
            retryIn = Math.max(this.backoff(state.retries), retryAfter ?? 0);
            return;
          }
          await this.giveUp(state, subscription.endpoint, outcome.reason, { status: outcome.status, code: outcome.errorCode });
          return;
        }
      }
    } catch (error) {
      this.metrics.failed('internal');
      this.logger.warn({ event: 'push.failed', accountId: address.accountId, deviceId: address.deviceId, reason: 'internal', err: error }, 'push failed');
    } finally {
      this.inFlight--;
      if (!this.closed) {
        if (retryIn !== null) {
          state.phase = 'backoff';
          this.arm(state, retryIn, () => this.enqueue(state));
        } else {
          state.current = null;
          state.retries = 0;
          this.release(state);
        }
        this.pump();
      }
    }
  }

  private async giveUp(state: DeviceState, endpoint: string, reason: PushFailureReason, fields: object): Promise<void> {
    this.metrics.failed(reason);
    // A store error here must not count the push twice; the count is informational.
    const failures = await this.store.recordFailure(state.address, endpoint).catch(() => null);
    this.logger.warn({ event: 'push.failed', accountId: state.address.accountId, deviceId: state.address.deviceId, reason, failures, ...fields }, 'push given up; the message stays queued');
  }

  /** Equal-jitter exponential backoff: half fixed, half random, capped at backoffMaxMs. */
  private backoff(retry: number): number {
    const full = Math.min(this.config.backoffMaxMs, this.config.backoffBaseMs * 2 ** (retry - 1));
    return Math.round(full / 2 + (full / 2) * this.random());
  }

  /**
   * A push finished. With a slot waiting, schedule the next push; otherwise keep the device
   * until its interval and Retry-After have passed (so a new event still waits), then forget it.
   */
  private release(state: DeviceState): void {
    state.phase = 'idle';
    if (state.slot !== null) {
      this.schedule(state);
      return;
    }
    const now = this.scheduler.now();
    const keepUntil = Math.max(state.pushStartedAt === null ? 0 : state.pushStartedAt + this.config.coalesceIntervalMs, state.notBefore);
    if (keepUntil <= now) {
      this.clearTimer(state);
      this.states.delete(state.key);
      return;
    }
    this.arm(state, keepUntil - now, () => {
      if (state.phase === 'idle' && state.slot === null) this.states.delete(state.key);
    });
  }
}
