/**
 * A device's long-term keys (DESIGN.md §2): an Ed25519 signing key (RFC 8032) that signs the
 * device's prekeys and its relay auth answers, and an X25519 identity DH key (RFC 7748) that is
 * the device's IK in PQXDH. Both public halves are certified by the account key.
 *
 * Stored as the two 32-byte secrets (record type 0x21, see secret-encoding.ts); the public halves
 * are recomputed on load.
 */
import { expectBytes } from '../errors.js';
import { ED25519_SEED_BYTES, X25519_KEY_BYTES } from '../primitives/backend.js';
import type { CryptoSuite } from '../primitives/index.js';
import { SECRET_RECORD_TYPE, openSecretRecord, secretRecordWriter } from './secret-encoding.js';

/** What another device (or the account) needs to certify or list a device. */
export interface DevicePublicKeys {
  /** Raw 32-byte Ed25519 device signing key. */
  readonly signingKey: Uint8Array;
  /** Raw 32-byte X25519 device identity key (PQXDH IK). */
  readonly identityDhKey: Uint8Array;
}

export interface DeviceKeys extends DevicePublicKeys {
  /** Secret 32-byte Ed25519 seed. */
  readonly signingSeed: Uint8Array;
  /** Secret 32-byte X25519 scalar (clamped by X25519 itself, RFC 7748 §5). */
  readonly identityDhSecret: Uint8Array;
}

function deviceKeysFrom(suite: CryptoSuite, signingSeed: Uint8Array, identityDhSecret: Uint8Array): DeviceKeys {
  return {
    signingSeed,
    signingKey: suite.ed25519PublicKey(signingSeed),
    identityDhSecret,
    identityDhKey: suite.x25519PublicKey(identityDhSecret),
  };
}

/** Fresh device keys from the suite's randomness. */
export function createDeviceKeys(suite: CryptoSuite): DeviceKeys {
  const signingSeed = suite.randomBytes(ED25519_SEED_BYTES);
  const identityDhSecret = suite.randomBytes(X25519_KEY_BYTES);
  return deviceKeysFrom(suite, signingSeed, identityDhSecret);
}

/** Layout: 0x01 || 0x21 || signing seed (32) || identity DH secret (32). */
export function encodeDeviceKeys(keys: Pick<DeviceKeys, 'signingSeed' | 'identityDhSecret'>): Uint8Array {
  expectBytes(keys.signingSeed, ED25519_SEED_BYTES, 'device signing seed');
  expectBytes(keys.identityDhSecret, X25519_KEY_BYTES, 'device identity DH secret');
  return secretRecordWriter(SECRET_RECORD_TYPE.DEVICE_KEYS).raw(keys.signingSeed).raw(keys.identityDhSecret).finish();
}

/** Strict decoder for {@link encodeDeviceKeys}; recomputes both public keys. */
export function decodeDeviceKeys(suite: CryptoSuite, bytes: Uint8Array): DeviceKeys {
  const reader = openSecretRecord(bytes, SECRET_RECORD_TYPE.DEVICE_KEYS, 'device keys');
  const signingSeed = reader.raw(ED25519_SEED_BYTES, 'signing seed');
  const identityDhSecret = reader.raw(X25519_KEY_BYTES, 'identity DH secret');
  reader.end();
  return deviceKeysFrom(suite, signingSeed, identityDhSecret);
}
