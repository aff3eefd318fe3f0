/**
 * Input checks shared by every primitives backend, so that libsodium and noble reject exactly the
 * same inputs with exactly the same {@link CryptoError} codes (the cross-check tests rely on it).
 *
 * Sizes follow the specs named at each check: RFC 7748 (X25519), RFC 8032 (Ed25519), RFC 8439 and
 * draft-irtf-cfrg-xchacha-03 (AEADs), RFC 5869 (HKDF), FIPS 203 (ML-KEM-1024).
 */
import { CryptoError, expectBytes } from '../errors.js';
import { AEAD_KEY_BYTES, ED25519_PUBLIC_KEY_BYTES, ED25519_SIGNATURE_BYTES, X25519_KEY_BYTES } from './backend.js';
import { isAllZero } from './bytes.js';

/** HKDF-SHA-256 output limit: 255 * HashLen (RFC 5869 §2.3). */
export const HKDF_SHA256_MAX_LENGTH = 255 * 32;

/** Any-length byte input (messages, associated data, HMAC keys, HKDF salt/info). */
export function checkData(value: Uint8Array, label: string): void {
  expectBytes(value, undefined, label);
}

/**
 * AEAD key and nonce (RFC 8439 §2.8: 256-bit key, 96-bit nonce; draft-irtf-cfrg-xchacha-03 §2:
 * 192-bit nonce) plus the byte type of the data and associated data.
 */
export function checkAeadInputs(key: Uint8Array, nonce: Uint8Array, nonceBytes: number, data: Uint8Array, aad: Uint8Array): void {
  expectBytes(key, AEAD_KEY_BYTES, 'AEAD key');
  expectBytes(nonce, nonceBytes, 'AEAD nonce');
  checkData(data, 'AEAD data');
  checkData(aad, 'AEAD associated data');
}

/** RFC 5869 §2.3: L <= 255 * HashLen; an empty output is refused as a caller bug. */
export function checkHkdfLength(length: number): void {
  if (!Number.isInteger(length) || length < 1 || length > HKDF_SHA256_MAX_LENGTH) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `HKDF output length ${length} outside 1..${HKDF_SHA256_MAX_LENGTH} (RFC 5869 §2.3)`);
  }
}

/**
 * Ed25519 verification inputs. A signature or key of the wrong size is an attacker-controlled
 * input, so it makes verification return false rather than throw (RFC 8032 §5.1.7 step 1: a
 * signature that does not decode is rejected); a non-byte argument is a caller bug and throws.
 * Returns true when the sizes are right and verification should go on.
 */
export function ed25519VerifyInputsWellSized(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  checkData(signature, 'Ed25519 signature');
  checkData(message, 'Ed25519 message');
  checkData(publicKey, 'Ed25519 public key');
  return signature.length === ED25519_SIGNATURE_BYTES && publicKey.length === ED25519_PUBLIC_KEY_BYTES;
}

/** The error both backends throw when a spent SHA-256 hasher is used again. */
export function spentHasher(): never {
  throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'this SHA-256 hasher already produced its digest');
}

/**
 * X25519 with the RFC 7748 §6.1 all-zero check, shared by both backends: checks the key sizes,
 * runs the backend's scalar multiplication, and refuses an all-zero result. A library that refuses
 * it itself (after the size checks, that is its only possible refusal) is reported the same way,
 * so the rule does not depend on one library's behaviour.
 */
export function x25519RejectingLowOrder(secretKey: Uint8Array, publicKey: Uint8Array, scalarMult: (secretKey: Uint8Array, publicKey: Uint8Array) => Uint8Array): Uint8Array {
  expectBytes(secretKey, X25519_KEY_BYTES, 'X25519 secret key');
  expectBytes(publicKey, X25519_KEY_BYTES, 'X25519 public key');
  let shared: Uint8Array;
  try {
    shared = scalarMult(secretKey, publicKey);
  } catch {
    throw new CryptoError('CRYPTO_ERR_LOW_ORDER_POINT');
  }
  if (isAllZero(shared)) throw new CryptoError('CRYPTO_ERR_LOW_ORDER_POINT');
  return shared;
}
