/**
 * AccountStore: accounts, usernames, signed device lists, devices, invites and presence
 * allow-lists (DESIGN.md §2). Async so a networked store (PostgreSQL) can implement it; every
 * implementation must pass relay/test/support/account-store-contract.ts.
 *
 * Errors (RelayError codes) are part of the contract: RELAY_ERR_ACCOUNT_EXISTS,
 * RELAY_ERR_USERNAME_TAKEN, RELAY_ERR_INVITE_INVALID, RELAY_ERR_ACCOUNT_NOT_FOUND,
 * RELAY_ERR_DEVICE_LIST_VERSION.
 */
import type { AccountRecord, DeviceAddress, DeviceKeys, DeviceListChange, DeviceListRecord, DeviceRecord, NewAccount } from './records.js';

export interface CreateAccountOptions {
  /** SHA-256 of an invite token to consume in the same transaction (invite policy). */
  readonly inviteHash?: Uint8Array | undefined;
}

export interface NewInvite {
  /** SHA-256 of the token; the token itself is never stored. */
  readonly tokenHash: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** How many registrations the invite admits (1 for a personal invite). */
  readonly maxUses: number;
}

export interface InviteRecord extends NewInvite {
  /** Registrations it admitted so far. */
  readonly uses: number;
  /** Time and account of the latest registration that used it. */
  readonly usedAt: number | null;
  readonly usedBy: string | null;
}

/** A device and when it was seen (ms since the epoch). */
export interface DeviceSeen {
  readonly address: DeviceAddress;
  readonly at: number;
}

export interface AccountStore {
  /** Creates the account, its device list and devices atomically (and consumes the invite). */
  createAccount(account: NewAccount, options?: CreateAccountOptions): Promise<void>;
  getAccount(accountId: string): Promise<AccountRecord | null>;
  /** Case-insensitive lookup. */
  findByUsername(username: string): Promise<AccountRecord | null>;
  listAccounts(): Promise<AccountRecord[]>;
  /** Deletes the account with its devices, prekeys, queues and allow-lists. */
  deleteAccount(accountId: string): Promise<boolean>;

  getDeviceList(accountId: string): Promise<DeviceListRecord | null>;
  /**
   * Stores a newer signed device list and makes the device table match it. Refused with
   * RELAY_ERR_DEVICE_LIST_VERSION unless `version` is greater than the stored one (checked
   * inside the write, so two concurrent updates cannot both win).
   */
  replaceDeviceList(accountId: string, list: { version: number; bytes: Uint8Array }, devices: readonly DeviceKeys[], now: number): Promise<DeviceListChange>;
  listDevices(accountId: string): Promise<DeviceRecord[]>;
  getDevice(address: DeviceAddress): Promise<DeviceRecord | null>;
  /** Whether the device exists (served); cheaper than getDevice, for checks on every request. */
  hasDevice(address: DeviceAddress): Promise<boolean>;
  /** Hides a device (admin or idle policy): drops its row, queue and prekeys; the signed list stays. */
  removeDevice(address: DeviceAddress): Promise<boolean>;
  /**
   * Records when devices were seen (connection, disconnect), all in one write; a stored time
   * only ever moves forward, and devices that no longer exist are skipped. The presence service
   * calls it every few seconds with the times it collected (presence/last-seen-writer.ts), not
   * once per connection.
   */
  touchDevices(seen: readonly DeviceSeen[]): Promise<void>;
  /** Devices last seen (or, never seen, created) before `before`, for the idle policy. */
  listIdleDevices(before: number, limit: number): Promise<DeviceAddress[]>;

  /** Stores an invite; createAccount consumes one use of it, until maxUses or expiry. */
  createInvite(invite: NewInvite): Promise<void>;
  listInvites(): Promise<InviteRecord[]>;

  /** Replaces the set of accounts allowed to see `owner`'s presence. */
  setPresenceViewers(owner: string, viewers: readonly string[]): Promise<void>;
  getPresenceViewers(owner: string): Promise<string[]>;
  isPresenceViewer(owner: string, viewer: string): Promise<boolean>;
}
