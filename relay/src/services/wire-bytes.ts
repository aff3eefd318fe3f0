/**
 * Encoding and decoding binary wire fields, and mapping crypto-package failures onto relay error
 * codes, so a client sees RELAY_ERR_* codes only (signature failures answer 422 as in
 * Signal-Server).
 *
 * The wire format is unpadded base64url, exactly as toBase64Url/fromBase64Url in
 * @sealpost/crypto write and read it. Those are plain JavaScript (they must run in browsers too);
 * the relay encodes and decodes every ciphertext it passes on, so it uses Node's native codec,
 * which is several times faster on a message-sized field.
 */
import { CryptoError } from '@sealpost/crypto/public';
import { RelayError } from '../errors.js';

/** Unpadded base64url of `bytes`. */
export function encodeField(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
}

/** Strict unpadded base64url decode; RELAY_ERR_INVALID_ENCODING names the field. */
export function decodeField(text: string, field: string): Uint8Array {
  // Node's decoder skips characters outside the alphabet and accepts padding and non-zero
  // trailing bits; only text that encodes back to itself is canonical unpadded base64url.
  const decoded = Buffer.from(text, 'base64url');
  if (decoded.toString('base64url') !== text) {
    throw new RelayError('RELAY_ERR_INVALID_ENCODING', `${field}: not canonical unpadded base64url`, { field });
  }
  return new Uint8Array(decoded.buffer, decoded.byteOffset, decoded.byteLength);
}

/** Runs a crypto check, turning CryptoError into the matching RelayError. */
export function checked<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (!(error instanceof CryptoError)) throw error;
    if (error.code === 'CRYPTO_ERR_BAD_SIGNATURE') throw new RelayError('RELAY_ERR_BAD_SIGNATURE', field, { field });
    if (error.code === 'CRYPTO_ERR_STALE_VERSION') throw new RelayError('RELAY_ERR_DEVICE_LIST_VERSION', field, { field });
    throw new RelayError('RELAY_ERR_INVALID_ENCODING', `${field}: ${error.code}`, { field });
  }
}
