/** How session events look: `listen --json` objects (schema v1) and human lines. */
import type { Palette } from '../output/color.js';
import { JSON_SCHEMA_VERSION } from '../output/output.js';
import type { SessionEvent } from '../session/index.js';
import { fileText, formatTime, stateMark } from './views.js';

/** The JSON fields of an event, without "type" (Output adds "type" and "v" in front). */
export function eventFields(event: SessionEvent): Record<string, unknown> {
  const { type: _type, ...fields } = event;
  return fields;
}

/** An event as a nested JSON object (e.g. in `receive --json`), with "type" and "v". */
export function eventJson(event: SessionEvent): Record<string, unknown> {
  return { type: event.type, v: JSON_SCHEMA_VERSION, ...eventFields(event) };
}

export function eventLine(event: SessionEvent, c: Palette): string {
  switch (event.type) {
    case 'message': {
      const text = event.file === undefined ? event.body : fileText(event.file, event.id, c);
      return event.direction === 'in'
        ? `${c.dim(`[${formatTime(event.sentAt)}]`)} ${c.bold(event.peerName)}: ${text}`
        : `${c.dim(`[${formatTime(event.sentAt)}]`)} ${c.bold('me')} → ${c.bold(event.peerName)} ${c.dim(`(from device ${event.from.deviceId})`)}: ${text}`;
    }
    case 'receipt':
      return `${c.dim(event.messageId)} ${stateMark(event.state, c)} ${c.dim(`by ${event.by.accountId === event.peer ? 'device' : 'own device'} ${event.by.deviceId}`)}`;
    case 'expired':
      return c.red(`${event.messageId} expired undelivered on ${event.devices.length} device(s)`);
    case 'presence':
      return c.dim(`${event.peerName} is ${event.online ? 'online' : `offline (last seen ${formatTime(event.at)})`}`);
    case 'typing':
      return c.dim(`${event.peerName} ${event.state === 'started' ? 'is typing…' : 'stopped typing'}`);
    case 'sent':
      return `${c.dim(event.messageId)} ${stateMark('sent', c)}`;
    case 'drained':
      return c.dim('(up to date)');
    case 'connection':
      return c.dim(event.state === 'connected' ? 'connected' : `disconnected (${event.reason ?? 'unknown'}); retrying in ${Math.round((event.retryInMs ?? 0) / 100) / 10} s`);
    case 'contact':
      return event.change === 'identity-changed'
        ? c.red(`${event.username ?? event.accountId}: identity key changed; run \`sealpost verify\``)
        : c.dim(`${event.username ?? event.accountId}: contact ${event.change}`);
    case 'decrypt-error':
      return c.red(`could not decrypt a message from ${event.from.accountId}/${event.from.deviceId}: ${event.reason}`);
  }
}
