/**
 * The private halves of a device's prekeys (PQXDH §2.3: Bob keeps the private keys of what he
 * publishes) and their storage records (see secret-encoding.ts):
 *
 *   signed X25519 prekey:   0x01 || 0x22 || key id (u32) || X25519 secret (32)
 *   one-time X25519 prekey: 0x01 || 0x23 || key id (u32) || X25519 secret (32)
 *   ML-KEM-1024 prekey:     0x01 || 0x24 || key id (u32) || flags (u8; bit 0 = last resort) ||
 *                           FIPS 203 key generation seed d || z (64)
 *
 * Only secrets are stored; public keys are recomputed on load. ML-KEM keys are kept as their
 * 64-byte seed (FIPS 203 §7.1 permits it) rather than the 3168-byte expanded decapsulation key:
 * it is 50 times smaller, and a seed cannot hold an encapsulation key that disagrees with its
 * decapsulation key. Signed and one-time X25519 prekeys have distinct record types because their
 * key ids are separate namespaces.
 */
import { CryptoError, expectBytes } from '../errors.js';
import { MLKEM_SEED_BYTES, X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { SECRET_RECORD_TYPE, openSecretRecord, secretRecordWriter } from './secret-encoding.js';

/** A signed or one-time X25519 prekey as the device keeps it. */
export interface X25519PrekeySecret {
  readonly keyId: number;
  /** Secret 32-byte X25519 scalar. */
  readonly secretKey: Uint8Array;
  /** Raw 32-byte X25519 public key. */
  readonly publicKey: Uint8Array;
}

/** A signed one-time or last-resort ML-KEM-1024 prekey as the device keeps it. */
export interface KemPrekeySecret {
  readonly keyId: number;
  readonly lastResort: boolean;
  /** FIPS 203 key generation seed d || z (64 bytes): the stored form. */
  readonly seed: Uint8Array;
  /** Expanded 3168-byte decapsulation key (FIPS 203), for decapsulation. */
  readonly secretKey: Uint8Array;
  /** Raw 1568-byte encapsulation key. */
  readonly publicKey: Uint8Array;
}

const FLAG_LAST_RESORT = 0x01;

export function x25519PrekeySecretFrom(suite: CryptoSuite, keyId: number, secretKey: Uint8Array): X25519PrekeySecret {
  return { keyId, secretKey, publicKey: suite.x25519PublicKey(secretKey) };
}

export function kemPrekeySecretFrom(suite: CryptoSuite, keyId: number, lastResort: boolean, seed: Uint8Array): KemPrekeySecret {
  const { publicKey, secretKey } = suite.mlkem1024KeyPair(seed);
  return { keyId, lastResort, seed, secretKey, publicKey };
}

function encodeX25519(type: typeof SECRET_RECORD_TYPE.SIGNED_PREKEY | typeof SECRET_RECORD_TYPE.ONE_TIME_PREKEY, secret: Pick<X25519PrekeySecret, 'keyId' | 'secretKey'>): Uint8Array {
  expectBytes(secret.secretKey, X25519_KEY_BYTES, 'X25519 prekey secret');
  return secretRecordWriter(type).u32(secret.keyId).raw(secret.secretKey).finish();
}

function decodeX25519(suite: CryptoSuite, type: typeof SECRET_RECORD_TYPE.SIGNED_PREKEY | typeof SECRET_RECORD_TYPE.ONE_TIME_PREKEY, bytes: Uint8Array, what: string): X25519PrekeySecret {
  const reader = openSecretRecord(bytes, type, what);
  const keyId = reader.u32('key id');
  const secretKey = reader.raw(X25519_KEY_BYTES, 'secret key');
  reader.end();
  return x25519PrekeySecretFrom(suite, keyId, secretKey);
}

export function encodeSignedPrekeySecret(secret: Pick<X25519PrekeySecret, 'keyId' | 'secretKey'>): Uint8Array {
  return encodeX25519(SECRET_RECORD_TYPE.SIGNED_PREKEY, secret);
}

export function decodeSignedPrekeySecret(suite: CryptoSuite, bytes: Uint8Array): X25519PrekeySecret {
  return decodeX25519(suite, SECRET_RECORD_TYPE.SIGNED_PREKEY, bytes, 'signed prekey secret');
}

export function encodeOneTimePrekeySecret(secret: Pick<X25519PrekeySecret, 'keyId' | 'secretKey'>): Uint8Array {
  return encodeX25519(SECRET_RECORD_TYPE.ONE_TIME_PREKEY, secret);
}

export function decodeOneTimePrekeySecret(suite: CryptoSuite, bytes: Uint8Array): X25519PrekeySecret {
  return decodeX25519(suite, SECRET_RECORD_TYPE.ONE_TIME_PREKEY, bytes, 'one-time prekey secret');
}

export function encodeKemPrekeySecret(secret: Pick<KemPrekeySecret, 'keyId' | 'lastResort' | 'seed'>): Uint8Array {
  expectBytes(secret.seed, MLKEM_SEED_BYTES, 'ML-KEM prekey seed');
  return secretRecordWriter(SECRET_RECORD_TYPE.KEM_PREKEY)
    .u32(secret.keyId)
    .u8(secret.lastResort ? FLAG_LAST_RESORT : 0)
    .raw(secret.seed)
    .finish();
}

/** Strict decoder for {@link encodeKemPrekeySecret}; re-expands the key pair from the seed. */
export function decodeKemPrekeySecret(suite: CryptoSuite, bytes: Uint8Array): KemPrekeySecret {
  const what = 'ML-KEM prekey secret';
  const reader = openSecretRecord(bytes, SECRET_RECORD_TYPE.KEM_PREKEY, what);
  const keyId = reader.u32('key id');
  const flags = reader.u8('flags');
  if ((flags & ~FLAG_LAST_RESORT) !== 0) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: unknown flags 0x${flags.toString(16)}`);
  const seed = reader.raw(MLKEM_SEED_BYTES, 'seed');
  reader.end();
  return kemPrekeySecretFrom(suite, keyId, (flags & FLAG_LAST_RESORT) !== 0, seed);
}
