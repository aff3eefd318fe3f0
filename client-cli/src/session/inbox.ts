/**
 * What this device does with each frame the relay delivers (DESIGN.md §4), one frame at a time:
 *
 * - message: drop it if already processed (at-least-once delivery), find the sender's certified
 *   device (pinning a first-time sender), decrypt on the Sesame session, store the message and
 *   mark the envelope processed in one transaction, then acknowledge it. Undecryptable copies
 *   are acknowledged too (they would block the queue forever) and reported.
 * - receipt / expired: advance the per-device state of our sent message; acknowledge.
 * - prekeys.low: refill the pools. drained: report that the backlog is through. presence: report
 *   a contact going online or offline (live only, nothing to acknowledge).
 */
import { CryptoError, type CryptoSuite } from '@sealpost/crypto';
import type { DeviceList, DeviceListEntry } from '@sealpost/crypto/public';
import type { ExpiredFrame, MessageFrame, ReceiptFrame } from '@sealpost/relay/api';
import { isCliError } from '../errors.js';
import type { ContactRecord, DeliveryState, MessageRecord } from '../store/records.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { contactDeviceList, fetchDeviceList, learnSender, pinnedKey, storeContactDeviceList } from './contact-directory.js';
import { decodeContent, type Content } from './content.js';
import { displayName } from './contacts.js';
import { attachmentFromWire, fileSummary } from './file-attachment.js';
import { fromB64 } from './encoding.js';
import type { DeviceRef, SessionEvent } from './events.js';
import { updateOwnDeviceList, type LocalDeviceHolder } from './own-devices.js';
import { maintainPrekeys } from './prekeys.js';
import { messageState, withDelivery } from './messages.js';
import type { Profile } from './profile.js';
import type { DeliveredFrame, RelayLink } from './relay-link.js';
import { decryptCopy } from './sesame.js';

export interface InboxDeps {
  readonly suite: CryptoSuite;
  readonly profile: Profile;
  readonly http: RelayHttp;
  readonly device: LocalDeviceHolder;
  readonly link: () => RelayLink;
  readonly emit: (event: SessionEvent) => void;
  readonly now: () => number;
}

const MAX_EARLY_RECEIPTS = 1_000;

interface Sender {
  readonly entry: DeviceListEntry;
  /** The contact, or undefined for one of our own devices. */
  readonly contact: ContactRecord | undefined;
}

export class Inbox {
  /** Receipts that named a relay id before our `sent` ack recorded it (kept briefly in memory). */
  private readonly early = new Map<string, ReceiptFrame[]>();

  constructor(private readonly deps: InboxDeps) {}

  async handle(frame: DeliveredFrame): Promise<void> {
    switch (frame.type) {
      case 'message':
        await this.onMessage(frame);
        return;
      case 'receipt':
        this.onReceipt(frame);
        this.ack(frame.seq);
        return;
      case 'expired':
        this.onExpired(frame);
        this.ack(frame.seq);
        return;
      case 'drained':
        this.deps.emit({ type: 'drained' });
        return;
      case 'presence':
        this.deps.emit({ type: 'presence', peer: frame.accountId, peerName: this.peerName(frame.accountId), online: frame.online, at: frame.lastSeen });
        return;
      case 'prekeys.low':
        await maintainPrekeys(this.deps.suite, this.deps.profile.store, this.deps.http, this.deps.device.current, this.deps.now());
        return;
    }
  }

  private ack(seq: number | undefined): void {
    if (seq !== undefined) this.deps.link().post({ v: 1, type: 'ack', seqs: [seq] });
  }

  private envelopeKey(frame: MessageFrame): string | undefined {
    return frame.messageId === undefined ? undefined : `${frame.from.accountId}/${frame.from.deviceId}/${frame.messageId}`;
  }

  private findEntry(list: DeviceList | undefined, deviceId: number): DeviceListEntry | undefined {
    return list?.devices.find((d) => d.deviceId === deviceId);
  }

