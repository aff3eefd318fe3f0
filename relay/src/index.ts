/**
 * @sealpost/relay — the Sealpost relay server: the relay factory, its configuration, and the
 * storage/bus/presence/provisioning/media/push interfaces with their default implementations (for
 * embedding and for other implementations to be tested against the same contracts).
 */
export { createRelay, sqliteFileOf } from './create-relay.js';
export type { Relay, RelayOptions } from './create-relay.js';
export { configSchema, defaultConfig, relayOrigin } from './config/config-schema.js';
export type { RelayConfig, RelayConfigInput } from './config/config-schema.js';
export { loadConfig, envNameFor, ENV_PREFIX } from './config/load-config.js';
export type { ConfigSources } from './config/load-config.js';
export { renderConfigDoc } from './config/render-config-doc.js';
export { RELAY_ERRORS, RelayError, isRelayError } from './errors.js';
export type { RelayErrorCode, RelayErrorInfo } from './errors.js';
export { runRelayCli } from './cli/relay-cli.js';
export type { CliIo } from './cli/relay-cli.js';
export { openSqliteStorage } from './storage/sqlite/sqlite-storage.js';
export type { SqliteStorageOptions } from './storage/sqlite/sqlite-storage.js';
export { InProcessBus } from './bus/in-process-bus.js';
export { InMemoryPresenceTracker } from './presence/in-memory-presence-tracker.js';
export { InMemoryProvisioningMailbox } from './provisioning/in-memory-provisioning-mailbox.js';
export { InMemoryRateLimiter } from './rate-limit/in-memory-rate-limiter.js';
export type { RelayStorage } from './storage/relay-storage.js';
export type { AccountStore, CreateAccountOptions, InviteRecord, NewInvite } from './storage/account-store.js';
export type { PrekeyStore } from './storage/prekey-store.js';
export type { MessageStore, ExpirySweep } from './storage/message-store.js';
export type { ChallengeStore, IssuedChallenge } from './storage/challenge-store.js';
export type { MediaStore, MediaRecord, MediaState, MediaUsage, MediaLimits, InsertOutcome } from './storage/media-store.js';
export type { PushSubscriptionStore, PushSubscriptionRecord, NewPushSubscription } from './storage/push-subscription-store.js';
export { InMemoryMediaStore } from './storage/memory/in-memory-media-store.js';
export { InMemoryPushSubscriptionStore } from './storage/memory/in-memory-push-subscription-store.js';
export type { MediaBackend, UploadTarget, DownloadTarget } from './media/media-backend.js';
export type { PushNotifier } from './push/push-notifier.js';
export type { PushKind } from './push/push-payload.js';
export type {
  DeviceAddress,
  AccountRecord,
  DeviceListRecord,
  DeviceKeys,
  DeviceRecord,
  NewAccount,
  DeviceListChange,
  StoredPrekey,
  PrekeyUpload,
  PrekeyCounts,
  DeviceBundle,
  EnvelopeCopy,
  SendRequest,
  SendResult,
  QueueEntryKind,
  Notice,
  QueueEntry,
  AckedEntry,
  ExpiredCopy,
  SendRecord,
  QueueStats,
  QueueSummary,
} from './storage/records.js';
export type { MessageBus, BusEvent, BusHandler, BusSubscription } from './bus/message-bus.js';
export type { PresenceTracker, AccountPresence } from './presence/presence-tracker.js';
export type { ProvisioningMailbox, OpenChannel, MailboxLimits, MailboxStats } from './provisioning/provisioning-mailbox.js';
export { AdminService } from './services/admin-service.js';
export type { AdminDeps, CreatedInvite, InviteSummary, AccountSummary, DeviceSummary, AccountDevices } from './services/admin-service.js';
export type { RateLimiter, RateRule, RateDecision } from './rate-limit/rate-limiter.js';
