/**
 * SqliteMessageStore: durable per-device queues on SQLite (DESIGN.md §4). Each device row keeps
 * its next sequence number and running queue count/bytes, so assigning a seq and checking the
 * queue limits are O(1) inside the send's transaction. Every write goes through the group
 * committer, so `enqueue` resolves only after the commit that holds every copy is on disk, and
 * `fetch` answers only once the batch that queued the device's newest entry is on disk
 * (group-commit.ts: reads can see a commit whose fdatasync is still running).
 */
import type Database from 'better-sqlite3';
import { RelayError } from '../../errors.js';
import type { AccountNotice, AckResult, ExpirySweep, MessageStore } from '../message-store.js';
import type { AckedEntry, DeviceAddress, ExpiredCopy, Notice, QueueEntry, QueuedEntry, QueueEntryKind, QueueStats, QueueSummary, SendRecord, SendRequest, SendResult } from '../records.js';
import type { GroupCommitter } from './group-commit.js';

interface QueueRow {
  seq: number;
  kind: QueueEntryKind;
  message_id: string | null;
  sender_account: string | null;
  sender_device: number | null;
  notify_sender: number;
  payload: Buffer;
  created_at: number;
  expires_at: number;
}

/** kind, message_id, sender_account, sender_device, notify_sender, created_at, payload size. */
type EntryRow = [QueueEntryKind, string | null, string | null, number | null, number, number, number];

interface DeviceQueueRow {
  next_seq: number;
  queue_count: number;
  queue_bytes: number;
}

interface SendRow {
  message_id: string;
  sender_account: string;
  sender_device: number;
  recipient_account: string;
  created_at: number;
  expires_at: number;
  stored: number;
}

const sender = (row: { sender_account: string | null; sender_device: number | null }): DeviceAddress | null =>
  row.sender_account === null || row.sender_device === null ? null : { accountId: row.sender_account, deviceId: row.sender_device };

