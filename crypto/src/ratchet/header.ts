/**
 * The ratchet message format (signal.org/docs/specifications/doubleratchet §3.4 HEADER):
 *
 *   u8  version (0x01)
 *   33  DH ratchet public key, typed X25519 (0x05 || 32 bytes, canonical)
 *   u32 PN  number of messages in the sender's previous sending chain
 *   u32 N   message number in the current sending chain
 *   ... XChaCha20-Poly1305 ciphertext || 16-byte tag
 *
 * The 42 header bytes are authenticated as part of the AEAD associated data (§3.4 ENCRYPT with
 * AD || header), so no header field can change without the tag failing.
 */
import { CryptoError } from '../errors.js';
import { AEAD_TAG_BYTES } from '../primitives/backend.js';
import { KEY_TYPE } from '../public/keys.js';
import { expectX25519PublicKey } from '../pqxdh/x25519-key.js';
import { MAX_MESSAGE_INDEX, RATCHET_HEADER_VERSION } from './constants.js';

export const RATCHET_HEADER_BYTES = 42;

export interface RatchetHeader {
  readonly ratchetKey: Uint8Array;
  readonly previousChainLength: number;
  readonly messageIndex: number;
}

export interface ParsedRatchetMessage {
  readonly header: RatchetHeader;
  readonly headerBytes: Uint8Array;
  readonly ciphertext: Uint8Array;
}

export function encodeRatchetHeader(ratchetKey: Uint8Array, previousChainLength: number, messageIndex: number): Uint8Array {
  const out = new Uint8Array(RATCHET_HEADER_BYTES);
  out[0] = RATCHET_HEADER_VERSION;
  out[1] = KEY_TYPE.X25519;
  out.set(ratchetKey, 2);
  const view = new DataView(out.buffer);
  view.setUint32(34, previousChainLength);
  view.setUint32(38, messageIndex);
  return out;
}

export function parseRatchetMessage(message: Uint8Array): ParsedRatchetMessage {
  if (message.length < RATCHET_HEADER_BYTES + AEAD_TAG_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `ratchet message: ${message.length} bytes is shorter than header and tag`);
  }
  if (message[0] !== RATCHET_HEADER_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `ratchet header version 0x${(message[0] as number).toString(16).padStart(2, '0')}`);
  }
  if (message[1] !== KEY_TYPE.X25519) {
    throw new CryptoError('CRYPTO_ERR_WRONG_KEY_TYPE', `ratchet key type 0x${(message[1] as number).toString(16).padStart(2, '0')}`);
  }
  const ratchetKey = expectX25519PublicKey(message.slice(2, 34), 'ratchet key');
  const view = new DataView(message.buffer, message.byteOffset, RATCHET_HEADER_BYTES);
  const previousChainLength = view.getUint32(34);
  const messageIndex = view.getUint32(38);
  if (messageIndex > MAX_MESSAGE_INDEX) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'ratchet header: message number out of range');
  }
  return {
    header: { ratchetKey, previousChainLength, messageIndex },
    headerBytes: message.subarray(0, RATCHET_HEADER_BYTES),
    ciphertext: message.subarray(RATCHET_HEADER_BYTES),
  };
}
