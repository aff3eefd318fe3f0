/**
 * Device addresses (account id, device id): validation and their exact binary encoding
 * `u8 length || UTF-8 account id || u32 device id`, used inside the PQXDH associated data
 * (PQXDH §3.3 AD, extended with both parties' account and device ids) and in session records.
 */
import { CryptoError } from '../errors.js';
import { decodeUtf8Strict, utf8 } from '../primitives/bytes.js';
import type { ByteReader, ByteWriter } from '../public/bytes-io.js';
import { MAX_ACCOUNT_ID_BYTES } from './constants.js';
import type { DeviceAddress } from './types.js';

/** Checks an address and returns the account id's UTF-8 bytes. */
export function checkDeviceAddress(address: DeviceAddress, label: string): Uint8Array {
  if (typeof address.accountId !== 'string' || address.accountId.length === 0) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: account id must be a non-empty string`);
  }
  const bytes = utf8(address.accountId);
  if (bytes.length > MAX_ACCOUNT_ID_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: account id longer than ${MAX_ACCOUNT_ID_BYTES} UTF-8 bytes`);
  }
  checkDeviceId(address.deviceId, label);
  return bytes;
}

export function checkDeviceId(deviceId: number, label: string): void {
  if (!Number.isInteger(deviceId) || deviceId < 0 || deviceId > 0xffffffff) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: device id must be a u32`);
  }
}

export function checkKeyId(keyId: number, label: string): void {
  if (!Number.isInteger(keyId) || keyId < 0 || keyId > 0xffffffff) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: key id must be a u32`);
  }
}

export function writeDeviceAddress(writer: ByteWriter, address: DeviceAddress, label: string): void {
  const accountBytes = checkDeviceAddress(address, label);
  writer.u8(accountBytes.length).raw(accountBytes).u32(address.deviceId);
}


export function readDeviceAddress(reader: ByteReader, label: string): DeviceAddress {
  const length = reader.u8(`${label} account id length`);
  const bytes = reader.raw(length, `${label} account id`);
  const accountId = decodeUtf8Strict(bytes);
  if (accountId === undefined) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${label}: account id is not canonical UTF-8`);
  const deviceId = reader.u32(`${label} device id`);
  const address = { accountId, deviceId };
  checkDeviceAddress(address, label);
  return address;
}

export function sameAddress(a: DeviceAddress, b: DeviceAddress): boolean {
  return a.accountId === b.accountId && a.deviceId === b.deviceId;
}