  /** The sending device's certified entry; fetches a newer signed list when it is not on ours. */
  private async sender(from: DeviceRef): Promise<Sender | undefined> {
    const { profile, suite, http, device } = this.deps;
    if (from.accountId === device.current.accountId) {
      let entry = this.findEntry(device.current.deviceList, from.deviceId);
      if (entry === undefined) {
        const list = await fetchDeviceList(suite, http, from.accountId, device.current.accountKey, device.current.deviceList.version);
        updateOwnDeviceList(suite, profile, device, list);
        entry = this.findEntry(list, from.deviceId);
      }
      return entry === undefined ? undefined : { entry, contact: undefined };
    }
    let contact = profile.store.run(() => profile.store.contacts.getByAccountId(from.accountId));
    if (contact === undefined) {
      contact = await learnSender(profile, http, from.accountId, this.deps.now());
      this.deps.emit({ type: 'contact', accountId: contact.accountId, username: contact.username, change: 'added' });
    }
    let entry = this.findEntry(contactDeviceList(suite, contact), from.deviceId);
    if (entry === undefined) {
      const list = await fetchDeviceList(suite, http, contact.accountId, pinnedKey(contact), contact.deviceListVersion);
      if (list.version > contact.deviceListVersion) this.deps.emit({ type: 'contact', accountId: contact.accountId, username: contact.username, change: 'devices-changed' });
      contact = storeContactDeviceList(profile, contact, list);
      entry = this.findEntry(list, from.deviceId);
    }
    return entry === undefined ? undefined : { entry, contact };
  }

  private async onMessage(frame: MessageFrame): Promise<void> {
    const { profile, suite, device } = this.deps;
    const { store } = profile;
    const key = this.envelopeKey(frame);
    if (key !== undefined && store.run(() => store.seen.hasSeen(key))) {
      this.ack(frame.seq);
      return;
    }
    let sender: Sender | undefined;
    try {
      sender = await this.sender(frame.from);
    } catch (error) {
      // The sender's account or list cannot be fetched or verified. If the relay is unreachable
      // the envelope stays unacknowledged and comes again after the reconnect; otherwise report it.
      if (isCliError(error) && error.code === 'CLI_ERR_RELAY_UNREACHABLE') return;
      this.deps.emit({ type: 'decrypt-error', from: frame.from, reason: error instanceof Error ? error.message : String(error) });
      this.ack(frame.seq);
      return;
    }
    if (sender === undefined) {
      this.deps.emit({ type: 'decrypt-error', from: frame.from, reason: 'the sending device is not on its account\'s signed device list' });
      this.ack(frame.seq);
      return;
    }
    const now = this.deps.now();
    let outcome: { content: Content | undefined; stored: MessageRecord | undefined; refused: string | undefined };
    try {
      outcome = await store.transactionAsync(async () => {
        const result = await decryptCopy(suite, store, device.current, frame.from, sender.entry.deviceIdentityKey, fromB64(frame.ciphertext));
        if (key !== undefined) store.seen.markSeen(key, now);
        const content = decodeContent(result.plaintext);
        let record: MessageRecord | undefined;
        try {
          record = content === undefined ? undefined : this.recordFor(frame, content, sender.contact, now);
        } catch (error) {
          // A file message whose pointer does not decode (e.g. a name with a path separator):
          // the envelope is consumed, and the user is told instead of the message vanishing.
          if (!(error instanceof CryptoError)) throw error;
          return { content, stored: undefined, refused: `a file message was refused: ${error.code}: ${error.message}` };
        }
        const stored = record !== undefined && store.messages.insert(record) ? record : undefined;
        return { content, stored, refused: undefined };
      });
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      this.deps.emit({ type: 'decrypt-error', from: frame.from, reason: `${error.code}: ${error.message}` });
      this.ack(frame.seq);
      return;
    }
    this.ack(frame.seq);
    if (outcome.refused !== undefined) this.deps.emit({ type: 'decrypt-error', from: frame.from, reason: outcome.refused });
    this.report(frame, outcome.content, outcome.stored, sender.contact);
  }

