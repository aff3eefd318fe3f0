/**
 * Messages (DESIGN.md §4): sends with one ciphertext per device checked against the current
 * device lists, durable enqueue (the `sent` ack is built only after the commit), client-id dedup,
 * online-only envelopes that are never stored, batched acks that emit `delivered` receipts,
 * `read` receipts routed to the sender's devices, and expiry reports for copies that died
 * undelivered. Receipts and reports are queued like messages, so offline devices get them too,
 * and every device the bus finds offline when something is queued for it gets a Web Push
 * wake-up (./push-wakeups.ts) — after the commit, never awaited by the sender.
 */
import { randomBytes } from 'node:crypto';
import type { DeviceAddressJson } from '../api/common.js';
import type { ExpiredBody, MessageFrame, ReceiptBody, SendFrame, SentFrame, ServerFrame } from '../api/frames.js';
import { RelayError } from '../errors.js';
import type { AccountNotice } from '../storage/message-store.js';
import type { DeviceAddress, DeviceRecord, EnvelopeCopy, QueueEntry, QueuedEntry } from '../storage/records.js';
import type { PushWakeups } from './push-wakeups.js';
import { enforceRate } from './rate-limits.js';
import type { ServiceDeps } from './service-deps.js';
import { decodeField, encodeField } from './wire-bytes.js';

/** A validated send, ready to commit; committing resolves after the durable write. */
export type PlannedSend = () => Promise<SentFrame>;

interface Mismatch {
  missing: DeviceAddressJson[];
  extra: DeviceAddressJson[];
  stale: DeviceAddressJson[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// A message id is the time in milliseconds (12 hex digits) and 96 random bits (16 base64url
// characters). Time first keeps the send records' key index growing at its end instead of
// taking writes on random pages (fewer pages per commit, fewer WAL bytes); the random part
// keeps ids unguessable. The random bytes come from a pool refilled 4 KiB at a time.
let idPool = Buffer.alloc(0);
let idOffset = 0;

function newMessageId(): string {
  if (idOffset + 12 > idPool.length) {
    idPool = randomBytes(4092);
    idOffset = 0;
  }
  const id = Date.now().toString(16).padStart(12, '0') + idPool.toString('base64url', idOffset, idOffset + 12);
  idOffset += 12;
  return id;
}

/** Compares the copies a sender made with the devices the relay serves for one account. */
function compareDevices(accountId: string, devices: readonly DeviceRecord[], copies: readonly { deviceId: number }[], listVersion: number | undefined, into: Mismatch): void {
  const served = new Map(devices.map((d) => [d.deviceId, d]));
  const given = new Set<number>();
  for (const copy of copies) {
    if (given.has(copy.deviceId)) throw new RelayError('RELAY_ERR_INVALID_REQUEST', `two copies for device ${copy.deviceId}`);
    given.add(copy.deviceId);
    const device = served.get(copy.deviceId);
    if (device === undefined) into.extra.push({ accountId, deviceId: copy.deviceId });
    // The sender encrypted for an older list; this id now belongs to a newer device (new keys).
    else if (listVersion !== undefined && device.addedInVersion > listVersion) into.stale.push({ accountId, deviceId: copy.deviceId });
  }
  for (const device of devices) if (!given.has(device.deviceId)) into.missing.push({ accountId, deviceId: device.deviceId });
}

export class MessageService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly wakeups: PushWakeups,
  ) {}

  /**
   * A device removed by an operator or its account's deletion — possibly from another process
   * sharing the database, which no bus event reaches — may not send another frame's worth.
   * RELAY_ERR_DEVICE_REMOVED makes the connection close with 4003. This reads storage, never the
   * device-list cache, so such a removal is caught here at the device's next frame — for a stored
   * send, by the same check inside the enqueue — and, for an idle connection, by the heartbeat
   * check in DeviceConnection.closeIfRemoved.
   */
  private async requireActive(device: DeviceAddress): Promise<void> {
    if ((await this.deps.storage.accounts.getDevice(device)) === null) throw new RelayError('RELAY_ERR_DEVICE_REMOVED');
  }

