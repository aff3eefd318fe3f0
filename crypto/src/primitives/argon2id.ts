/**
 * Argon2id password hashing (RFC 9106, version 0x13) on libsodium's crypto_pwhash with
 * ALG_ARGON2ID13, for deriving at-rest encryption keys from a passphrase.
 *
 * libsodium runs Argon2id with one lane (parallelism p = 1, RFC 9106 §3.1), no secret key K and no
 * associated data X; `memLimitBytes` is the memory size m in bytes (m KiB * 1024) and `opsLimit`
 * the number of passes t. noble has no fast Argon2id, so every backend choice takes it from here.
 * The parameters are checked up front so a bad call fails with a CryptoError instead of a
 * libsodium "invalid usage".
 */
import type { Sodium } from '../_sodium.js';
import { CryptoError, expectBytes } from '../errors.js';

/** Salt size libsodium requires (crypto_pwhash_SALTBYTES; RFC 9106 §3.1 recommends 16 bytes). */
export const ARGON2ID_SALT_BYTES = 16;
/** Shortest output libsodium produces (crypto_pwhash_BYTES_MIN). */
export const ARGON2ID_MIN_OUTPUT_BYTES = 16;
/** Longest output we hand out: this derives keys, not bulk data. */
export const ARGON2ID_MAX_OUTPUT_BYTES = 1024;
/** Fewest passes libsodium accepts for Argon2id (crypto_pwhash_argon2id_OPSLIMIT_MIN). */
export const ARGON2ID_MIN_OPS_LIMIT = 1;
/** t is a 32-bit field (RFC 9106 §3.1). */
export const ARGON2ID_MAX_OPS_LIMIT = 0xffff_ffff;
/** Least memory libsodium accepts (crypto_pwhash_argon2id_MEMLIMIT_MIN = 8 KiB). */
export const ARGON2ID_MIN_MEM_LIMIT_BYTES = 8 * 1024;
/**
 * Most memory we allow: 1 GiB (libsodium's MEMLIMIT_SENSITIVE). The WebAssembly heap stops at
 * 2 GiB, so larger values could never run.
 */
export const ARGON2ID_MAX_MEM_LIMIT_BYTES = 1024 * 1024 * 1024;

/**
 * Derives `length` bytes from `password` and a 16-byte `salt` with Argon2id (p = 1).
 * `opsLimit` is the pass count t; `memLimitBytes` the memory in bytes, a multiple of 1024.
 * Throws CRYPTO_ERR_INVALID_LENGTH (salt or output size), CRYPTO_ERR_INVALID_PARAMETER (cost
 * parameters) or CRYPTO_ERR_ARGON2ID_FAILED (libsodium refused, e.g. out of memory).
 */
export type Argon2idFunction = (
  password: Uint8Array,
  salt: Uint8Array,
  opsLimit: number,
  memLimitBytes: number,
  length: number,
) => Uint8Array;

function inRange(value: number, min: number, max: number): boolean {
  return Number.isSafeInteger(value) && value >= min && value <= max;
}

/** Builds the Argon2id function over an initialised libsodium instance (see `getSodium()`). */
export function createArgon2id(sodium: Sodium): Argon2idFunction {
  return (password, salt, opsLimit, memLimitBytes, length) => {
    expectBytes(password, undefined, 'Argon2id password');
    expectBytes(salt, ARGON2ID_SALT_BYTES, 'Argon2id salt');
    if (!inRange(length, ARGON2ID_MIN_OUTPUT_BYTES, ARGON2ID_MAX_OUTPUT_BYTES)) {
      throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `Argon2id output length ${length} outside ${ARGON2ID_MIN_OUTPUT_BYTES}..${ARGON2ID_MAX_OUTPUT_BYTES}`);
    }
    if (!inRange(opsLimit, ARGON2ID_MIN_OPS_LIMIT, ARGON2ID_MAX_OPS_LIMIT)) {
      throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', `Argon2id opsLimit ${opsLimit} outside ${ARGON2ID_MIN_OPS_LIMIT}..${ARGON2ID_MAX_OPS_LIMIT}`);
    }
    // RFC 9106 §3.1 counts memory in KiB; requiring whole KiB keeps the parameter exact (libsodium
    // would silently round down) and portable to other implementations.
    if (!inRange(memLimitBytes, ARGON2ID_MIN_MEM_LIMIT_BYTES, ARGON2ID_MAX_MEM_LIMIT_BYTES) || memLimitBytes % 1024 !== 0) {
      throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', `Argon2id memLimitBytes ${memLimitBytes} must be a multiple of 1024 in ${ARGON2ID_MIN_MEM_LIMIT_BYTES}..${ARGON2ID_MAX_MEM_LIMIT_BYTES}`);
    }
    try {
      return sodium.crypto_pwhash(length, password, salt, opsLimit, memLimitBytes, sodium.crypto_pwhash_ALG_ARGON2ID13);
    } catch {
      throw new CryptoError('CRYPTO_ERR_ARGON2ID_FAILED');
    }
  };
}
