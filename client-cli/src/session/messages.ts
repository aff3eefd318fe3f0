/**
 * Reading the stored conversation state: history, per-device delivery status, unread counts.
 * Sending and receiving (which change it) live with the protocol code.
 */
import { CliError } from '../errors.js';
import type { DeliveryState, DeviceDelivery, MessageRecord } from '../store/records.js';
import type { UnreadCount } from '../store/message-store.js';
import type { Profile } from './profile.js';

/** Order of delivery states; a message's overall state is the least advanced of its devices. */
const STATE_RANK: Readonly<Record<DeliveryState, number>> = { failed: -1, pending: 0, sent: 1, delivered: 2, read: 3 };

export function stateRank(state: DeliveryState): number {
  return STATE_RANK[state];
}

/**
 * The overall state of an outgoing message, over the recipient's devices only (copies to our own
 * other devices do not count): 'read' once any recipient device read it (one read is what a
 * person means by "read"), else the least advanced state of the recipient's devices —
 * 'delivered' only when every one of them has it.
 */
export function overallState(deliveries: readonly DeviceDelivery[], peer: string): DeliveryState {
  const recipient = deliveries.filter((d) => d.accountId === peer);
  if (recipient.length === 0) return 'pending';
  if (recipient.some((d) => d.state === 'read')) return 'read';
  let lowest: DeliveryState = 'delivered';
  for (const d of recipient) if (STATE_RANK[d.state] < STATE_RANK[lowest]) lowest = d.state;
  return lowest;
}

/** The message's state: see {@link overallState}. */
export function messageState(message: Pick<MessageRecord, 'deliveries' | 'peer'>): DeliveryState {
  return overallState(message.deliveries, message.peer);
}

/**
 * Records that `by` reached `state` for this message (never moving a device backwards: a late
 * `delivered` after `read` changes nothing). Returns the same object when nothing changed.
 */
export function withDelivery(message: MessageRecord, by: { accountId: string; deviceId: number }, state: DeliveryState, at: number): MessageRecord {
  const index = message.deliveries.findIndex((d) => d.accountId === by.accountId && d.deviceId === by.deviceId);
  const current = index < 0 ? undefined : message.deliveries[index];
  if (current !== undefined && state !== 'failed' && STATE_RANK[current.state] >= STATE_RANK[state]) return message;
  if (current !== undefined && state === 'failed' && STATE_RANK[current.state] >= STATE_RANK.delivered) return message;
  const entry: DeviceDelivery = { accountId: by.accountId, deviceId: by.deviceId, state, at };
  const deliveries = index < 0 ? [...message.deliveries, entry] : message.deliveries.map((d, i) => (i === index ? entry : d));
  return { ...message, deliveries };
}

export function conversationHistory(profile: Profile, peer: string, limit: number): MessageRecord[] {
  return profile.store.run(() => profile.store.messages.history(peer, limit));
}

export function outgoingMessage(profile: Profile, messageId: string): MessageRecord {
  const message = profile.store.run(() => profile.store.messages.getOutgoing(messageId));
  if (message === undefined) throw new CliError('CLI_ERR_MESSAGE_NOT_FOUND', `"${messageId}"`);
  return message;
}

export function unreadCounts(profile: Profile): UnreadCount[] {
  return profile.store.run(() => profile.store.messages.unreadCounts());
}

/**
 * Marks a conversation read (what `history` and `chat` do when they show it). With read receipts
 * on, the messages wait in the store until {@link flushReadReceipts} tells the relay, so a
 * receipt is never lost while offline.
 */
export function markConversationRead(profile: Profile, peer: string, now: number): MessageRecord[] {
  const { store } = profile;
  return store.transaction(() => store.messages.markConversationRead(peer, now, store.settings.get().readReceipts));
}

/** Sends pending read receipts over the live link; returns how many messages they covered. */
export function flushReadReceipts(profile: Profile, link: { post(frame: { v: 1; type: 'read'; messageIds: string[] }): boolean }): number {
  const { store } = profile;
  const receiptsOn = store.run(() => store.settings.get()).readReceipts;
  let sent = 0;
  for (;;) {
    const pending = store.run(() => store.messages.pendingReadReceipts());
    if (pending.length === 0) return sent;
    const ids = pending.map((m) => m.relayId).filter((id): id is string => id !== null);
    // Turned off since they were queued: they are dropped, not sent.
    if (receiptsOn && ids.length > 0 && !link.post({ v: 1, type: 'read', messageIds: ids })) return sent;
    store.transaction(() => store.messages.readReceiptsSent(pending));
    sent += pending.length;
  }
}