  /** The record to store for a message's content; throws CryptoError for a malformed file pointer. */
  private recordFor(frame: MessageFrame, content: Content, contact: ContactRecord | undefined, now: number): MessageRecord | undefined {
    if (content.t !== 'text' && content.t !== 'file') return undefined;
    const own = contact === undefined;
    // A sync copy from our own device names its conversation; a copy without one is a note to self.
    const peer = own ? content.to : contact.accountId;
    if (peer === undefined) return undefined;
    return {
      id: content.id,
      relayId: frame.messageId ?? null,
      direction: own ? 'out' : 'in',
      peer,
      ...(content.t === 'text' ? { body: content.body } : { body: '', file: attachmentFromWire(content.pointer, content.id) }),
      sentAt: content.sentAt,
      storedAt: now,
      senderDevice: frame.from.deviceId,
      deliveries: [],
      readAt: null,
    };
  }

  private peerName(accountId: string): string {
    const contact = this.deps.profile.store.run(() => this.deps.profile.store.contacts.getByAccountId(accountId));
    return contact === undefined ? accountId : displayName(contact);
  }

  private report(frame: MessageFrame, content: Content | undefined, stored: MessageRecord | undefined, contact: ContactRecord | undefined): void {
    if (content?.t === 'typing') {
      const peer = contact?.accountId ?? content.to;
      if (peer !== undefined && contact !== undefined) this.deps.emit({ type: 'typing', peer, peerName: this.peerName(peer), from: frame.from, state: content.state });
      return;
    }
    if (stored === undefined) return;
    this.deps.emit({
      type: 'message',
      id: stored.id,
      direction: stored.direction,
      peer: stored.peer,
      peerName: this.peerName(stored.peer),
      from: frame.from,
      body: stored.body,
      sentAt: stored.sentAt,
      receivedAt: stored.storedAt,
      ...(stored.file === undefined ? {} : { file: fileSummary(stored.file) }),
    });
  }

  private onReceipt(frame: ReceiptFrame): void {
    const state: DeliveryState = frame.kind;
    for (const relayId of frame.messageIds) {
      const updated = this.applyReceipt(relayId, frame.by, state, frame.at);
      if (!updated) {
        const early = this.early.get(relayId) ?? [];
        early.push({ ...frame, messageIds: [relayId] });
        this.early.set(relayId, early);
        // Receipts for messages this profile never stored must not pile up.
        if (this.early.size > MAX_EARLY_RECEIPTS) this.early.delete(this.early.keys().next().value as string);
      }
    }
  }

  /** Applies one receipt; false when no stored message has this relay id (yet). */
  private applyReceipt(relayId: string, by: DeviceRef, state: DeliveryState, at: number): boolean {
    const { store } = this.deps.profile;
    const messages = store.run(() => store.messages.findByRelayId(relayId));
    for (const message of messages) {
      if (message.direction !== 'out') continue;
      const before = messageState(message);
      const next = store.run(() => store.messages.update('out', message.peer, message.id, (m) => withDelivery(m, by, state, at)));
      if (next === undefined) continue;
      const changed = next.deliveries !== message.deliveries || messageState(next) !== before;
      if (changed) this.deps.emit({ type: 'receipt', messageId: next.id, peer: next.peer, state, by: { accountId: by.accountId, deviceId: by.deviceId }, at, overall: messageState(next) });
    }
    return messages.length > 0;
  }

  /** Called once our `sent` ack recorded a relay id: applies receipts that came before it. */
  relayIdRecorded(relayId: string): void {
    const early = this.early.get(relayId);
    if (early === undefined) return;
    this.early.delete(relayId);
    for (const frame of early) this.applyReceipt(relayId, frame.by, frame.kind, frame.at);
  }

  private onExpired(frame: ExpiredFrame): void {
    const { store } = this.deps.profile;
    for (const message of store.run(() => store.messages.findByRelayId(frame.messageId))) {
      if (message.direction !== 'out') continue;
      const next = store.run(() =>
        store.messages.update('out', message.peer, message.id, (m) => frame.devices.reduce((acc, device) => withDelivery(acc, device, 'failed', frame.at), m)),
      );
      if (next === undefined || next.deliveries === message.deliveries) continue;
      this.deps.emit({ type: 'expired', messageId: message.id, peer: message.peer, devices: frame.devices, at: frame.at });
    }
  }
}