  /**
   * An account's devices for checking a send: the storage's cache when it has one
   * (storage/device-list-cache.ts — up to date for every write made through this relay; a
   * removal by another process is refused by the enqueue's own check, after which the entry is
   * dropped), else a storage read.
   */
  private listDevices(accountId: string): Promise<readonly DeviceRecord[]> {
    const { storage } = this.deps;
    return storage.deviceLists === undefined ? storage.accounts.listDevices(accountId) : storage.deviceLists.listDevices(accountId);
  }

  private noticeExpiry(now: number): number {
    return now + this.deps.config.limits.maxTtlSeconds * 1000;
  }

  /**
   * Validates a send frame and returns the function that stores it. Splitting the two lets a
   * connection validate its sends in order while their commits share group-commit batches.
   */
  async planSend(sender: DeviceAddress, frame: SendFrame): Promise<PlannedSend> {
    const { config, storage, clock } = this.deps;
    // A stored send checks that its sender still exists inside the enqueue's own transaction
    // (RELAY_ERR_DEVICE_REMOVED, nothing stored), so no separate read is needed for it here.
    if (frame.onlineOnly === true) await this.requireActive(sender);
    const now = clock();
    await enforceRate(this.deps.limiter, `send:${sender.accountId}/${sender.deviceId}`, config.rateLimits.sendPerDevice, now);
    const ttlSeconds = frame.ttlSeconds ?? config.limits.defaultTtlSeconds;
    if (ttlSeconds > config.limits.maxTtlSeconds) throw new RelayError('RELAY_ERR_TTL_TOO_LONG', undefined, { maxTtlSeconds: config.limits.maxTtlSeconds });

    const toSelf = frame.to === sender.accountId;
    if (toSelf && (frame.selfCopies ?? []).length > 0) throw new RelayError('RELAY_ERR_INVALID_REQUEST', 'sending to your own account: put every copy in copies');
    const recipientList = await this.listDevices(frame.to);
    // Devices exist only under an account, so only an empty list needs the account looked up.
    if (recipientList.length === 0 && (await storage.accounts.getAccount(frame.to)) === null) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
    const notSender = (d: DeviceRecord) => !(d.accountId === sender.accountId && d.deviceId === sender.deviceId);
    const recipientDevices = recipientList.filter(notSender);
    const ownDevices = toSelf ? [] : (await this.listDevices(sender.accountId)).filter(notSender);

    const mismatch: Mismatch = { missing: [], extra: [], stale: [] };
    compareDevices(frame.to, recipientDevices, frame.copies, frame.listVersion, mismatch);
    if (!toSelf) compareDevices(sender.accountId, ownDevices, frame.selfCopies ?? [], frame.selfListVersion, mismatch);
    if (mismatch.missing.length + mismatch.extra.length + mismatch.stale.length > 0) {
      throw new RelayError('RELAY_ERR_DEVICE_MISMATCH', undefined, { ...mismatch });
    }

    const copies: EnvelopeCopy[] = [];
    const addCopies = (accountId: string, list: SendFrame['copies'], notifySender: boolean) => {
      for (const copy of list) {
        const ciphertext = decodeField(copy.ciphertext, 'ciphertext');
        if (ciphertext.length > config.limits.maxEnvelopeBytes) {
          throw new RelayError('RELAY_ERR_ENVELOPE_TOO_LARGE', undefined, { deviceId: copy.deviceId, maxEnvelopeBytes: config.limits.maxEnvelopeBytes });
        }
        copies.push({ to: { accountId, deviceId: copy.deviceId }, ciphertext, notifySender });
      }
    };
    addCopies(frame.to, frame.copies, true);
    addCopies(sender.accountId, frame.selfCopies ?? [], false);

    if (frame.onlineOnly === true) return () => this.deliverOnlineOnly(sender, frame.clientId, copies, now);

    const expiresAt = now + ttlSeconds * 1000;
    return async () => {
      const result = await storage.messages
        .enqueue({
        messageId: newMessageId(),
        sender,
        clientId: frame.clientId,
        recipientAccountId: frame.to,
        copies,
        createdAt: now,
        expiresAt,
        retainUntil: Math.max(expiresAt, now + config.limits.sendRecordRetentionSeconds * 1000),
        maxQueueMessages: config.limits.maxQueueMessages,
        maxQueueBytes: config.limits.maxQueueBytes,
        })
        .catch((error: unknown) => {
          // The store found a target device gone that the (cached) lists still had: a removal
          // this process did not see. Read both lists again next time.
          if (error instanceof RelayError && error.code === 'RELAY_ERR_DEVICE_MISMATCH') {
            storage.deviceLists?.forget(frame.to);
            storage.deviceLists?.forget(sender.accountId);
          }
          throw error;
        });
      this.deps.metrics.sends.inc({ result: result.duplicate ? 'duplicate' : 'stored' });
      if (!result.duplicate) {
        this.deps.metrics.copiesStored.inc(result.stored);
        // Only now, after the commit, may any device hear about the message.
        for (const { to, entry } of result.queued) this.wakeups.notifyIfOffline(to, 'message', await this.deps.bus.publish(to, { type: 'queued', entry }));
      }
      return {
        v: 1,
        type: 'sent',
        clientId: frame.clientId,
        messageId: result.messageId,
        sentAt: result.sentAt,
        expiresAt: result.expiresAt,
        stored: result.stored,
        duplicate: result.duplicate,
      };
    };
  }

