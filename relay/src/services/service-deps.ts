/**
 * What services are built from: configuration, the storage/bus/presence/provisioning/rate-limit interfaces,
 * metrics, a logger and the clock. Services never import an implementation, so a PostgreSQL
 * store or Redis bus plugs in without touching them.
 */
import type { MessageBus } from '../bus/message-bus.js';
import type { RelayConfig } from '../config/config-schema.js';
import type { Logger } from '../logging/create-logger.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';
import type { PresenceTracker } from '../presence/presence-tracker.js';
import type { ProvisioningMailbox } from '../provisioning/provisioning-mailbox.js';
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
  readonly metrics: RelayMetrics;
  readonly logger: Logger;
  readonly clock: Clock;
  /** The relay origin signed into auth challenges (known for sure only once listening). */
  readonly origin: () => string;
}
