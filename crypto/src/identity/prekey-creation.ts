/**
 * Creating a device's prekeys (DESIGN.md §2, PQXDH §2.3): one signed X25519 prekey (rotated), a
 * pool of unsigned one-time X25519 prekeys, a pool of signed one-time ML-KEM-1024 prekeys and one
 * signed last-resort ML-KEM-1024 prekey. Each function returns, per key, the encoded public
 * structure to upload (public/prekeys.ts) and the private half for the device's store
 * (prekey-secrets.ts). Signatures are Ed25519 by the device signing key under the
 * "Sealpost signed prekey v1" context.
 *
 * Key ids are u32 and chosen by the caller: signed X25519, one-time X25519 and ML-KEM prekeys are
 * three separate id spaces, and the last-resort key shares the ML-KEM space (a PQXDH initial
 * message names the KEM key by id alone), so the caller must keep it apart from the pool's ids.
 */
import { MLKEM_SEED_BYTES, X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { encodeOneTimePrekey, encodeSignedPrekeyBody, type SignedPrekeyFields } from '../public/prekeys.js';
import { SIGNATURE_CONTEXT, signedMessage } from '../public/signature.js';
import { withSignature } from '../public/structure.js';
import type { DeviceKeys } from './device-keys.js';
import {
  kemPrekeySecretFrom,
  x25519PrekeySecretFrom,
  type KemPrekeySecret,
  type X25519PrekeySecret,
} from './prekey-secrets.js';

/** One created prekey: what to upload and what to keep. */
export interface CreatedPrekey<Secret> {
  /** The encoded public structure for the relay. */
  readonly upload: Uint8Array;
  /** The private half for the device's store. */
  readonly secret: Secret;
}

/** The part of a device's keys that signs prekeys. */
export type PrekeySigner = Pick<DeviceKeys, 'signingSeed'>;

const MAX_KEY_ID = 0xffffffff;

function checkKeyRange(firstKeyId: number, count: number): void {
  if (!Number.isInteger(firstKeyId) || firstKeyId < 0 || firstKeyId > MAX_KEY_ID) throw new RangeError(`first key id out of u32 range: ${firstKeyId}`);
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`prekey count must be a non-negative integer: ${count}`);
  // Refuse rather than wrap: a wrapped id would collide with a key that may still be on the relay.
  if (count > 0 && firstKeyId + count - 1 > MAX_KEY_ID) throw new RangeError(`key ids ${firstKeyId}..${firstKeyId + count - 1} leave the u32 range`);
}

function signPrekey(suite: CryptoSuite, device: PrekeySigner, fields: SignedPrekeyFields): Uint8Array {
  const body = encodeSignedPrekeyBody(fields);
  return withSignature(body, suite.ed25519Sign(device.signingSeed, signedMessage(SIGNATURE_CONTEXT.SIGNED_PREKEY, body)));
}

function createKemPrekey(suite: CryptoSuite, device: PrekeySigner, keyId: number, lastResort: boolean): CreatedPrekey<KemPrekeySecret> {
  const secret = kemPrekeySecretFrom(suite, keyId, lastResort, suite.randomBytes(MLKEM_SEED_BYTES));
  const upload = signPrekey(suite, device, { kind: 'mlkem1024', keyId, publicKey: secret.publicKey, lastResort });
  return { upload, secret };
}

/** The signed X25519 prekey (SPK). */
export function createSignedX25519Prekey(suite: CryptoSuite, device: PrekeySigner, keyId: number): CreatedPrekey<X25519PrekeySecret> {
  checkKeyRange(keyId, 1);
  const secret = x25519PrekeySecretFrom(suite, keyId, suite.randomBytes(X25519_KEY_BYTES));
  const upload = signPrekey(suite, device, { kind: 'x25519', keyId, publicKey: secret.publicKey, lastResort: false });
  return { upload, secret };
}

/** `count` one-time X25519 prekeys (OPK) with ids firstKeyId, firstKeyId + 1, …; unsigned, as in Signal. */
export function createOneTimePrekeys(suite: CryptoSuite, firstKeyId: number, count: number): CreatedPrekey<X25519PrekeySecret>[] {
  checkKeyRange(firstKeyId, count);
  const out: CreatedPrekey<X25519PrekeySecret>[] = [];
  for (let i = 0; i < count; i++) {
    const secret = x25519PrekeySecretFrom(suite, firstKeyId + i, suite.randomBytes(X25519_KEY_BYTES));
    out.push({ upload: encodeOneTimePrekey(secret.keyId, secret.publicKey), secret });
  }
  return out;
}

/** `count` signed one-time ML-KEM-1024 prekeys (PQOPK) with consecutive ids. */
export function createSignedKemPrekeys(suite: CryptoSuite, device: PrekeySigner, firstKeyId: number, count: number): CreatedPrekey<KemPrekeySecret>[] {
  checkKeyRange(firstKeyId, count);
  const out: CreatedPrekey<KemPrekeySecret>[] = [];
  for (let i = 0; i < count; i++) out.push(createKemPrekey(suite, device, firstKeyId + i, false));
  return out;
}

/** The signed last-resort ML-KEM-1024 prekey (PQSPK), used when the one-time pool is empty. */
export function createLastResortKemPrekey(suite: CryptoSuite, device: PrekeySigner, keyId: number): CreatedPrekey<KemPrekeySecret> {
  checkKeyRange(keyId, 1);
  return createKemPrekey(suite, device, keyId, true);
}