  private async deliverOnlineOnly(sender: DeviceAddress, clientId: string, copies: readonly EnvelopeCopy[], now: number): Promise<SentFrame> {
    let reached = 0;
    for (const copy of copies) {
      const frame: MessageFrame = { v: 1, type: 'message', from: sender, sentAt: now, ciphertext: encodeField(copy.ciphertext), onlineOnly: true };
      reached += await this.deps.bus.publish(copy.to, { type: 'online-only', frame: JSON.stringify(frame) });
    }
    this.deps.metrics.sends.inc({ result: 'online_only' });
    return { v: 1, type: 'sent', clientId, sentAt: now, stored: 0, duplicate: false, deliveredOnline: reached };
  }

  private accountNotice(accountId: string, kind: AccountNotice['kind'], body: ReceiptBody | ExpiredBody, now: number): AccountNotice {
    return { accountId, kind, payload: encoder.encode(JSON.stringify(body)), createdAt: now, expiresAt: this.noticeExpiry(now) };
  }

  /** Wakes the connections (or pushes) of the devices a notice was queued for. */
  private async announceNotices(notified: readonly QueuedEntry[]): Promise<void> {
    // Receipts and expiry reports share the push kind `receipt`: both say "a sent message changed state".
    for (const { to, entry } of notified) this.wakeups.notifyIfOffline(to, 'receipt', await this.deps.bus.publish(to, { type: 'queued', entry }));
  }

  /** Queues each notice for every current device of its account (one write) and wakes them. */
  private async notifyAccounts(notices: readonly AccountNotice[]): Promise<void> {
    if (notices.length === 0) return;
    await this.announceNotices(await this.deps.storage.messages.notifyAccounts(notices));
  }

  /**
   * Deletes acknowledged entries of this device's queue and sends `delivered` receipts; the
   * deletion and the receipts are one durable write.
   */
  async ack(device: DeviceAddress, seqs: readonly number[]): Promise<number> {
    const now = this.deps.clock();
    const receipts: Array<[string, number]> = [];
    const { acked, notified } = await this.deps.storage.messages.ackAndNotify(device, seqs, (entries) => {
      const bySender = new Map<string, string[]>();
      for (const entry of entries) {
        if (entry.kind !== 'message' || !entry.notifySender || entry.sender === null || entry.messageId === null) continue;
        const ids = bySender.get(entry.sender.accountId) ?? [];
        ids.push(entry.messageId);
        bySender.set(entry.sender.accountId, ids);
      }
      const notices: AccountNotice[] = [];
      for (const [senderAccount, messageIds] of bySender) {
        notices.push(this.accountNotice(senderAccount, 'receipt', { kind: 'delivered', by: { ...device }, messageIds, at: now }, now));
        receipts.push([senderAccount, messageIds.length]);
      }
      return notices;
    });
    for (const entry of acked) {
      this.deps.metrics.acks.inc({ kind: entry.kind });
      // From sentAt to this ack: how long the copy waited for its device (time offline included).
      if (entry.kind === 'message') this.deps.metrics.deliveryDelay.observe(Math.max(0, now - entry.createdAt) / 1000);
    }
    for (const [, count] of receipts) this.deps.metrics.receipts.inc({ kind: 'delivered' }, count);
    await this.announceNotices(notified);
    return acked.length;
  }

