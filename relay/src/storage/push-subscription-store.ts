/**
 * PushSubscriptionStore: at most one Web Push subscription per device (RFC 8030 §4 — what a user
 * agent hands over: the push resource URL, plus the RFC 8291 §3 keys p256dh and auth). The
 * endpoint is a capability URL and `auth` a secret shared with the device, so neither is logged.
 * Every call is async so a networked store can implement the same interface. Implementations:
 * ./sqlite/sqlite-push-subscription-store.ts (the relay's; its rows go with their device by
 * foreign key) and ./memory/in-memory-push-subscription-store.ts. Contract:
 * relay/test/support/push-subscription-store-contract.ts.
 */
import type { DeviceAddress } from './records.js';

export interface PushSubscriptionRecord {
  readonly accountId: string;
  readonly deviceId: number;
  /** Canonical (WHATWG-serialized) https URL of the push resource. */
  readonly endpoint: string;
  /** Unpadded base64url, 65-byte uncompressed P-256 point. */
  readonly p256dh: string;
  /** Unpadded base64url, 16 bytes. */
  readonly auth: string;
  readonly createdAt: number;
  /** Pushes given up in a row since the last success (shown by `sealpost push status`). */
  readonly failureCount: number;
}

export interface NewPushSubscription {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
  readonly createdAt: number;
}

export interface PushSubscriptionStore {
  /** Stores or replaces the device's subscription; a replaced one starts again at failureCount 0. */
  put(address: DeviceAddress, subscription: NewPushSubscription): Promise<void>;
  get(address: DeviceAddress): Promise<PushSubscriptionRecord | null>;
  /** Removes the device's subscription; resolves true if there was one. */
  remove(address: DeviceAddress): Promise<boolean>;
  /**
   * Removes the subscription only if it still has this endpoint, so a 404/410 answer for an old
   * endpoint cannot remove the one the device registered meanwhile.
   */
  removeIfEndpoint(address: DeviceAddress, endpoint: string): Promise<boolean>;
  /** Removes every subscription of an account (account deletion). Resolves to how many. */
  removeAccount(accountId: string): Promise<number>;
  /** Adds one to failureCount if the endpoint still matches; resolves to the new count (0 if none). */
  recordFailure(address: DeviceAddress, endpoint: string): Promise<number>;
  /** Sets failureCount back to 0 if the endpoint still matches. */
  recordSuccess(address: DeviceAddress, endpoint: string): Promise<void>;
  /** Number of stored subscriptions (metrics). */
  count(): Promise<number>;
}
