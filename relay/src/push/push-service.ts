/**
 * The relay's Web Push facade: what routes and services call. It owns the pieces — the VAPID key
 * pair (RFC 8292), the subscription store, the endpoint policy (checked when a device subscribes
 * and again at every connect, see guarded-agent.ts), the web-push sender and the coalescing
 * notifier — so the relay wires one object: routes call subscribe/unsubscribe/status and
 * vapidPublicKey; the message path calls notify(); shutdown calls close().
 */
import type { PushStatusResponse } from '../api/push.js';
import type { PushSubscriptionStore } from '../storage/push-subscription-store.js';
import type { DeviceAddress } from '../storage/records.js';
import { CoalescingPushNotifier } from './coalescing-push-notifier.js';
import type { PushLogger } from './coalescing-push-notifier.js';
import { validateSubscription } from './endpoint-policy.js';
import type { Resolver, SubscriptionInput } from './endpoint-policy.js';
import { GuardedAgent } from './guarded-agent.js';
import type { PushConfig } from './push-config.js';
import type { PushMetrics } from './push-metrics.js';
import type { PushNotifier } from './push-notifier.js';
import type { PushKind } from './push-payload.js';
import type { PushScheduler } from './push-scheduler.js';
import { systemScheduler } from './push-scheduler.js';
import { WebPushSender } from './push-sender.js';
import type { PushSender } from './push-sender.js';
import type { VapidKeys } from './vapid-keys.js';

export interface PushServiceOptions {
  readonly config: PushConfig;
  /** RFC 8292 §2.1 contact (resolveVapidSubject() in push-config.ts). */
  readonly subject: string;
  readonly vapid: VapidKeys;
  readonly store: PushSubscriptionStore;
  readonly metrics?: PushMetrics;
  readonly logger?: PushLogger;
  readonly scheduler?: PushScheduler;
  /** DNS for the endpoint policy, at subscribe and at connect time (tests inject one). */
  readonly resolve?: Resolver;
  /** Extra trust anchors for in-process tests only; a running relay trusts via NODE_EXTRA_CA_CERTS. */
  readonly ca?: string | Buffer;
  readonly random?: () => number;
  /** Replaces the web-push sender (tests of the notifier alone). */
  readonly sender?: PushSender;
}

export class PushService implements PushNotifier {
  readonly vapidPublicKey: string;
  private readonly config: PushConfig;
  private readonly store: PushSubscriptionStore;
  private readonly scheduler: PushScheduler;
  private readonly resolve: Resolver | undefined;
  private readonly notifier: CoalescingPushNotifier;

  constructor(options: PushServiceOptions) {
    this.config = options.config;
    this.store = options.store;
    this.scheduler = options.scheduler ?? systemScheduler;
    this.resolve = options.resolve;
    this.vapidPublicKey = options.vapid.publicKey;
    const sender =
      options.sender ??
      new WebPushSender({
        config: options.config,
        vapid: options.vapid,
        subject: options.subject,
        agent: new GuardedAgent({
          allowPrivateEndpoints: options.config.allowPrivateEndpoints,
          maxSockets: options.config.maxConcurrentRequests,
          ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
          ...(options.ca === undefined ? {} : { ca: options.ca }),
        }),
        now: () => this.scheduler.now(),
      });
    this.notifier = new CoalescingPushNotifier({
      config: options.config,
      store: options.store,
      sender,
      scheduler: this.scheduler,
      ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
      ...(options.random === undefined ? {} : { random: options.random }),
    });
  }

  /** Validates and stores a device's subscription (replacing any earlier one). */
  async subscribe(address: DeviceAddress, input: SubscriptionInput): Promise<PushStatusResponse> {
    const valid = await validateSubscription(input, {
      allowPrivateEndpoints: this.config.allowPrivateEndpoints,
      ...(this.resolve === undefined ? {} : { resolve: this.resolve }),
    });
    await this.store.put(address, { ...valid, createdAt: this.scheduler.now() });
    return this.status(address);
  }

  unsubscribe(address: DeviceAddress): Promise<boolean> {
    return this.store.remove(address);
  }

  async status(address: DeviceAddress): Promise<PushStatusResponse> {
    const record = await this.store.get(address);
    if (record === null) return { subscribed: false };
    return { subscribed: true, endpoint: record.endpoint, createdAt: record.createdAt, failureCount: record.failureCount };
  }

  /** See PushNotifier.notify: returns at once, never waits on a push service. */
  notify(accountId: string, deviceId: number, kind: PushKind, pendingCount: number): void {
    this.notifier.notify(accountId, deviceId, kind, pendingCount);
  }

  stats(): ReturnType<CoalescingPushNotifier['stats']> {
    return this.notifier.stats();
  }

  settled(): Promise<void> {
    return this.notifier.settled();
  }

  close(): Promise<void> {
    return this.notifier.close();
  }
}
