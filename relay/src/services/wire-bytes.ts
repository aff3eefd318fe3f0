/**
 * Decoding binary wire fields and mapping crypto-package failures onto relay error codes, so a
 * client sees RELAY_ERR_* codes only (signature failures answer 422 as in Signal-Server).
 */
import { CryptoError, fromBase64Url } from '@sealpost/crypto/public';
import { RelayError } from '../errors.js';

/** Strict unpadded base64url decode; RELAY_ERR_INVALID_ENCODING names the field. */
export function decodeField(text: string, field: string): Uint8Array {
  try {
    return fromBase64Url(text, field);
  } catch {
    throw new RelayError('RELAY_ERR_INVALID_ENCODING', `${field}: not canonical unpadded base64url`, { field });
  }
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
