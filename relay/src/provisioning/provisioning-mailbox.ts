/**
 * ProvisioningMailbox: short-lived channels through which an existing device and a device being
 * linked exchange a few opaque ciphertexts (docs/api.md "Linking a device"). Channels are held
 * in memory only, never in storage: a channel lives provisioning.ttlSeconds and dies with the
 * process, so nothing about a linking survives in the data folder or a backup. The in-memory
 * implementation serves one relay; several relays behind one load balancer would need a shared
 * one (e.g. Redis lists with pub/sub for the waits), hence an interface with a contract suite:
 * relay/test/support/provisioning-mailbox-contract.ts.
 *
 * Errors (RelayError codes) are part of the contract: RELAY_ERR_PROVISIONING_NOT_FOUND,
 * RELAY_ERR_PROVISIONING_FULL, RELAY_ERR_PROVISIONING_BUSY.
 */
import type { ProvisioningRole } from '../api/http.js';
import type { DeviceAddress } from '../storage/records.js';

export interface OpenChannel {
  readonly channelId: string;
  /** The existing device that opened the channel; only it may act as the initiator. */
  readonly owner: DeviceAddress;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface MailboxLimits {
  /** Channels open at once, relay-wide. */
  readonly maxChannels: number;
  /** Uncollected messages waiting for one role of one channel. */
  readonly maxMessagesPerRole: number;
  /** Message bytes held in all channels together. */
  readonly maxTotalBytes: number;
}

export interface MailboxStats {
  readonly channels: number;
  readonly messages: number;
  readonly bytes: number;
  /** Waits (long polls) in progress. */
  readonly waiting: number;
}

export interface ProvisioningMailbox {
  /** Opens a channel, dropping expired ones first when full; RELAY_ERR_PROVISIONING_BUSY at maxChannels. */
  open(channel: OpenChannel, limits: MailboxLimits, now: number): Promise<void>;
  /** The channel, or null when it is unknown or expired. */
  get(channelId: string, now: number): Promise<OpenChannel | null>;
  /**
   * Appends a message for the party playing `to`. RELAY_ERR_PROVISIONING_NOT_FOUND (unknown or
   * expired), RELAY_ERR_PROVISIONING_FULL (maxMessagesPerRole waiting), RELAY_ERR_PROVISIONING_BUSY
   * (maxTotalBytes reached); nothing is stored when refused.
   */
  post(channelId: string, to: ProvisioningRole, message: Uint8Array, limits: MailboxLimits, now: number): Promise<void>;
  /** Removes and returns the oldest message for `role`, null when none; NOT_FOUND when the channel is gone. */
  take(channelId: string, role: ProvisioningRole, now: number): Promise<Uint8Array | null>;
  /**
   * Resolves once a message for `role` may be waiting (at once if one already is), the channel
   * closes, `timeoutMs` passes, `signal` aborts or the mailbox shuts down. Never rejects: callers
   * take() afterwards and look at what they got.
   */
  waitFor(channelId: string, role: ProvisioningRole, timeoutMs: number, signal?: AbortSignal): Promise<void>;
  /** Closes a channel and drops its messages; false when there was no such channel. */
  close(channelId: string): Promise<boolean>;
  /** Drops expired channels; resolves to how many. */
  sweep(now: number): Promise<number>;
  stats(): Promise<MailboxStats>;
  /** Wakes every waiter and makes later waits return at once (relay shutdown). */
  shutdown(): Promise<void>;
}
