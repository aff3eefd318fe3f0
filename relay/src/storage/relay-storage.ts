/**
 * RelayStorage: the set of stores a relay runs on, opened and closed together. The SQLite
 * implementation (storage/sqlite) is the default; a PostgreSQL one would implement the same
 * interfaces and pass the same contract suites.
 */
import type { AccountStore } from './account-store.js';
import type { ChallengeStore } from './challenge-store.js';
import type { DeviceListReader } from './device-list-cache.js';
import type { MediaStore } from './media-store.js';
import type { MessageStore } from './message-store.js';
import type { PrekeyStore } from './prekey-store.js';
import type { PushSubscriptionStore } from './push-subscription-store.js';

export interface RelayStorage {
  readonly accounts: AccountStore;
  readonly prekeys: PrekeyStore;
  readonly messages: MessageStore;
  readonly challenges: ChallengeStore;
  /** Records of encrypted media objects (the objects live in a MediaBackend). */
  readonly media: MediaStore;
  /**
   * Web Push subscriptions, one per device. A store that cannot cascade from device removal
   * relies on the account and admin services removing subscriptions explicitly.
   */
  readonly pushSubscriptions: PushSubscriptionStore;
  /**
   * A cached view of `accounts.listDevices` for the send path (./device-list-cache.ts); without
   * one, services read `accounts.listDevices`.
   */
  readonly deviceLists?: DeviceListReader;
  /** True while the store can serve (for /readyz). */
  ping(): Promise<boolean>;
  /** Waits for pending writes to commit, then closes. */
  close(): Promise<void>;
}
