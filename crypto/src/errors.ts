/**
 * The one table of crypto-package errors.
 *
 * Every failure the protocol reports carries a stable `CRYPTO_ERR_*` code from this table and its
 * message. `docs/errors.md` is generated from these tables and a test keeps the two equal, so add
 * new codes here (with a message a user can act on) rather than throwing bare Errors.
 */

export const CRYPTO_ERRORS = {
  CRYPTO_ERR_INVALID_LENGTH: 'An input has the wrong length.',
  CRYPTO_ERR_INVALID_ENCODING: 'An encoded structure is malformed.',
  CRYPTO_ERR_UNSUPPORTED_VERSION: 'An encoded structure has an unknown version byte.',
  CRYPTO_ERR_WRONG_KEY_TYPE: 'A key has the wrong type byte for where it is used.',
  CRYPTO_ERR_LOW_ORDER_POINT: 'X25519 produced an all-zero shared secret (low-order peer key).',
  CRYPTO_ERR_BAD_SIGNATURE: 'A signature does not verify.',
  CRYPTO_ERR_DECRYPT_FAILED: 'Authentication failed: the ciphertext or its associated data was altered, or the key is wrong.',
  CRYPTO_ERR_KEM_FAILED: 'ML-KEM encapsulation or decapsulation input is invalid.',
  CRYPTO_ERR_STALE_VERSION: 'A signed structure has a version that is not newer than the one already accepted.',
  CRYPTO_ERR_INVALID_ACCOUNT_ID: 'An account id is malformed or its checksum does not match.',
  CRYPTO_ERR_UNKNOWN_DEVICE: 'A device is not on the account\'s signed device list.',
  CRYPTO_ERR_NOT_INITIALIZED: 'The crypto backend was used before it finished loading.',
  CRYPTO_ERR_INVALID_PARAMETER: 'A cost or size parameter is outside its allowed range.',
  CRYPTO_ERR_ARGON2ID_FAILED: 'Argon2id key derivation failed (most often: not enough memory for the requested memory limit).',
  CRYPTO_ERR_NO_SESSION: 'There is no session with this device that can handle the message; a new session must be set up.',
  CRYPTO_ERR_DUPLICATE_MESSAGE: 'The message was already decrypted (or its key was discarded); duplicates and replays are refused.',
  CRYPTO_ERR_TOO_MANY_SKIPPED: 'The message is too far ahead in its chain (more than MAX_SKIP skipped messages); it was refused.',
  CRYPTO_ERR_UNKNOWN_PREKEY: 'A prekey message names a signed, one-time or KEM prekey that this device does not have (used up or never issued).',
  CRYPTO_ERR_REPLAYED_PREKEY_MESSAGE: 'A prekey message on the last-resort KEM prekey was already accepted once; the replay was refused.',
  CRYPTO_ERR_UNTRUSTED_IDENTITY: 'The peer\'s identity key differs from the one expected for this account and device.',
  CRYPTO_ERR_WRONG_PEER: 'A prekey bundle or session belongs to a different account or device than the one addressed.',
  CRYPTO_ERR_MEDIA_TRUNCATED: 'The media stream ended before its final chunk: the download or upload was cut short.',
  CRYPTO_ERR_MEDIA_CORRUPT: 'A media chunk failed authentication: the file was altered or reordered, or the key or header is wrong.',
  CRYPTO_ERR_MEDIA_DIGEST_MISMATCH: 'The downloaded media does not match the SHA-256 digest in its pointer; nothing was decrypted.',
  CRYPTO_ERR_MEDIA_SIZE_MISMATCH: 'The media size differs from the size declared for it.',
  CRYPTO_ERR_MEDIA_STREAM_CLOSED: 'The media stream was already finished or failed; start a new one.',
} as const;

export type CryptoErrorCode = keyof typeof CRYPTO_ERRORS;

/** An error with a stable code from {@link CRYPTO_ERRORS}; `detail` names what was wrong. */
export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, detail?: string) {
    super(detail === undefined ? CRYPTO_ERRORS[code] : `${CRYPTO_ERRORS[code]} (${detail})`);
    this.name = 'CryptoError';
    this.code = code;
  }
}

/** Throws CRYPTO_ERR_INVALID_LENGTH unless `value` is a Uint8Array of exactly `length` bytes. */
export function expectBytes(value: Uint8Array, length: number | undefined, label: string): Uint8Array {
  if (!(value instanceof Uint8Array)) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `${label}: expected bytes`);
  }
  if (length !== undefined && value.length !== length) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `${label}: expected ${length} bytes, got ${value.length}`);
  }
  return value;
}