// `LIMIT ?+0`, never `LIMIT ?`: SQLite's planner uses a bare LIMIT parameter as a hint, so with
// better-sqlite3's build (SQLITE_ENABLE_STAT4) binding it expires the statement and every run
// prepares it again — about 20 µs instead of 3 µs per fetch here.
//
// No RETURNING on the send and ack paths: SQLite runs a statement with RETURNING to its end,
// into a temporary table, before the first row comes back, and that costs more than a plain read
// of the same row beside the write (send/ack micro-benchmark: an ack's DELETE … RETURNING ~14 µs,
// the SELECT and DELETE here ~10 µs; an UPDATE … RETURNING for a seq no cheaper than reading the
// seq before a plain UPDATE). The read and the write run in one unit, inside the batch's write
// transaction, so no other writer — in this process or another — can come between them.
// Folding checks into the writes (limits in the claim's WHERE, dedup by INSERT … ON CONFLICT)
// saved nothing there: the cost is in the b-tree pages each statement visits, not in their count.
function statements(db: Database.Database) {
  return {
    findSend: db.prepare('SELECT * FROM sends WHERE sender_account = ? AND sender_device = ? AND client_id = ?'),
    getSend: db.prepare('SELECT * FROM sends WHERE message_id = ?'),
    insertSend: db.prepare(
      `INSERT INTO sends (message_id, sender_account, sender_device, client_id, recipient_account, created_at, expires_at, retain_until, stored)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    deviceExists: db.prepare('SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?').pluck(),
    // A device's queue: the seq it gives next and what it holds (no row: the device is gone).
    deviceQueue: db.prepare('SELECT next_seq, queue_count, queue_bytes FROM devices WHERE account_id = ? AND device_id = ?'),
    // Takes the seq read just before in the same unit, and the entry's room in the queue.
    claimSeq: db.prepare('UPDATE devices SET next_seq = next_seq + 1, queue_count = queue_count + 1, queue_bytes = queue_bytes + ? WHERE account_id = ? AND device_id = ?'),
    // An account's devices with the seq each would give next, then one claim on all of them.
    accountSeqs: db.prepare('SELECT device_id, next_seq FROM devices WHERE account_id = ? ORDER BY device_id'),
    claimAccount: db.prepare('UPDATE devices SET next_seq = next_seq + 1, queue_count = queue_count + 1, queue_bytes = queue_bytes + ? WHERE account_id = ?'),
    insertEntry: db.prepare(
      `INSERT INTO queue (account_id, device_id, seq, kind, message_id, sender_account, sender_device, notify_sender, payload, created_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    fetch: db.prepare(
      `SELECT seq, kind, message_id, sender_account, sender_device, notify_sender, payload, created_at, expires_at FROM queue
       WHERE account_id = ? AND device_id = ? AND seq > ? AND expires_at > ? ORDER BY seq LIMIT ?+0`,
    ),
    // Rows as arrays (EntryRow): no property names to make per row on this hot read.
    entry: db
      .prepare(
        `SELECT kind, message_id, sender_account, sender_device, notify_sender, created_at, length(payload) FROM queue
         WHERE account_id = ? AND device_id = ? AND seq = ?`,
      )
      .raw(),
    deleteEntry: db.prepare('DELETE FROM queue WHERE account_id = ? AND device_id = ? AND seq = ?'),
    // Gives back the queue space of `count` deleted entries of `bytes` in all.
    release: db.prepare('UPDATE devices SET queue_count = queue_count - ?, queue_bytes = queue_bytes - ? WHERE account_id = ? AND device_id = ?'),
    stats: db.prepare('SELECT queue_count AS count, queue_bytes AS bytes FROM devices WHERE account_id = ? AND device_id = ?'),
    totalStats: db.prepare('SELECT COALESCE(SUM(queue_count), 0) AS count, COALESCE(SUM(queue_bytes), 0) AS bytes FROM devices'),
    summary: db.prepare(
      `SELECT COALESCE(SUM(queue_count), 0) AS count, COALESCE(SUM(queue_bytes), 0) AS bytes, COUNT(*) FILTER (WHERE queue_count > 0) AS devices,
              COALESCE(MAX(queue_count), 0) AS maxCount, COALESCE(MAX(queue_bytes), 0) AS maxBytes FROM devices`,
    ),
    expiredRows: db.prepare(
      `SELECT account_id, device_id, seq, kind, message_id, sender_account, sender_device, length(payload) AS size FROM queue
       WHERE expires_at <= ? ORDER BY expires_at LIMIT ?+0`,
    ),
    purgeSends: db.prepare('DELETE FROM sends WHERE retain_until <= ?'),
  };
}

export class SqliteMessageStore implements MessageStore {
  private readonly s: ReturnType<typeof statements>;
  /** Per device, the group-commit batch that queued its newest entry (fetch waits for it to be durable). */
  private readonly written = new Map<string, number>();

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  enqueue(request: SendRequest): Promise<SendResult> {
    return this.committer.run((): SendResult => {
      const { sender: from, copies } = request;
      // A sender removed meanwhile (possibly by another process) stores nothing, retries included.
      if (this.s.deviceExists.get(from.accountId, from.deviceId) === undefined) throw new RelayError('RELAY_ERR_DEVICE_REMOVED');
      // Client-id dedup: a retry of a committed send gets the original result and stores nothing.
      const prior = this.s.findSend.get(from.accountId, from.deviceId, request.clientId) as SendRow | undefined;
      if (prior !== undefined) {
        return { messageId: prior.message_id, sentAt: prior.created_at, expiresAt: prior.expires_at, stored: prior.stored, duplicate: true, queued: [] };
      }

      // One read per copy finds the device gone, its queue full, or the seq the copy gets (the
      // claim below takes exactly that seq: nothing else writes between, inside this unit).
      const seqs: number[] = [];
      const full: DeviceAddress[] = [];
      const gone: DeviceAddress[] = [];
      // Copies given a seq so far, per device: the service refuses two copies for one device, but
      // should the store get them, each still gets its own seq, as when every claim returned one.
      const given = new Map<string, number>();
      for (const copy of copies) {
        const queue = this.s.deviceQueue.get(copy.to.accountId, copy.to.deviceId) as DeviceQueueRow | undefined;
        if (queue === undefined) gone.push(copy.to);
        else if (queue.queue_count + 1 > request.maxQueueMessages || queue.queue_bytes + copy.ciphertext.length > request.maxQueueBytes) full.push(copy.to);
        else {
          const device = `${copy.to.accountId}/${copy.to.deviceId}`;
          const before = given.get(device) ?? 0;
          given.set(device, before + 1);
          seqs.push(queue.next_seq + before);
        }
      }
      // The device list can change between the service's check and this write; re-check here.
      if (gone.length > 0) throw new RelayError('RELAY_ERR_DEVICE_MISMATCH', 'a device was removed', { missing: [], extra: gone, stale: [] });
      if (full.length > 0) throw new RelayError('RELAY_ERR_QUEUE_FULL', undefined, { devices: full });

      const queued: QueuedEntry[] = [];
      copies.forEach((copy, i) => {
        const seq = seqs[i] as number;
        this.s.claimSeq.run(copy.ciphertext.length, copy.to.accountId, copy.to.deviceId);
        this.noteWrite(copy.to.accountId, copy.to.deviceId);
        queued.push({
          to: copy.to,
          entry: { seq, kind: 'message', messageId: request.messageId, sender: from, payload: copy.ciphertext, createdAt: request.createdAt, expiresAt: request.expiresAt },
        });
        this.s.insertEntry.run(
          copy.to.accountId,
          copy.to.deviceId,
          seq,
          'message',
          request.messageId,
          from.accountId,
          from.deviceId,
          copy.notifySender ? 1 : 0,
          Buffer.from(copy.ciphertext),
          request.createdAt,
          request.expiresAt,
        );
      });
      this.s.insertSend.run(
        request.messageId,
        from.accountId,
        from.deviceId,
        request.clientId,
        request.recipientAccountId,
        request.createdAt,
        request.expiresAt,
        request.retainUntil,
        copies.length,
      );
      return { messageId: request.messageId, sentAt: request.createdAt, expiresAt: request.expiresAt, stored: copies.length, duplicate: false, queued };
    });
  }

  enqueueNotices(notices: readonly Notice[]): Promise<number> {
    if (notices.length === 0) return Promise.resolve(0);
    return this.committer.run(() => {
      let stored = 0;
      for (const notice of notices) {
        // Notices are small and bounded by TTL; they bypass the queue limits so a full queue
        // never loses a receipt. A notice for a device that is gone is simply dropped.
        const queue = this.s.deviceQueue.get(notice.to.accountId, notice.to.deviceId) as DeviceQueueRow | undefined;
        if (queue === undefined) continue;
        this.s.claimSeq.run(notice.payload.length, notice.to.accountId, notice.to.deviceId);
        this.noteWrite(notice.to.accountId, notice.to.deviceId);
        this.s.insertEntry.run(notice.to.accountId, notice.to.deviceId, queue.next_seq, notice.kind, null, null, null, 0, Buffer.from(notice.payload), notice.createdAt, notice.expiresAt);
        stored++;
      }
      return stored;
    });
  }

  notifyAccounts(notices: readonly AccountNotice[]): Promise<QueuedEntry[]> {
    if (notices.length === 0) return Promise.resolve([]);
    return this.committer.run(() => this.queueAccountNotices(notices));
  }

  /** Inside a unit: one entry per current device of each notice's account. */
  private queueAccountNotices(notices: readonly AccountNotice[]): QueuedEntry[] {
    const notified: QueuedEntry[] = [];
    for (const notice of notices) {
      // The seqs read here are the ones the claim below gives: both run in this unit, inside
      // the batch's write transaction, so nothing can claim in between.
      const devices = this.s.accountSeqs.all(notice.accountId) as Array<{ device_id: number; next_seq: number }>;
      if (devices.length === 0) continue;
      const payload = Buffer.from(notice.payload);
      this.s.claimAccount.run(payload.length, notice.accountId);
      for (const { device_id: deviceId, next_seq: seq } of devices) {
        this.noteWrite(notice.accountId, deviceId);
        this.s.insertEntry.run(notice.accountId, deviceId, seq, notice.kind, null, null, null, 0, payload, notice.createdAt, notice.expiresAt);
        notified.push({
          to: { accountId: notice.accountId, deviceId },
          entry: { seq, kind: notice.kind, messageId: null, sender: null, payload: notice.payload, createdAt: notice.createdAt, expiresAt: notice.expiresAt },
        });
      }
    }
    return notified;
  }

  /** Inside a unit: remembers that this device's queue got an entry in the running batch. */
  private noteWrite(accountId: string, deviceId: number): void {
    if (this.written.size >= 10_000) {
      const durable = this.committer.durableCount;
      for (const [key, batch] of this.written) if (batch <= durable) this.written.delete(key);
    }
    this.written.set(`${accountId}/${deviceId}`, this.committer.batchNumber);
  }

  async fetch(address: DeviceAddress, afterSeq: number, limit: number, now: number): Promise<QueueEntry[]> {
    const rows = this.s.fetch.all(address.accountId, address.deviceId, afterSeq, now, limit) as QueueRow[];
    // An entry whose commit is still being synced must not reach a device before it is durable.
    const batch = rows.length === 0 ? undefined : this.written.get(`${address.accountId}/${address.deviceId}`);
    if (batch !== undefined && batch > this.committer.durableCount) await this.committer.whenDurable(batch);
    return rows.map((row) => ({
      seq: row.seq,
      kind: row.kind,
      messageId: row.message_id,
      sender: sender(row),
      payload: new Uint8Array(row.payload.buffer, row.payload.byteOffset, row.payload.byteLength),
      createdAt: row.created_at,
      expiresAt: row.expires_at,
    }));
  }

  ack(address: DeviceAddress, seqs: readonly number[]): Promise<AckedEntry[]> {
    if (seqs.length === 0) return Promise.resolve([]);
    return this.committer.run(() => this.deleteAcked(address, seqs));
  }

  ackAndNotify(address: DeviceAddress, seqs: readonly number[], notices: (acked: readonly AckedEntry[]) => readonly AccountNotice[]): Promise<AckResult> {
    if (seqs.length === 0) return Promise.resolve({ acked: [], notified: [] });
    return this.committer.run((): AckResult => {
      const acked = this.deleteAcked(address, seqs);
      return { acked, notified: acked.length === 0 ? [] : this.queueAccountNotices(notices(acked)) };
    });
  }

  /** Inside a unit: deletes the listed entries of this device's queue. */
  private deleteAcked(address: DeviceAddress, seqs: readonly number[]): AckedEntry[] {
    const acked: AckedEntry[] = [];
    let bytes = 0;
    for (const seq of new Set(seqs)) {
      // The WHERE names the acking device, so no device can delete another device's rows.
      const row = this.s.entry.get(address.accountId, address.deviceId, seq) as EntryRow | undefined;
      if (row === undefined) continue;
      this.s.deleteEntry.run(address.accountId, address.deviceId, seq);
      const [kind, messageId, senderAccount, senderDevice, notifySender, createdAt, size] = row;
      bytes += size;
      const from = senderAccount === null || senderDevice === null ? null : { accountId: senderAccount, deviceId: senderDevice };
      acked.push({ seq, kind, messageId, sender: from, notifySender: notifySender === 1, createdAt });
    }
    // One release for all of them.
    if (acked.length > 0) this.s.release.run(acked.length, bytes, address.accountId, address.deviceId);
    return acked;
  }

  async stats(address: DeviceAddress): Promise<QueueStats> {
    const row = this.s.stats.get(address.accountId, address.deviceId) as QueueStats | undefined;
    return row ?? { count: 0, bytes: 0 };
  }

  async totalStats(): Promise<QueueStats> {
    return this.s.totalStats.get() as QueueStats;
  }

  async queueSummary(): Promise<QueueSummary> {
    return this.s.summary.get() as QueueSummary;
  }

  async getSendRecord(messageId: string): Promise<SendRecord | null> {
    const row = this.s.getSend.get(messageId) as SendRow | undefined;
    if (row === undefined) return null;
    return {
      messageId: row.message_id,
      sender: { accountId: row.sender_account, deviceId: row.sender_device },
      recipientAccountId: row.recipient_account,
      createdAt: row.created_at,
    };
  }

  sweepExpired(now: number, limit: number): Promise<ExpirySweep> {
    return this.committer.run(() => {
      const rows = this.s.expiredRows.all(now, limit) as Array<QueueRow & { account_id: string; device_id: number; size: number }>;
      const expired: ExpiredCopy[] = [];
      let purged = 0;
      for (const row of rows) {
        this.s.deleteEntry.run(row.account_id, row.device_id, row.seq);
        this.s.release.run(1, row.size, row.account_id, row.device_id);
        const from = sender(row);
        if (row.kind === 'message' && row.message_id !== null && from !== null) {
          expired.push({ messageId: row.message_id, sender: from, to: { accountId: row.account_id, deviceId: row.device_id } });
        } else {
          purged++;
        }
      }
      purged += this.s.purgeSends.run(now).changes;
      return { expired, purged };
    });
  }
}
