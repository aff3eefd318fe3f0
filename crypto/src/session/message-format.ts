/**
 * The outer session message (docs/protocol-sessions.md §5):
 *
 *   u8 type = 0x01 PREKEY  || PQXDH initial message (version, fields, then the ratchet message)
 *   u8 type = 0x02 NORMAL  || ratchet message
 *
 * Any other type byte is refused as an unsupported version. The two type values differ in two
 * bits, so a single flipped bit cannot turn one kind into the other.
 */
import { CryptoError } from '../errors.js';
import { concatBytes } from '../primitives/bytes.js';
import { SESSION_MESSAGE_TYPE } from './constants.js';

export type SessionMessageKind = 'prekey' | 'normal';

export interface ParsedSessionMessage {
  readonly kind: SessionMessageKind;
  /** For 'prekey' the PQXDH initial message, for 'normal' the ratchet message. */
  readonly body: Uint8Array;
}

export function encodePrekeyMessage(encodedFields: Uint8Array, ratchetMessage: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(SESSION_MESSAGE_TYPE.PREKEY), encodedFields, ratchetMessage);
}

export function encodeNormalMessage(ratchetMessage: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(SESSION_MESSAGE_TYPE.NORMAL), ratchetMessage);
}

export function parseSessionMessage(message: Uint8Array): ParsedSessionMessage {
  if (!(message instanceof Uint8Array) || message.length === 0) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'session message: empty');
  }
  const type = message[0] as number;
  if (type === SESSION_MESSAGE_TYPE.PREKEY) return { kind: 'prekey', body: message.subarray(1) };
  if (type === SESSION_MESSAGE_TYPE.NORMAL) return { kind: 'normal', body: message.subarray(1) };
  throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `session message type 0x${type.toString(16).padStart(2, '0')}`);
}

/** The kind of a session message, without decrypting it (e.g. to route prekey messages). */
export function sessionMessageKind(message: Uint8Array): SessionMessageKind {
  return parseSessionMessage(message).kind;
}
