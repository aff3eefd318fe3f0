/**
 * Public prekey structures a device uploads to the relay (PQXDH §2.3 "Bob publishes his keys").
 *
 * Signed prekey (version 1), used for the signed X25519 prekey, signed one-time ML-KEM-1024 prekeys
 * and the last-resort ML-KEM-1024 prekey:
 *   0x01 || 0x12 || key id (u32) || flags (u8; bit 0 = last resort, only for ML-KEM) ||
 *   public key (typed: X25519 33 bytes or ML-KEM-1024 1569 bytes) || signature (64)
 * signed by the device signing key under context "Sealpost signed prekey v1".
 *
 * One-time X25519 prekey (version 1, unsigned, as in Signal): 0x01 || 0x13 || key id (u32) ||
 * public key (typed X25519, 33).
 */
import { ByteWriter } from './bytes-io.js';
import { KEY_TYPE, decodePublicKey, encodePublicKey, encodedKeyLength } from './keys.js';
import { SIGNATURE_CONTEXT, type Ed25519Verifier } from './signature.js';
import { STRUCTURE_TYPE, STRUCTURE_VERSION, openStructure, verifyTrailingSignature } from './structure.js';
import { CryptoError } from '../errors.js';

export type SignedPrekeyKind = 'x25519' | 'mlkem1024';

const FLAG_LAST_RESORT = 0x01;

export interface SignedPrekeyFields {
  readonly kind: SignedPrekeyKind;
  readonly keyId: number;
  /** Raw public key: 32 bytes for X25519, 1568 for ML-KEM-1024. */
  readonly publicKey: Uint8Array;
  /** Only ML-KEM prekeys may be last-resort keys. */
  readonly lastResort: boolean;
}

export interface SignedPrekey extends SignedPrekeyFields {
  readonly signature: Uint8Array;
  readonly bytes: Uint8Array;
}

export interface OneTimePrekey {
  readonly keyId: number;
  readonly publicKey: Uint8Array;
  readonly bytes: Uint8Array;
}

function keyTypeOf(kind: SignedPrekeyKind): typeof KEY_TYPE.X25519 | typeof KEY_TYPE.MLKEM1024 {
  return kind === 'x25519' ? KEY_TYPE.X25519 : KEY_TYPE.MLKEM1024;
}

export function encodeSignedPrekeyBody(fields: SignedPrekeyFields): Uint8Array {
  if (fields.lastResort && fields.kind !== 'mlkem1024') {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'only ML-KEM prekeys can be last-resort keys');
  }
  return new ByteWriter()
    .u8(STRUCTURE_VERSION)
    .u8(STRUCTURE_TYPE.SIGNED_PREKEY)
    .u32(fields.keyId)
    .u8(fields.lastResort ? FLAG_LAST_RESORT : 0)
    .raw(encodePublicKey(keyTypeOf(fields.kind), fields.publicKey))
    .finish();
}

/**
 * Decodes a signed prekey and verifies it under the device's raw Ed25519 signing key. `verify`
 * replaces noble (see Ed25519Verifier).
 */
export function verifySignedPrekey(bytes: Uint8Array, deviceSigningKey: Uint8Array, verify?: Ed25519Verifier): SignedPrekey {
  const what = 'signed prekey';
  const reader = openStructure(bytes, STRUCTURE_TYPE.SIGNED_PREKEY, what);
  const keyId = reader.u32('key id');
  const flags = reader.u8('flags');
  if ((flags & ~FLAG_LAST_RESORT) !== 0) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: unknown flags 0x${flags.toString(16)}`);
  const typeByte = reader.u8('key type');
  let kind: SignedPrekeyKind;
  if (typeByte === KEY_TYPE.X25519) kind = 'x25519';
  else if (typeByte === KEY_TYPE.MLKEM1024) kind = 'mlkem1024';
  else throw new CryptoError('CRYPTO_ERR_WRONG_KEY_TYPE', `${what}: key type 0x${typeByte.toString(16)}`);
  const keyType = keyTypeOf(kind);
  const rest = reader.raw(encodedKeyLength(keyType) - 1, 'public key');
  const publicKey = decodePublicKey(keyType, Uint8Array.of(typeByte, ...rest));
  const lastResort = (flags & FLAG_LAST_RESORT) !== 0;
  if (lastResort && kind !== 'mlkem1024') throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'only ML-KEM prekeys can be last-resort keys');
  const signature = verifyTrailingSignature(reader, SIGNATURE_CONTEXT.SIGNED_PREKEY, deviceSigningKey, what, verify);
  return { kind, keyId, publicKey, lastResort, signature, bytes: bytes.slice() };
}

export function encodeOneTimePrekey(keyId: number, publicKey: Uint8Array): Uint8Array {
  return new ByteWriter()
    .u8(STRUCTURE_VERSION)
    .u8(STRUCTURE_TYPE.ONE_TIME_PREKEY)
    .u32(keyId)
    .raw(encodePublicKey(KEY_TYPE.X25519, publicKey))
    .finish();
}

export function decodeOneTimePrekey(bytes: Uint8Array): OneTimePrekey {
  const reader = openStructure(bytes, STRUCTURE_TYPE.ONE_TIME_PREKEY, 'one-time prekey');
  const keyId = reader.u32('key id');
  const publicKey = decodePublicKey(KEY_TYPE.X25519, reader.raw(encodedKeyLength(KEY_TYPE.X25519), 'public key'));
  reader.end();
  return { keyId, publicKey, bytes: bytes.slice() };
}
