/**
 * Primitives backend on libsodium (WebAssembly, through `_sodium.ts`).
 *
 * X25519 with crypto_scalarmult (RFC 7748), Ed25519 from a 32-byte seed with
 * crypto_sign_seed_keypair / crypto_sign_detached / crypto_sign_verify_detached (RFC 8032; libsodium
 * verifies strictly), crypto_aead_(x)chacha20poly1305_ietf (RFC 8439, draft-irtf-cfrg-xchacha-03),
 * crypto_hash_sha256/512 and the incremental crypto_hash_sha256_init/update/final (FIPS 180-4), crypto_auth_hmacsha256 (RFC 2104) and HKDF-SHA-256 built on
 * that HMAC (RFC 5869 §2.2–2.3; libsodium.js exports no HKDF function). libsodium has no ML-KEM, so
 * ML-KEM-1024 (FIPS 203) comes from the noble backend's functions.
 *
 * Every input is checked before it crosses into WebAssembly, with the same checks and error codes
 * as the noble backend (./checks.ts), so the two backends are interchangeable.
 */
import type { Sodium } from '../_sodium.js';
import { CryptoError, expectBytes } from '../errors.js';
import {
  CHACHA_NONCE_BYTES,
  ED25519_SEED_BYTES,
  X25519_KEY_BYTES,
  XCHACHA_NONCE_BYTES,
  type PrimitiveBackend,
  type Sha256Hasher,
} from './backend.js';
import { checkAeadInputs, checkData, checkHkdfLength, ed25519VerifyInputsWellSized, spentHasher, x25519RejectingLowOrder } from './checks.js';
import { mlkem1024Decapsulate, mlkem1024Encapsulate, mlkem1024KeyPair } from './noble.js';

const SHA256_BYTES = 32;

