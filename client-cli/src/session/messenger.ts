/**
 * Sending (DESIGN.md §3–4): a text or a file message goes to every device on the recipient's
 * verified device list and, as a sync copy naming the conversation, to every other device of our
 * own account. The message is stored first (state pending), so nothing is silently lost; the
 * relay's `sent` ack (given only after its durable commit) records the relay id and moves each
 * device to `sent`. A file message carries only the pointer of media uploaded before
 * (./file-upload.ts).
 *
 * When the relay refuses the device set (409 DEVICE_MISMATCH: missing, extra or stale devices),
 * the signed lists are fetched again, sessions with devices that left are dropped, and the send
 * is retried under the same client id — never to a device the account did not sign for.
 */
import type { CryptoSuite, MediaPointer } from '@sealpost/crypto';
import type { DeviceList } from '@sealpost/crypto/public';
import type { SendFrame, SentFrame } from '@sealpost/relay/api';
import { CliError } from '../errors.js';
import type { ContactRecord, DeliveryState, MessageRecord } from '../store/records.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { RelayRefusal, relayRefusalToCliError } from '../transport/relay-errors.js';
import { checkIdentity, contactDeviceList, fetchDeviceList, pinnedKey, requireTrusted, storeContactDeviceList } from './contact-directory.js';
import { encodeContent, MAX_BODY_CHARS, type Content } from './content.js';
import { toB64 } from './encoding.js';
import { attachmentOf } from './file-attachment.js';
import type { SessionEvent } from './events.js';
import type { Inbox } from './inbox.js';
import { otherOwnDevices } from './local-device.js';
import { messageState, stateRank, withDelivery } from './messages.js';
import { updateOwnDeviceList, type LocalDeviceHolder } from './own-devices.js';
import type { Profile } from './profile.js';
import type { RelayLink } from './relay-link.js';
import { devicesWithoutSession, dropSessionsNotOn, encryptCopies, startSessions, type Copy } from './sesame.js';

/** Attempts after a device-set mismatch before giving up (each refetches the signed lists). */
const MAX_SEND_ATTEMPTS = 4;

export interface MessengerDeps {
  readonly suite: CryptoSuite;
  readonly profile: Profile;
  readonly http: RelayHttp;
  readonly device: LocalDeviceHolder;
  readonly link: RelayLink;
  readonly inbox: Inbox;
  readonly emit: (event: SessionEvent) => void;
  readonly now: () => number;
}

/**
 * A client id / message id: 16 random bytes, base64url (fits the relay's client id syntax). Ids
 * never start with "-" or "_", so `sealpost status <id>` cannot mistake one for an option.
 */
export function newMessageId(suite: CryptoSuite): string {
  for (;;) {
    const id = toB64(suite.randomBytes(16));
    if (/^[A-Za-z0-9]/.test(id)) return id;
  }
}

export class Messenger {
  constructor(private readonly deps: MessengerDeps) {}

  /** Sends a text; resolves once the relay stored it (`sent`). */
  async sendText(contact: ContactRecord, body: string): Promise<MessageRecord> {
    if (body.length === 0) throw new CliError('CLI_ERR_MESSAGE_EMPTY');
    if (body.length > MAX_BODY_CHARS) throw new CliError('CLI_ERR_INVALID_ARGUMENT', `the message is longer than ${MAX_BODY_CHARS} characters`);
    return this.sendStored(contact, (id, sentAt) => ({ fields: { body }, content: { v: 1, t: 'text', id, body, sentAt } }));
  }

  /**
   * Sends a file message carrying the pointer of an already uploaded (and completed) media
   * object; resolves once the relay stored the message (`sent`).
   */
  async sendFile(contact: ContactRecord, pointer: MediaPointer): Promise<MessageRecord> {
    return this.sendStored(contact, (id, sentAt) => {
      const file = attachmentOf(pointer, id);
      return { fields: { body: '', file }, content: { v: 1, t: 'file', id, pointer: file.pointer, sentAt } };
    });
  }

  /** Stores a new outgoing message (pending), delivers it, and records the relay's `sent` ack. */
  private async sendStored(contact: ContactRecord, build: (id: string, sentAt: number) => { fields: Pick<MessageRecord, 'body' | 'file'>; content: Content }): Promise<MessageRecord> {
    const { profile, suite, now } = this.deps;
    const checked = await checkIdentity(profile, this.deps.http, contact);
    if (checked.pendingAccountId !== null) this.deps.emit({ type: 'contact', accountId: checked.accountId, username: checked.username, change: 'identity-changed' });
    requireTrusted(checked);

    const id = newMessageId(suite);
    const sentAt = now();
    const { fields, content } = build(id, sentAt);
    const record: MessageRecord = { id, relayId: null, direction: 'out', peer: checked.accountId, ...fields, sentAt, storedAt: sentAt, senderDevice: this.deps.device.current.deviceId, deliveries: [], readAt: null };
    profile.store.transaction(() => profile.store.messages.insert(record));
    let sent: SentFrame;
    try {
      sent = await this.deliver(checked, id, content);
    } catch (error) {
      profile.store.run(() => profile.store.messages.update('out', record.peer, id, (m) => ({ ...m, deliveries: m.deliveries.map((d) => ({ ...d, state: 'failed' as const })) })));
      throw error;
    }
    const relayId = sent.messageId ?? null;
    const stored = profile.store.run(() =>
      profile.store.messages.update('out', record.peer, id, (m) => ({
        ...m,
        relayId,
        deliveries: m.deliveries.map((d) => (d.state === 'pending' ? { ...d, state: 'sent' as const, at: sent.sentAt } : d)),
      })),
    );
    if (relayId !== null) this.deps.inbox.relayIdRecorded(relayId);
    this.deps.emit({ type: 'sent', messageId: id, peer: record.peer, sentAt: sent.sentAt });
    return stored ?? record;
  }

