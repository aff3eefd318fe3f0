/**
 * Signed device lists: the account's authoritative, versioned set of devices. Senders encrypt
 * only to devices on a list whose signature verifies, so the relay can hide a device (serve an
 * old list — caught by version pinning on the client) but can never add one.
 *
 * Layout (version 1): 0x01 || 0x11 || account key (typed, 33) || list version (u64) ||
 * issued at (u64 ms) || count (u16, 1..MAX_DEVICE_LIST_ENTRIES) || count × (device id (u32) ||
 * device signing key (typed, 33) || device identity DH key (typed X25519, 33)) || signature (64)
 * by the account key under context "Sealpost device list v1". Device ids are unique and ascending,
 * so a set has exactly one encoding.
 */
import { ByteWriter } from './bytes-io.js';
import { KEY_TYPE, decodePublicKey, encodePublicKey, encodedKeyLength } from './keys.js';
import { SIGNATURE_CONTEXT, type Ed25519Verifier } from './signature.js';
import { STRUCTURE_TYPE, STRUCTURE_VERSION, openStructure, verifyTrailingSignature } from './structure.js';
import { CryptoError } from '../errors.js';
import { constantTimeEqual } from '../primitives/bytes.js';

/** Upper bound of the encoding; relays enforce their own (smaller) configured maximum. */
export const MAX_DEVICE_LIST_ENTRIES = 100;

export interface DeviceListEntry {
  readonly deviceId: number;
  readonly deviceSigningKey: Uint8Array;
  readonly deviceIdentityKey: Uint8Array;
}

export interface DeviceListFields {
  readonly accountKey: Uint8Array;
  /** Strictly increasing per account; a list with a lower or equal version is refused. */
  readonly version: number;
  readonly issuedAt: number;
  readonly devices: readonly DeviceListEntry[];
}

export interface DeviceList extends DeviceListFields {
  readonly signature: Uint8Array;
  readonly bytes: Uint8Array;
}

function checkEntries(devices: readonly DeviceListEntry[]): void {
  if (devices.length < 1 || devices.length > MAX_DEVICE_LIST_ENTRIES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `device list: ${devices.length} devices, expected 1..${MAX_DEVICE_LIST_ENTRIES}`);
  }
  for (let i = 1; i < devices.length; i++) {
    if ((devices[i] as DeviceListEntry).deviceId <= (devices[i - 1] as DeviceListEntry).deviceId) {
      throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'device list: device ids must be unique and ascending');
    }
  }
}

/** The signed part of a device list. Entries must be sorted by device id (see sortDeviceEntries). */
export function encodeDeviceListBody(fields: DeviceListFields): Uint8Array {
  checkEntries(fields.devices);
  const writer = new ByteWriter()
    .u8(STRUCTURE_VERSION)
    .u8(STRUCTURE_TYPE.DEVICE_LIST)
    .raw(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, fields.accountKey))
    .u64(fields.version)
    .u64(fields.issuedAt)
    .u16(fields.devices.length);
  for (const d of fields.devices) {
    writer
      .u32(d.deviceId)
      .raw(encodePublicKey(KEY_TYPE.DEVICE_ED25519, d.deviceSigningKey))
      .raw(encodePublicKey(KEY_TYPE.X25519, d.deviceIdentityKey));
  }
  return writer.finish();
}

export function sortDeviceEntries(devices: readonly DeviceListEntry[]): DeviceListEntry[] {
  return [...devices].sort((a, b) => a.deviceId - b.deviceId);
}

export interface VerifyDeviceListOptions {
  /** The highest version already accepted; the new list must be strictly greater. */
  readonly afterVersion?: number;
  /** The Ed25519 verifier to use instead of noble (the client passes its suite's; see Ed25519Verifier). */
  readonly verify?: Ed25519Verifier;
}

/**
 * Decodes a device list and verifies it was signed by `accountKey` (and names that key), with a
 * version above `afterVersion` when given. Throws CRYPTO_ERR_BAD_SIGNATURE or
 * CRYPTO_ERR_STALE_VERSION.
 */
export function verifyDeviceList(bytes: Uint8Array, accountKey: Uint8Array, options: VerifyDeviceListOptions = {}): DeviceList {
  const what = 'device list';
  const reader = openStructure(bytes, STRUCTURE_TYPE.DEVICE_LIST, what);
  const namedKey = decodePublicKey(KEY_TYPE.ACCOUNT_ED25519, reader.raw(encodedKeyLength(KEY_TYPE.ACCOUNT_ED25519), 'account key'));
  const version = reader.u64('list version');
  const issuedAt = reader.u64('issued at');
  const count = reader.u16('device count');
  if (count < 1 || count > MAX_DEVICE_LIST_ENTRIES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${what}: ${count} devices, expected 1..${MAX_DEVICE_LIST_ENTRIES}`);
  }
  const devices: DeviceListEntry[] = [];
  for (let i = 0; i < count; i++) {
    const deviceId = reader.u32('device id');
    const deviceSigningKey = decodePublicKey(KEY_TYPE.DEVICE_ED25519, reader.raw(encodedKeyLength(KEY_TYPE.DEVICE_ED25519), 'device signing key'));
    const deviceIdentityKey = decodePublicKey(KEY_TYPE.X25519, reader.raw(encodedKeyLength(KEY_TYPE.X25519), 'device identity key'));
    devices.push({ deviceId, deviceSigningKey, deviceIdentityKey });
  }
  checkEntries(devices);
  if (!constantTimeEqual(namedKey, accountKey)) {
    throw new CryptoError('CRYPTO_ERR_BAD_SIGNATURE', 'device list is for another account');
  }
  const signature = verifyTrailingSignature(reader, SIGNATURE_CONTEXT.DEVICE_LIST, accountKey, what, options.verify);
  // Checked only after the signature: a forged list must never pass as merely "stale".
  if (options.afterVersion !== undefined && version <= options.afterVersion) {
    throw new CryptoError('CRYPTO_ERR_STALE_VERSION', `device list version ${version} is not above ${options.afterVersion}`);
  }
  return { accountKey: namedKey, version, issuedAt, devices, signature, bytes: bytes.slice() };
}