  /**
   * Routes `read` reports to the senders' devices. Only the account a message was sent to may
   * report it read; other ids come back in `refused`.
   */
  async read(device: DeviceAddress, messageIds: readonly string[]): Promise<{ refused: string[] }> {
    await this.requireActive(device);
    const refused: string[] = [];
    const bySender = new Map<string, string[]>();
    for (const messageId of new Set(messageIds)) {
      const record = await this.deps.storage.messages.getSendRecord(messageId);
      if (record === null || record.recipientAccountId !== device.accountId) {
        refused.push(messageId);
        continue;
      }
      const ids = bySender.get(record.sender.accountId) ?? [];
      ids.push(messageId);
      bySender.set(record.sender.accountId, ids);
    }
    const at = this.deps.clock();
    const notices = [...bySender].map(([senderAccount, ids]) => this.accountNotice(senderAccount, 'receipt', { kind: 'read', by: { ...device }, messageIds: ids, at }, at));
    await this.notifyAccounts(notices);
    for (const ids of bySender.values()) this.deps.metrics.receipts.inc({ kind: 'read' }, ids.length);
    return { refused };
  }

  fetchQueue(device: DeviceAddress, afterSeq: number, limit: number): Promise<QueueEntry[]> {
    return this.deps.storage.messages.fetch(device, afterSeq, limit, this.deps.clock());
  }

  /** The frame that delivers a queue entry. */
  toFrame(entry: QueueEntry): ServerFrame {
    if (entry.kind === 'message') {
      if (entry.sender === null || entry.messageId === null) throw new Error('queued message without sender');
      return { v: 1, type: 'message', seq: entry.seq, messageId: entry.messageId, from: { ...entry.sender }, sentAt: entry.createdAt, expiresAt: entry.expiresAt, ciphertext: encodeField(entry.payload) };
    }
    const body = JSON.parse(decoder.decode(entry.payload)) as ReceiptBody | ExpiredBody;
    return entry.kind === 'receipt'
      ? { ...(body as ReceiptBody), v: 1, type: 'receipt', seq: entry.seq }
      : { ...(body as ExpiredBody), v: 1, type: 'expired', seq: entry.seq };
  }

  /**
   * One expiry pass: removes expired entries in bounded steps and tells each sender's devices
   * which copies expired undelivered (NOTES.md: silent expiry is what users complain about).
   */
  async sweepExpired(maxSteps = 10): Promise<number> {
    const batch = this.deps.config.delivery.expiryBatch;
    let total = 0;
    for (let step = 0; step < maxSteps; step++) {
      const now = this.deps.clock();
      const sweep = await this.deps.storage.messages.sweepExpired(now, batch);
      const byMessage = new Map<string, { sender: DeviceAddress; devices: DeviceAddressJson[] }>();
      for (const copy of sweep.expired) {
        const entry = byMessage.get(copy.messageId) ?? { sender: copy.sender, devices: [] };
        entry.devices.push({ ...copy.to });
        byMessage.set(copy.messageId, entry);
      }
      await this.notifyAccounts([...byMessage].map(([messageId, { sender, devices }]) => this.accountNotice(sender.accountId, 'expired', { messageId, devices, at: now }, now)));
      this.deps.metrics.expired.inc(sweep.expired.length);
      total += sweep.expired.length;
      if (sweep.expired.length + sweep.purged < batch) break;
    }
    return total;
  }
}
