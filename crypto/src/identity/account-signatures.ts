/**
 * What the account key signs (DESIGN.md §2): device certificates (public/device-certificate.ts)
 * and the account's versioned device list (public/device-list.ts). Both are Ed25519 (RFC 8032)
 * signatures over `signedMessage(context, body)`, each under its own context.
 *
 * The account public key written into each body is recomputed from the seed rather than taken
 * from the caller, so a mismatched key/seed pair cannot produce a structure that fails to verify.
 */
import type { CryptoSuite } from '../primitives/index.js';
import { encodeDeviceCertificateBody } from '../public/device-certificate.js';
import { encodeDeviceListBody, sortDeviceEntries, type DeviceListEntry } from '../public/device-list.js';
import { SIGNATURE_CONTEXT, signedMessage } from '../public/signature.js';
import { withSignature } from '../public/structure.js';
import type { AccountIdentity } from './account.js';
import type { DevicePublicKeys } from './device-keys.js';

/** The part of an account identity that signing needs. */
export type AccountSigner = Pick<AccountIdentity, 'accountSeed'>;

export interface DeviceListContent {
  /** Strictly greater than every version this account published before. */
  readonly version: number;
  /** Milliseconds since the Unix epoch (crypto never reads a clock). */
  readonly issuedAt: number;
  /** In any order; sorted by device id here. Duplicate ids are refused. */
  readonly devices: readonly DeviceListEntry[];
}

/** Certifies a device's public keys under the account key; returns the encoded certificate. */
export function issueDeviceCertificate(
  suite: CryptoSuite,
  account: AccountSigner,
  deviceId: number,
  deviceKeys: DevicePublicKeys,
  issuedAt: number,
): Uint8Array {
  const body = encodeDeviceCertificateBody({
    accountKey: suite.ed25519PublicKey(account.accountSeed),
    deviceId,
    deviceSigningKey: deviceKeys.signingKey,
    deviceIdentityKey: deviceKeys.identityDhKey,
    issuedAt,
  });
  return withSignature(body, suite.ed25519Sign(account.accountSeed, signedMessage(SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, body)));
}

/**
 * Signs a device list; returns the encoded list. Entries are sorted by device id so one set has
 * one encoding; duplicate ids (or an empty or oversized list) throw CRYPTO_ERR_INVALID_ENCODING.
 */
export function signDeviceList(suite: CryptoSuite, account: AccountSigner, content: DeviceListContent): Uint8Array {
  const body = encodeDeviceListBody({
    accountKey: suite.ed25519PublicKey(account.accountSeed),
    version: content.version,
    issuedAt: content.issuedAt,
    devices: sortDeviceEntries(content.devices),
  });
  return withSignature(body, suite.ed25519Sign(account.accountSeed, signedMessage(SIGNATURE_CONTEXT.DEVICE_LIST, body)));
}
