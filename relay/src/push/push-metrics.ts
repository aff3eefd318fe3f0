/**
 * Counters for Web Push, behind a small interface so the notifier does not depend on prom-client;
 * createPromPushMetrics() makes the Prometheus counters on the relay's registry. Labels are
 * low-cardinality reasons and status codes only — never an endpoint, account or device.
 */
import { Counter } from 'prom-client';
import type { Registry } from 'prom-client';

/**
 * Why a push was given up: rejected (a 4xx other than 404/410/429), server-error / rate-limited /
 * network (retries exhausted), policy (the endpoint's address was refused at send time),
 * overload (too many devices tracked), internal (the subscription store failed).
 */
export type PushFailureReason = 'rejected' | 'server-error' | 'rate-limited' | 'network' | 'policy' | 'overload' | 'internal';

export interface PushMetrics {
  /** A push service accepted a push (2xx). */
  sent(): void;
  failed(reason: PushFailureReason): void;
  /** Notifications that rode on another push instead of causing their own. */
  coalesced(count: number): void;
  /** A 429, 5xx or network error was retried. */
  retried(): void;
  /** The push service answered 404 or 410, so the subscription was removed (RFC 8030 §7.3). */
  subscriptionRemoved(status: 404 | 410): void;
}

export const noopPushMetrics: PushMetrics = {
  sent() {},
  failed() {},
  coalesced() {},
  retried() {},
  subscriptionRemoved() {},
};

export function createPromPushMetrics(registry: Registry): PushMetrics {
  const registers = [registry];
  const sent = new Counter({ name: 'sealpost_relay_push_sent_total', help: 'Web Push requests accepted by push services.', registers });
  const failed = new Counter({
    name: 'sealpost_relay_push_failed_total',
    help: 'Pushes given up, by reason (rejected, server-error, rate-limited, network, policy, overload, internal).',
    labelNames: ['reason'],
    registers,
  });
  const coalesced = new Counter({ name: 'sealpost_relay_push_coalesced_total', help: 'Notifications folded into another push to the same device.', registers });
  const retried = new Counter({ name: 'sealpost_relay_push_retries_total', help: 'Push requests retried after a 429, 5xx or network error.', registers });
  const removed = new Counter({
    name: 'sealpost_relay_push_subscriptions_removed_total',
    help: 'Subscriptions removed because the push service answered 404 or 410.',
    labelNames: ['status'],
    registers,
  });
  return {
    sent: () => sent.inc(),
    failed: (reason) => failed.inc({ reason }),
    coalesced: (count) => {
      if (count > 0) coalesced.inc(count);
    },
    retried: () => retried.inc(),
    subscriptionRemoved: (status) => removed.inc({ status: String(status) }),
  };
}
