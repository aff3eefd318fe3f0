/**
 * Primitives backend on the audited noble packages (pure JavaScript).
 *
 * @noble/curves for X25519 (RFC 7748) and Ed25519 (RFC 8032, verified with `zip215: false` so the
 * strict RFC rules apply), @noble/ciphers for (X)ChaCha20-Poly1305, @noble/hashes for SHA-2, HMAC
 * and HKDF, @noble/post-quantum for ML-KEM-1024 (FIPS 203). noble is the only ML-KEM source, so the
 * libsodium backend borrows these ML-KEM functions.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { CryptoError, expectBytes } from '../errors.js';
import {
  AEAD_KEY_BYTES,
  CHACHA_NONCE_BYTES,
  ED25519_PUBLIC_KEY_BYTES,
  ED25519_SEED_BYTES,
  ED25519_SIGNATURE_BYTES,
  MLKEM1024_CIPHERTEXT_BYTES,
  MLKEM1024_PUBLIC_KEY_BYTES,
  MLKEM1024_SECRET_KEY_BYTES,
  MLKEM_SEED_BYTES,
  MLKEM_SHARED_SECRET_BYTES,
  X25519_KEY_BYTES,
  XCHACHA_NONCE_BYTES,
  type MlKemEncapsulation,
  type MlKemKeyPair,
  type PrimitiveBackend,
} from './backend.js';
import { isAllZero } from './bytes.js';

type AeadFactory = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
};

function aeadEncrypt(make: AeadFactory, nonceBytes: number, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  expectBytes(key, AEAD_KEY_BYTES, 'AEAD key');
  expectBytes(nonce, nonceBytes, 'AEAD nonce');
  return make(key, nonce, aad).encrypt(plaintext);
}

function aeadDecrypt(make: AeadFactory, nonceBytes: number, key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
  expectBytes(key, AEAD_KEY_BYTES, 'AEAD key');
  expectBytes(nonce, nonceBytes, 'AEAD nonce');
  try {
    // noble checks the Poly1305 tag before it decrypts (RFC 8439 §2.8) and returns nothing on failure.
    return make(key, nonce, aad).decrypt(ciphertext);
  } catch {
    throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED');
  }
}

export function mlkem1024KeyPair(seed: Uint8Array): MlKemKeyPair {
  expectBytes(seed, MLKEM_SEED_BYTES, 'ML-KEM seed');
  const { publicKey, secretKey } = ml_kem1024.keygen(seed);
  return { publicKey, secretKey };
}

export function mlkem1024Encapsulate(publicKey: Uint8Array, randomness: Uint8Array): MlKemEncapsulation {
  expectBytes(publicKey, MLKEM1024_PUBLIC_KEY_BYTES, 'ML-KEM-1024 public key');
  expectBytes(randomness, MLKEM_SHARED_SECRET_BYTES, 'ML-KEM encapsulation randomness');
  try {
    // FIPS 203 §7.2: the encapsulation key's modulus check runs inside noble and throws on failure.
    const { cipherText, sharedSecret } = ml_kem1024.encapsulate(publicKey, randomness);
    return { ciphertext: cipherText, sharedSecret };
  } catch {
    throw new CryptoError('CRYPTO_ERR_KEM_FAILED', 'encapsulation key failed the FIPS 203 §7.2 check');
  }
}

export function mlkem1024Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  expectBytes(ciphertext, MLKEM1024_CIPHERTEXT_BYTES, 'ML-KEM-1024 ciphertext');
  expectBytes(secretKey, MLKEM1024_SECRET_KEY_BYTES, 'ML-KEM-1024 secret key');
  try {
    // FIPS 203 §7.3: the decapsulation key's hash check runs inside noble and throws on failure.
    return ml_kem1024.decapsulate(ciphertext, secretKey);
  } catch {
    throw new CryptoError('CRYPTO_ERR_KEM_FAILED', 'decapsulation key failed the FIPS 203 §7.3 check');
  }
}

export const nobleBackend: PrimitiveBackend = {
  name: 'noble',

  x25519PublicKey(secretKey) {
    expectBytes(secretKey, X25519_KEY_BYTES, 'X25519 secret key');
    return x25519.getPublicKey(secretKey);
  },

  x25519(secretKey, publicKey) {
    expectBytes(secretKey, X25519_KEY_BYTES, 'X25519 secret key');
    expectBytes(publicKey, X25519_KEY_BYTES, 'X25519 public key');
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(secretKey, publicKey);
    } catch {
      // noble itself refuses an all-zero result; report it with our own code.
      throw new CryptoError('CRYPTO_ERR_LOW_ORDER_POINT');
    }
    // RFC 7748 §6.1: check for the all-zero value and abort if so.
    if (isAllZero(shared)) throw new CryptoError('CRYPTO_ERR_LOW_ORDER_POINT');
    return shared;
  },

  ed25519PublicKey(seed) {
    expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
    return ed25519.getPublicKey(seed);
  },

  ed25519Sign(seed, message) {
    expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
    return ed25519.sign(message, seed);
  },

  ed25519Verify(signature, message, publicKey) {
    if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES) return false;
    try {
      // RFC 8032 §5.1.7 with canonical S and A required (zip215: false = strict, as Wycheproof expects).
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },

  xchacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt(xchacha20poly1305, XCHACHA_NONCE_BYTES, k, n, p, a),
  xchacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt(xchacha20poly1305, XCHACHA_NONCE_BYTES, k, n, c, a),
  chacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt(chacha20poly1305, CHACHA_NONCE_BYTES, k, n, p, a),
  chacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt(chacha20poly1305, CHACHA_NONCE_BYTES, k, n, c, a),

  sha256: (data) => sha256(data),
  sha512: (data) => sha512(data),
  hmacSha256: (key, data) => hmac(sha256, key, data),

  hkdfSha256(ikm, salt, info, length) {
    if (!Number.isInteger(length) || length < 1 || length > 255 * 32) {
      throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `HKDF output length ${length} outside 1..8160 (RFC 5869 §2.3)`);
    }
    return hkdf(sha256, ikm, salt, info, length);
  },

  mlkem1024KeyPair,
  mlkem1024Encapsulate,
  mlkem1024Decapsulate,
};
