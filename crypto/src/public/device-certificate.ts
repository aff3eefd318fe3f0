/**
 * Device certificates: the account identity key vouches that a device (its Ed25519 signing key
 * and its X25519 identity DH key, used in PQXDH) belongs to the account.
 *
 * Layout (version 1): 0x01 || 0x10 || account key (typed, 33) || device id (u32) ||
 * device signing key (typed, 33) || device identity DH key (typed X25519, 33) || issued at (u64 ms)
 * || signature (64) by the account key under context "Sealpost device certificate v1".
 */
import { ByteWriter } from './bytes-io.js';
import { KEY_TYPE, decodePublicKey, encodePublicKey, encodedKeyLength } from './keys.js';
import { SIGNATURE_CONTEXT, type Ed25519Verifier } from './signature.js';
import { STRUCTURE_TYPE, STRUCTURE_VERSION, openStructure, verifyTrailingSignature } from './structure.js';
import { CryptoError } from '../errors.js';
import { constantTimeEqual } from '../primitives/bytes.js';

export interface DeviceCertificateFields {
  /** Raw 32-byte Ed25519 account identity key. */
  readonly accountKey: Uint8Array;
  readonly deviceId: number;
  /** Raw 32-byte Ed25519 device signing key. */
  readonly deviceSigningKey: Uint8Array;
  /** Raw 32-byte X25519 device identity key (PQXDH IK). */
  readonly deviceIdentityKey: Uint8Array;
  /** Milliseconds since the Unix epoch. */
  readonly issuedAt: number;
}

export interface DeviceCertificate extends DeviceCertificateFields {
  readonly signature: Uint8Array;
  /** The whole encoded certificate. */
  readonly bytes: Uint8Array;
}

/** The signed part of a certificate (everything but the signature). */
export function encodeDeviceCertificateBody(fields: DeviceCertificateFields): Uint8Array {
  return new ByteWriter()
    .u8(STRUCTURE_VERSION)
    .u8(STRUCTURE_TYPE.DEVICE_CERTIFICATE)
    .raw(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, fields.accountKey))
    .u32(fields.deviceId)
    .raw(encodePublicKey(KEY_TYPE.DEVICE_ED25519, fields.deviceSigningKey))
    .raw(encodePublicKey(KEY_TYPE.X25519, fields.deviceIdentityKey))
    .u64(fields.issuedAt)
    .finish();
}

/**
 * Decodes a certificate and verifies its signature under the account key it names. With
 * `expectedAccountKey`, also refuses a certificate for any other account. `verify` replaces noble
 * (see Ed25519Verifier).
 */
export function verifyDeviceCertificate(bytes: Uint8Array, expectedAccountKey?: Uint8Array, verify?: Ed25519Verifier): DeviceCertificate {
  const what = 'device certificate';
  const reader = openStructure(bytes, STRUCTURE_TYPE.DEVICE_CERTIFICATE, what);
  const accountKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, reader.raw(encodedKeyLength(KEY_TYPE.ACCOUNT_ED25519), 'account key'));
  const deviceId = reader.u32('device id');
  const deviceSigningKey = decodePublicKey(KEY_TYPE.DEVICE_ED25519, reader.raw(encodedKeyLength(KEY_TYPE.DEVICE_ED25519), 'device signing key'));
  const deviceIdentityKey = decodePublicKey(KEY_TYPE.X25519, reader.raw(encodedKeyLength(KEY_TYPE.X25519), 'device identity key'));
  const issuedAt = reader.u64('issued at');
  if (expectedAccountKey !== undefined && !constantTimeEqual(expectedAccountKey, accountKey)) {
    throw new CryptoError('CRYPTO_ERR_BAD_SIGNATURE', 'device certificate is for another account');
  }
  const signature = verifyTrailingSignature(reader, SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, accountKey, what, verify);
  return { accountKey, deviceId, deviceSigningKey, deviceIdentityKey, issuedAt, signature, bytes: bytes.slice() };
}
