/**
 * How records look to users: the JSON fields (schema v1, documented in docs/cli.md) and the
 * human rendering. Timestamps in JSON are integers, milliseconds since the Unix epoch.
 */
import type { Palette } from '../output/color.js';
import { displayName } from '../session/contacts.js';
import { fileSummary } from '../session/file-attachment.js';
import { messageState } from '../session/messages.js';
import type { ContactRecord, DeliveryState, FileSummary, MessageRecord } from '../session/index.js';
import { formatBytes } from './progress-view.js';

export function contactJson(contact: ContactRecord): Record<string, unknown> {
  return {
    accountId: contact.accountId,
    username: contact.username,
    alias: contact.alias,
    verified: contact.verified,
    identityChanged: contact.pendingAccountId !== null,
    newAccountId: contact.pendingAccountId,
    presence: contact.presence,
    addedAt: contact.addedAt,
  };
}

export function contactLine(contact: ContactRecord, colors: Palette): string {
  const name = colors.bold(displayName(contact));
  const username = contact.username !== null && contact.alias !== null ? ` @${contact.username}` : '';
  const trust = contact.pendingAccountId !== null ? colors.red(' IDENTITY CHANGED') : contact.verified ? colors.green(' verified') : '';
  return `${name}${username} ${colors.dim(contact.accountId)}${trust}`;
}

export function messageJson(message: MessageRecord): Record<string, unknown> {
  return {
    id: message.id,
    direction: message.direction,
    peer: message.peer,
    body: message.body,
    sentAt: message.sentAt,
    storedAt: message.storedAt,
    senderDevice: message.senderDevice,
    ...(message.file === undefined ? {} : { file: fileSummary(message.file) }),
    ...(message.direction === 'out'
      ? { state: messageState(message), deliveries: message.deliveries.map((d) => ({ accountId: d.accountId, deviceId: d.deviceId, state: d.state, at: d.at })) }
      : { readAt: message.readAt }),
  };
}

export function stateMark(state: DeliveryState, colors: Palette): string {
  switch (state) {
    case 'pending':
      return colors.dim('…');
    case 'sent':
      return colors.dim('✓');
    case 'delivered':
      return '✓✓';
    case 'read':
      return colors.cyan('✓✓ read');
    case 'failed':
      return colors.red('✗ failed');
  }
}

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A file message's text: name, type, size, and how to fetch it. */
export function fileText(file: FileSummary, messageId: string, colors: Palette): string {
  return `${colors.cyan('[file]')} ${file.name} (${file.contentType}, ${formatBytes(file.size)}) ${colors.dim(`— sealpost download ${messageId}`)}`;
}

/** What a message says: its text, or for a file message its file. */
export function messageText(message: Pick<MessageRecord, 'id' | 'body' | 'file'>, colors: Palette): string {
  return message.file === undefined ? message.body : fileText(fileSummary(message.file), message.id, colors);
}

export function messageLine(message: MessageRecord, peerName: string, colors: Palette): string {
  const time = colors.dim(`[${formatTime(message.sentAt)}]`);
  if (message.direction === 'out') return `${time} ${colors.bold('me')}: ${messageText(message, colors)}  ${stateMark(messageState(message), colors)}`;
  return `${time} ${colors.bold(peerName)}: ${messageText(message, colors)}`;
}
