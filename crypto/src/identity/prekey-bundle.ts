/**
 * Verifying a fetched prekey bundle before a PQXDH handshake (PQXDH §3.2: "Alice verifies the
 * prekey signatures and aborts the protocol if verification fails"), with Sealpost's device
 * model on top (DESIGN.md §2): the device must be on the account's signed device list, and its
 * signed X25519 prekey and ML-KEM prekey must verify under the signing key that list gives it.
 * The relay chooses what it serves, so every check here assumes the relay is hostile.
 */
import { CryptoError } from '../errors.js';
import { accountIdFromAccountKey } from '../public/account-id.js';
import { verifyDeviceList, type DeviceList } from '../public/device-list.js';
import { decodeOneTimePrekey, verifySignedPrekey } from '../public/prekeys.js';
import type { Ed25519Verifier } from '../public/signature.js';
// The bundle type is the PQXDH module's input type, defined there; this module produces it.
import type { VerifiedPrekeyBundle } from '../pqxdh/types.js';

export interface PrekeyBundleInput {
  /** The account key the client has pinned for this contact (raw 32-byte Ed25519). */
  readonly accountKey: Uint8Array;
  /** The contact's device list, already verified (and version-pinned) by the caller. */
  readonly deviceList: DeviceList;
  readonly deviceId: number;
  /** Encoded signed X25519 prekey as served by the relay. */
  readonly signedPrekey: Uint8Array;
  /** Encoded one-time X25519 prekey, when the relay had one left. */
  readonly oneTimePrekey?: Uint8Array;
  /** Encoded signed ML-KEM-1024 prekey (one-time or last resort). */
  readonly kemPrekey: Uint8Array;
  /** The Ed25519 verifier for the list and prekey signatures instead of noble (e.g. the suite's). */
  readonly verify?: Ed25519Verifier;
}

/**
 * Verifies a bundle. Throws CryptoError: CRYPTO_ERR_BAD_SIGNATURE (list not signed by
 * `accountKey`, or a prekey not signed by this device), CRYPTO_ERR_UNKNOWN_DEVICE (device not on
 * the list), CRYPTO_ERR_WRONG_KEY_TYPE (a prekey of the wrong kind in a slot), or an encoding code.
 */
export function verifyPrekeyBundle(input: PrekeyBundleInput): VerifiedPrekeyBundle {
  // The list is verified again from its bytes: a hand-built or altered DeviceList object must
  // not be able to smuggle in a device the account never signed (one signature check, cheap).
  const list = verifyDeviceList(input.deviceList.bytes, input.accountKey, { verify: input.verify });
  const device = list.devices.find((d) => d.deviceId === input.deviceId);
  if (device === undefined) {
    throw new CryptoError('CRYPTO_ERR_UNKNOWN_DEVICE', `device ${input.deviceId} is not on device list version ${list.version}`);
  }

  // PQXDH §3.2: both signed prekeys must verify under the device's signing key from the list.
  const signedPrekey = verifySignedPrekey(input.signedPrekey, device.deviceSigningKey, input.verify);
  if (signedPrekey.kind !== 'x25519') {
    throw new CryptoError('CRYPTO_ERR_WRONG_KEY_TYPE', `signed prekey slot holds a ${signedPrekey.kind} key`);
  }
  if (signedPrekey.lastResort) {
    // Unreachable through verifySignedPrekey today; kept so a decoder change cannot let one through.
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'signed X25519 prekey marked last resort');
  }
  const kemPrekey = verifySignedPrekey(input.kemPrekey, device.deviceSigningKey, input.verify);
  if (kemPrekey.kind !== 'mlkem1024') {
    throw new CryptoError('CRYPTO_ERR_WRONG_KEY_TYPE', `KEM prekey slot holds a ${kemPrekey.kind} key`);
  }

  const bundle: VerifiedPrekeyBundle = {
    accountId: accountIdFromAccountKey(list.accountKey),
    deviceId: device.deviceId,
    identityDhKey: device.deviceIdentityKey,
    signedPrekey: { keyId: signedPrekey.keyId, publicKey: signedPrekey.publicKey },
    kemPrekey: { keyId: kemPrekey.keyId, publicKey: kemPrekey.publicKey, lastResort: kemPrekey.lastResort },
  };
  if (input.oneTimePrekey !== undefined) {
    // One-time X25519 prekeys are unsigned, as in Signal: a relay that swaps one can only make
    // the handshake fail (the responder computes DH4 with its own secret), never read or forge it.
    const oneTime = decodeOneTimePrekey(input.oneTimePrekey);
    bundle.oneTimePrekey = { keyId: oneTime.keyId, publicKey: oneTime.publicKey };
  }
  return bundle;
}
