/**
 * What services are built from: configuration, the storage/bus/presence/provisioning/rate-limit/
 * media-backend interfaces, an optional push notifier, metrics, a logger and the clock. Services
 * never import an implementation, so a PostgreSQL store, a Redis bus or another object store
 * plugs in without touching them.
 */
import type { MessageBus } from '../bus/message-bus.js';
import type { RelayConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/create-logger.js';
import type { MediaBackend } from '../media/media-backend.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { ProvisioningMailbox } from '../provisioning/provisioning-mailbox.js';
import type { PushNotifier } from '../push/push-notifier.js';
import type { RateLimiter } from '../rate-limit/rate-limiter.js';
import type { RelayStorage } from '../storage/relay-storage.js';

/** Milliseconds since the Unix epoch; injected so tests can move time without waiting. */
export type Clock = () => number;

export interface ServiceDeps {
  readonly config: RelayConfig;
  readonly storage: RelayStorage;
  readonly bus: MessageBus;
  readonly presence: PresenceTracker;
  /** In-memory mailboxes for linking devices (never storage). */
  readonly provisioning: ProvisioningMailbox;
  readonly limiter: RateLimiter;
  /** Where encrypted media objects live (local disk or S3); their records are in storage.media. */
  readonly mediaBackend: MediaBackend;
  /** Wakes offline devices (Web Push); absent when push is off, and everything works without it. */
  readonly push?: PushNotifier;
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The relay origin signed into auth challenges (known for sure only once listening). */
  readonly origin: () => string;
}
