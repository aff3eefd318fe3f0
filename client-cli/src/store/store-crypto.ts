/**
 * The cryptography the local store needs, as a narrow slice of the crypto suite, and the store's
 * key schedule.
 *
 *   master   = Argon2id(NFC passphrase, salt, t, m, 32)                      (RFC 9106)
 *   record   = HKDF-SHA-256(master, salt = "", info = "Sealpost store v1 record key")  (RFC 5869)
 *   lookup   = HKDF-SHA-256(master, salt = "", info = "Sealpost store v1 lookup key")
 *   agent    = HKDF-SHA-256(master, salt = "", info = "Sealpost store v1 agent key")
 *   verifier = HMAC-SHA-256(HKDF(master, info = "Sealpost store v1 verifier key"),
 *                           "Sealpost store v1 verifier" || salt || t || m)
 *
 * Separate keys per job, so the verifier (stored in the clear) and the lookup MACs (indexed
 * columns) reveal nothing about the key that seals records.
 */
import type { CryptoSuite } from '@sealpost/crypto';
import type { KdfParams } from './kdf.js';

export type StoreCrypto = Pick<
  CryptoSuite,
  'argon2id' | 'xchacha20poly1305Encrypt' | 'xchacha20poly1305Decrypt' | 'hkdfSha256' | 'hmacSha256' | 'sha256' | 'randomBytes'
>;

export const SALT_BYTES = 16;
const KEY_BYTES = 32;
const encoder = new TextEncoder();

export interface StoreKeys {
  readonly record: Uint8Array;
  readonly lookup: Uint8Array;
  readonly verifier: Uint8Array;
  /** Authenticates processes of one profile to each other (the local agent socket). */
  readonly agent: Uint8Array;
}

function u32(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value);
  return out;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function deriveStoreKeys(crypto: StoreCrypto, passphrase: string, salt: Uint8Array, params: KdfParams): StoreKeys {
  const master = crypto.argon2id(encoder.encode(passphrase.normalize('NFC')), salt, params.opsLimit, params.memLimitBytes, KEY_BYTES);
  const empty = new Uint8Array(0);
  const sub = (label: string): Uint8Array => crypto.hkdfSha256(master, empty, encoder.encode(`Sealpost store v1 ${label}`), KEY_BYTES);
  const keys = { record: sub('record key'), lookup: sub('lookup key'), verifier: sub('verifier key'), agent: sub('agent key') };
  master.fill(0);
  return keys;
}

/** The value stored in meta that proves a passphrase right without decrypting any record. */
export function computeVerifier(crypto: StoreCrypto, keys: StoreKeys, salt: Uint8Array, params: KdfParams): Uint8Array {
  return crypto.hmacSha256(keys.verifier, concatBytes(encoder.encode('Sealpost store v1 verifier'), salt, u32(params.opsLimit), u32(params.memLimitBytes)));
}