/** Builds the backend over an initialised libsodium instance (see `getSodium()`). */
export function createLibsodiumBackend(sodium: Sodium): PrimitiveBackend {
  function hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array {
    // crypto_auth_hmacsha256 takes only 32-byte keys; the init/update/final form takes any length
    // and hashes keys longer than the block first (RFC 2104 §2), so both give standard HMAC.
    if (key.length === sodium.crypto_auth_hmacsha256_KEYBYTES) return sodium.crypto_auth_hmacsha256(data, key);
    const state = sodium.crypto_auth_hmacsha256_init(key);
    sodium.crypto_auth_hmacsha256_update(state, data);
    return sodium.crypto_auth_hmacsha256_final(state);
  }

  function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
    // RFC 5869 §2.2 HKDF-Extract: PRK = HMAC-Hash(salt, IKM); an absent salt is HashLen zero bytes.
    const prk = hmacSha256(salt.length === 0 ? new Uint8Array(SHA256_BYTES) : salt, ikm);
    // RFC 5869 §2.3 HKDF-Expand: T(i) = HMAC-Hash(PRK, T(i-1) || info || i), OKM = first L bytes.
    const okm = new Uint8Array(length);
    const block = new Uint8Array(SHA256_BYTES + info.length + 1);
    let previous: Uint8Array = new Uint8Array(0);
    for (let counter = 1, offset = 0; offset < length; counter++) {
      const input = block.subarray(SHA256_BYTES - previous.length);
      input.set(previous, 0);
      input.set(info, previous.length);
      input[input.length - 1] = counter;
      sodium.memzero(previous);
      previous = hmacSha256(prk, input);
      okm.set(previous.subarray(0, Math.min(SHA256_BYTES, length - offset)), offset);
      offset += SHA256_BYTES;
    }
    sodium.memzero(previous);
    sodium.memzero(block);
    sodium.memzero(prk);
    return okm;
  }

  function aeadEncrypt(kind: 'xchacha' | 'chacha', key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
    checkAeadInputs(key, nonce, kind === 'xchacha' ? XCHACHA_NONCE_BYTES : CHACHA_NONCE_BYTES, plaintext, aad);
    return kind === 'xchacha'
      ? sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, key)
      : sodium.crypto_aead_chacha20poly1305_ietf_encrypt(plaintext, aad, null, nonce, key);
  }

  function aeadDecrypt(kind: 'xchacha' | 'chacha', key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
    checkAeadInputs(key, nonce, kind === 'xchacha' ? XCHACHA_NONCE_BYTES : CHACHA_NONCE_BYTES, ciphertext, aad);
    try {
      // libsodium computes and compares the Poly1305 tag (in constant time) before it decrypts
      // anything (RFC 8439 §2.8), and throws on a mismatch or a ciphertext shorter than the tag.
      return kind === 'xchacha'
        ? sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, ciphertext, aad, nonce, key)
        : sodium.crypto_aead_chacha20poly1305_ietf_decrypt(null, ciphertext, aad, nonce, key);
    } catch {
      throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED');
    }
  }

  return {
    name: 'libsodium',

    x25519PublicKey(secretKey) {
      expectBytes(secretKey, X25519_KEY_BYTES, 'X25519 secret key');
      return sodium.crypto_scalarmult_base(secretKey);
    },

    x25519: (secretKey, publicKey) => x25519RejectingLowOrder(secretKey, publicKey, (s, p) => sodium.crypto_scalarmult(s, p)),

    ed25519PublicKey(seed) {
      expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
      const { publicKey, privateKey } = sodium.crypto_sign_seed_keypair(seed);
      sodium.memzero(privateKey);
      return publicKey;
    },

    ed25519Sign(seed, message) {
      expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
      checkData(message, 'Ed25519 message');
      // RFC 8032 §5.1.5–5.1.6: the 64-byte libsodium secret key is seed || public key, derived here
      // and wiped after use so only the caller's seed remains.
      const { privateKey } = sodium.crypto_sign_seed_keypair(seed);
      try {
        return sodium.crypto_sign_detached(message, privateKey);
      } finally {
        sodium.memzero(privateKey);
      }
    },

    ed25519Verify(signature, message, publicKey) {
      if (!ed25519VerifyInputsWellSized(signature, message, publicKey)) return false;
      try {
        // RFC 8032 §5.1.7, strict: libsodium rejects S >= L, non-canonical and small-order A and R
        // (the same verdicts as noble with zip215: false on every Wycheproof vector).
        return sodium.crypto_sign_verify_detached(signature, message, publicKey);
      } catch {
        return false;
      }
    },

    xchacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt('xchacha', k, n, p, a),
    xchacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt('xchacha', k, n, c, a),
    chacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt('chacha', k, n, p, a),
    chacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt('chacha', k, n, c, a),

    sha256(data) {
      checkData(data, 'SHA-256 input');
      return sodium.crypto_hash_sha256(data);
    },

    sha256Hasher(): Sha256Hasher {
      // crypto_hash_sha256_init allocates the 104-byte state inside the WebAssembly heap and
      // crypto_hash_sha256_final frees it, so a hasher that is dropped without `digest()` keeps
      // those bytes; the media code takes the digest on its failure paths too.
      let state: ReturnType<Sodium['crypto_hash_sha256_init']> | undefined = sodium.crypto_hash_sha256_init();
      return {
        update(data) {
          checkData(data, 'SHA-256 input');
          if (state === undefined) spentHasher();
          sodium.crypto_hash_sha256_update(state, data);
        },
        digest() {
          if (state === undefined) spentHasher();
          const out = sodium.crypto_hash_sha256_final(state);
          state = undefined;
          return out;
        },
      };
    },

    sha512(data) {
      checkData(data, 'SHA-512 input');
      return sodium.crypto_hash_sha512(data);
    },

    hmacSha256(key, data) {
      checkData(key, 'HMAC key');
      checkData(data, 'HMAC data');
      return hmacSha256(key, data);
    },

    hkdfSha256(ikm, salt, info, length) {
      checkData(ikm, 'HKDF input key material');
      checkData(salt, 'HKDF salt');
      checkData(info, 'HKDF info');
      checkHkdfLength(length);
      return hkdfSha256(ikm, salt, info, length);
    },

    // FIPS 203 ML-KEM is not in libsodium: the noble functions, with their input checks.
    mlkem1024KeyPair,
    mlkem1024Encapsulate,
    mlkem1024Decapsulate,
  };
}