  /** Typing indicators: online-only, never stored, never retried. */
  async sendTyping(contact: ContactRecord, state: 'started' | 'stopped'): Promise<void> {
    requireTrusted(contact);
    await this.deliver(contact, newMessageId(this.deps.suite), { v: 1, t: 'typing', state }, true);
  }

  private async deliver(contact: ContactRecord, clientId: string, content: Content, onlineOnly = false): Promise<SentFrame> {
    const { profile, suite, device } = this.deps;
    const { store } = profile;
    let current = contact;
    for (let attempt = 1; ; attempt++) {
      const theirList = contactDeviceList(suite, current);
      if (theirList === undefined) throw new CliError('CLI_ERR_RELAY_PROTOCOL', `no device list for ${current.accountId}`);
      const theirs = await this.prepare(current.accountId, pinnedKey(current), theirList, (list) => {
        current = storeContactDeviceList(profile, current, list);
      });
      const ours = await this.prepare(device.current.accountId, device.current.accountKey, device.current.deviceList, (list) => updateOwnDeviceList(suite, profile, device, list));
      const ownOthers = otherOwnDevices(device.current).map((d) => d.deviceId);
      const theirIds = theirs.devices.map((d) => d.deviceId);
      if (!onlineOnly) {
        // Pending entries per device, so `status` shows every copy from the start.
        store.run(() =>
          store.messages.update('out', current.accountId, clientId, (m) => {
            let next = m;
            for (const deviceId of theirIds) next = withDelivery(next, { accountId: current.accountId, deviceId }, 'pending', this.deps.now());
            for (const deviceId of ownOthers) next = withDelivery(next, { accountId: device.current.accountId, deviceId }, 'pending', this.deps.now());
            return next;
          }),
        );
      }
      const copies: Copy[] = await encryptCopies(suite, store, current.accountId, theirIds, encodeContent(content));
      const selfCopies: Copy[] = ownOthers.length === 0 ? [] : await encryptCopies(suite, store, device.current.accountId, ownOthers, encodeContent({ ...content, to: current.accountId }));
      const frame: SendFrame = {
        v: 1,
        type: 'send',
        clientId,
        to: current.accountId,
        copies,
        ...(selfCopies.length > 0 ? { selfCopies } : {}),
        listVersion: theirs.version,
        selfListVersion: ours.version,
        ...(onlineOnly ? { onlineOnly: true } : {}),
      };
      try {
        return await this.deps.link.submit(frame);
      } catch (error) {
        if (!(error instanceof RelayRefusal)) throw error;
        if (error.info.code !== 'RELAY_ERR_DEVICE_MISMATCH' || attempt >= MAX_SEND_ATTEMPTS) throw relayRefusalToCliError(error.info);
        await this.refreshAfterMismatch(current, (updated) => (current = updated));
      }
    }
  }

  /** Makes sure every device on `list` has a session; returns the list to encrypt for. */
  private async prepare(accountId: string, accountKey: Uint8Array, list: DeviceList, onNewerList: (list: DeviceList) => void): Promise<DeviceList> {
    const { suite, profile, http, device } = this.deps;
    const ownId = device.current.deviceId;
    const own = accountId === device.current.accountId;
    const ids = list.devices.map((d) => d.deviceId).filter((id) => !(own && id === ownId));
    const missing = devicesWithoutSession(profile.store, accountId, ids);
    if (missing.length === 0) return list;
    const served = await startSessions(suite, profile.store, http, device.current, accountKey, list, accountId, missing);
    if (served.version > list.version) {
      onNewerList(served);
      dropSessionsNotOn(profile.store, accountId, served);
      return this.prepare(accountId, accountKey, served, onNewerList);
    }
    return served;
  }

  private async refreshAfterMismatch(contact: ContactRecord, onContact: (contact: ContactRecord) => void): Promise<void> {
    const { suite, profile, http, device } = this.deps;
    const theirs = await fetchDeviceList(suite, http, contact.accountId, pinnedKey(contact), contact.deviceListVersion);
    const updated = storeContactDeviceList(profile, contact, theirs);
    onContact(updated);
    // A device id on a newer list may be a re-registered device with new keys ("stale"): start over with each.
    profile.store.transaction(() => {
      for (const deviceId of profile.store.sessions.devicesOf(contact.accountId)) profile.store.sessions.delete({ accountId: contact.accountId, deviceId });
    });
    const ours = await fetchDeviceList(suite, http, device.current.accountId, device.current.accountKey, device.current.deviceList.version);
    updateOwnDeviceList(suite, profile, device, ours);
    dropSessionsNotOn(profile.store, device.current.accountId, ours);
  }
}

/** True once a message reached `target` (see messageState). */
export function reached(message: MessageRecord, target: DeliveryState): boolean {
  return stateRank(messageState(message)) >= stateRank(target);
}
