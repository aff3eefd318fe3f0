/**
 * Builds the relay's PushService from the `push` config section, or leaves push off and says
 * why (docs/push.md "VAPID keys"): push needs `push.enabled` and a VAPID contact (RFC 8292 §2.1)
 * — `push.subject`, or an https `server.publicOrigin`. The VAPID key pair is loaded from (or
 * generated into) `push.vapidKeyFile` under the data folder; a damaged key file stops the relay
 * rather than being replaced, since new keys would void every subscription.
 */
import type { Registry } from 'prom-client';
import type { PushSubscriptionStore } from '../storage/push-subscription-store.js';
import type { PushLogger } from './coalescing-push-notifier.js';
import type { PushConfig } from './push-config.js';
import { resolveVapidSubject } from './push-config.js';
import { createPromPushMetrics } from './push-metrics.js';
import { PushService } from './push-service.js';
import type { PushServiceOptions } from './push-service.js';
import { loadOrCreateVapidKeys, vapidKeyPath } from './vapid-keys.js';

/**
 * Test seams of PushService that a config cannot express: a CA to trust in-process, a manual
 * scheduler, a resolver, a recording sender.
 */
export type PushTestOptions = Partial<Pick<PushServiceOptions, 'ca' | 'scheduler' | 'resolve' | 'random' | 'sender'>>;

export interface PushFromConfigOptions {
  readonly push: PushConfig;
  readonly dataDir: string;
  /** `server.publicOrigin`: the subject when `push.subject` is null and it is https. */
  readonly publicOrigin: string | null;
  readonly store: PushSubscriptionStore;
  readonly registry: Registry;
  readonly logger: PushLogger;
  readonly test?: PushTestOptions;
}

export function createPushFromConfig(options: PushFromConfigOptions): PushService | undefined {
  const { push: config, logger } = options;
  if (!config.enabled) return undefined;
  const subject = resolveVapidSubject(config, options.publicOrigin);
  if (subject === null) {
    logger.warn(
      { event: 'push.off', reason: 'no-subject' },
      'push is enabled but has no VAPID contact: set push.subject (mailto: or https:) or an https server.publicOrigin; push stays off',
    );
    return undefined;
  }
  const service = new PushService({
    config,
    subject,
    store: options.store,
    vapid: loadOrCreateVapidKeys(vapidKeyPath(options.dataDir, config.vapidKeyFile)),
    metrics: createPromPushMetrics(options.registry),
    logger,
    ...options.test,
  });
  logger.info({ event: 'push.on', subject, allowPrivateEndpoints: config.allowPrivateEndpoints }, 'web push on');
  return service;
}
