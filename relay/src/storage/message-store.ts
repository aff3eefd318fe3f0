/**
 * MessageStore: durable per-device queues ordered by a per-device sequence number, client-id
 * dedup, receipts and expiry notices queued like messages, and TTL expiry (DESIGN.md §4).
 * Contract: relay/test/support/message-store-contract.ts.
 *
 * Durability contract: when a write (`enqueue`, `enqueueNotices`, `notifyAccounts`, `ack`,
 * `ackAndNotify`) resolves, it is committed and on disk, so a `sent` ack sent after it survives a
 * crash or power loss; and `fetch` hands out no entry before the commit that stored it is on disk.
 * Implementations should group concurrent writes into one commit (group commit) to keep
 * throughput.
 */
import type { AckedEntry, DeviceAddress, ExpiredCopy, Notice, QueueEntry, QueuedEntry, QueueStats, QueueSummary, SendRecord, SendRequest, SendResult } from './records.js';

/** A notice for every device an account has when the write commits. */
export interface AccountNotice {
  readonly accountId: string;
  readonly kind: Notice['kind'];
  /** JSON bytes of the notice body; opaque to storage. */
  readonly payload: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface AckResult {
  /** The entries deleted, as `ack` answers them. */
  readonly acked: AckedEntry[];
  /** The notices queued, with the device each was queued for, in queue order. */
  readonly notified: QueuedEntry[];
}

export interface ExpirySweep {
  /** Message copies removed unacknowledged (their senders are told). */
  readonly expired: readonly ExpiredCopy[];
  /** Other rows removed: expired notices and send records past retention. */
  readonly purged: number;
}

export interface MessageStore {
  /**
   * Stores every copy of a send in one transaction. A repeated (sender, clientId) returns the
   * original result with `duplicate: true` and stores nothing. Refused, storing nothing, with
   * RELAY_ERR_QUEUE_FULL (details.devices) when a queue would pass its limits, or
   * RELAY_ERR_DEVICE_MISMATCH (details.extra) when a target device no longer exists, or
   * RELAY_ERR_DEVICE_REMOVED when the sender's device no longer exists (checked first).
   */
  enqueue(request: SendRequest): Promise<SendResult>;
  /** Queues relay notices; notices for devices that no longer exist are dropped. */
  enqueueNotices(notices: readonly Notice[]): Promise<number>;
  /**
   * Queues each notice for every current device of its account, in one transaction; resolves to
   * the entries queued, with the device each was queued for (none for an account without devices).
   */
  notifyAccounts(notices: readonly AccountNotice[]): Promise<QueuedEntry[]>;
  /** Unexpired entries with seq > afterSeq, in sequence order. */
  fetch(address: DeviceAddress, afterSeq: number, limit: number, now: number): Promise<QueueEntry[]>;
  /** Deletes the listed entries of this device's queue only; unknown seqs are ignored. */
  ack(address: DeviceAddress, seqs: readonly number[]): Promise<AckedEntry[]>;
  /**
   * `ack`, and in the same transaction the notices `notices` builds from the deleted entries,
   * queued as `notifyAccounts` does: an ack and the `delivered` receipts it causes are one durable
   * write. `notices` runs inside the write and must not throw.
   */
  ackAndNotify(address: DeviceAddress, seqs: readonly number[], notices: (acked: readonly AckedEntry[]) => readonly AccountNotice[]): Promise<AckResult>;
  stats(address: DeviceAddress): Promise<QueueStats>;
  totalStats(): Promise<QueueStats>;
  /** Totals plus how many devices have entries waiting and the deepest queue (metrics). */
  queueSummary(): Promise<QueueSummary>;
  getSendRecord(messageId: string): Promise<SendRecord | null>;
  /** Removes up to `limit` expired queue rows, and send records past retention. */
  sweepExpired(now: number, limit: number): Promise<ExpirySweep>;
}
