/**
 * Typed public-key encodings. Every public key on the wire is `type byte || raw key`, and the
 * type bytes are disjoint, so a key of one kind can never be accepted where another is expected
 * (NOTES.md: "Encodings of different key types must be disjoint"). Also base64url for JSON.
 */
import { CryptoError } from '../errors.js';

/** Type bytes for encoded public keys. Never reuse a value for a different kind. */
export const KEY_TYPE = {
  /** Ed25519 account identity key (signs device certificates and device lists). */
  ACCOUNT_ED25519: 0x01,
  /** Ed25519 device signing key (signs prekeys and relay auth challenges). */
  DEVICE_ED25519: 0x02,
  /** X25519 public key (device identity DH key, signed/one-time prekeys, ephemeral and ratchet keys). */
  X25519: 0x05,
  /** ML-KEM-1024 encapsulation key (FIPS 203). */
  MLKEM1024: 0x08,
} as const;

export type KeyType = (typeof KEY_TYPE)[keyof typeof KEY_TYPE];

const RAW_LENGTH: Record<KeyType, number> = {
  [KEY_TYPE.ACCOUNT_ED25519]: 32,
  [KEY_TYPE.DEVICE_ED25519]: 32,
  [KEY_TYPE.X25519]: 32,
  [KEY_TYPE.MLKEM1024]: 1568,
};

const KEY_NAME: Record<KeyType, string> = {
  [KEY_TYPE.ACCOUNT_ED25519]: 'account Ed25519 key',
  [KEY_TYPE.DEVICE_ED25519]: 'device Ed25519 key',
  [KEY_TYPE.X25519]: 'X25519 key',
  [KEY_TYPE.MLKEM1024]: 'ML-KEM-1024 key',
};

/** Length of an encoded key of this type (type byte included). */
export function encodedKeyLength(type: KeyType): number {
  return RAW_LENGTH[type] + 1;
}

export function encodePublicKey(type: KeyType, raw: Uint8Array): Uint8Array {
  if (raw.length !== RAW_LENGTH[type]) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `${KEY_NAME[type]}: expected ${RAW_LENGTH[type]} bytes, got ${raw.length}`);
  }
  const out = new Uint8Array(raw.length + 1);
  out[0] = type;
  out.set(raw, 1);
  return out;
}

/** Decodes a typed key and checks that its type is the one expected here. Returns the raw key. */
export function decodePublicKey(expected: KeyType, encoded: Uint8Array): Uint8Array {
  if (encoded.length === 0) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${KEY_NAME[expected]}: empty`);
  if (encoded[0] !== expected) {
    throw new CryptoError('CRYPTO_ERR_WRONG_KEY_TYPE', `expected ${KEY_NAME[expected]} (type 0x${expected.toString(16).padStart(2, '0')}), got type 0x${(encoded[0] as number).toString(16).padStart(2, '0')}`);
  }
  if (encoded.length !== RAW_LENGTH[expected] + 1) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `${KEY_NAME[expected]}: expected ${RAW_LENGTH[expected] + 1} encoded bytes, got ${encoded.length}`);
  }
  return encoded.slice(1);
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Unpadded base64url (RFC 4648 §5), the encoding of every binary field in JSON. */
export function toBase64Url(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]!;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += ALPHABET[n >>> 18]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]!;
  }
  return out;
}

/** Decodes unpadded, canonical base64url; anything else is CRYPTO_ERR_INVALID_ENCODING. */
export function fromBase64Url(text: string, label = 'base64url value'): Uint8Array {
  if (typeof text !== 'string' || text.length % 4 === 1) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: not unpadded base64url`);
  }
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let acc = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const v = code < 128 ? (DECODE[code] as number) : -1;
    if (v < 0) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: not unpadded base64url`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
  }
  // Canonical form only: the unused trailing bits must be zero, so one value has one encoding.
  if ((acc & ((1 << bits) - 1)) !== 0) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: non-canonical base64url`);
  }
  return out;
}
