/**
 * MessageStore: durable per-device queues ordered by a per-device sequence number, client-id
 * dedup, receipts and expiry notices queued like messages, and TTL expiry (DESIGN.md §4).
 * Contract: relay/test/support/message-store-contract.ts.
 *
 * Durability contract: when `enqueue` or `enqueueNotices` resolves, every copy is committed
 * with full fsync, so a `sent` ack sent after it survives a crash. Implementations should group
 * concurrent writes into one commit (group commit) to keep throughput.
 */
import type { AckedEntry, DeviceAddress, ExpiredCopy, Notice, QueueEntry, QueueStats, QueueSummary, SendRecord, SendRequest, SendResult } from './records.js';

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
   * RELAY_ERR_DEVICE_MISMATCH (details.extra) when a target device no longer exists.
   */
  enqueue(request: SendRequest): Promise<SendResult>;
  /** Queues relay notices; notices for devices that no longer exist are dropped. */
  enqueueNotices(notices: readonly Notice[]): Promise<number>;
  /** Unexpired entries with seq > afterSeq, in sequence order. */
  fetch(address: DeviceAddress, afterSeq: number, limit: number, now: number): Promise<QueueEntry[]>;
  /** Deletes the listed entries of this device's queue only; unknown seqs are ignored. */
  ack(address: DeviceAddress, seqs: readonly number[]): Promise<AckedEntry[]>;
  stats(address: DeviceAddress): Promise<QueueStats>;
  totalStats(): Promise<QueueStats>;
  /** Totals plus how many devices have entries waiting and the deepest queue (metrics). */
  queueSummary(): Promise<QueueSummary>;
  getSendRecord(messageId: string): Promise<SendRecord | null>;
  /** Removes up to `limit` expired queue rows, and send records past retention. */
  sweepExpired(now: number, limit: number): Promise<ExpirySweep>;
}
