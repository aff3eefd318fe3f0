/**
 * Primitives backend on the audited noble packages (pure JavaScript).
 *
 * @noble/curves for X25519 (RFC 7748) and Ed25519 (RFC 8032, verified with `zip215: false` so the
 * strict RFC rules apply), @noble/ciphers for (X)ChaCha20-Poly1305 (RFC 8439,
 * draft-irtf-cfrg-xchacha-03), @noble/hashes for SHA-2 (FIPS 180-4), HMAC (RFC 2104) and HKDF
 * (RFC 5869), @noble/post-quantum for ML-KEM-1024 (FIPS 203). noble is the only ML-KEM source, so
 * the libsodium backend borrows the ML-KEM functions exported here.
 */
import { ed25519, x25519 } from '@noble/curves/ed25519.js';
import { chacha20poly1305, xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { hmac } from '@noble/hashes/hmac.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { ml_kem1024 } from '@noble/post-quantum/ml-kem.js';
import { CryptoError, expectBytes } from '../errors.js';
import {
  CHACHA_NONCE_BYTES,
  ED25519_SEED_BYTES,
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
  type Sha256Hasher,
} from './backend.js';
import { checkAeadInputs, checkData, checkHkdfLength, ed25519VerifyInputsWellSized, spentHasher, x25519RejectingLowOrder } from './checks.js';

type AeadFactory = (key: Uint8Array, nonce: Uint8Array, aad?: Uint8Array) => {
  encrypt(plaintext: Uint8Array): Uint8Array;
  decrypt(ciphertext: Uint8Array): Uint8Array;
};

function aeadEncrypt(make: AeadFactory, nonceBytes: number, key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array {
  checkAeadInputs(key, nonce, nonceBytes, plaintext, aad);
  return make(key, nonce, aad).encrypt(plaintext);
}

function aeadDecrypt(make: AeadFactory, nonceBytes: number, key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array {
  checkAeadInputs(key, nonce, nonceBytes, ciphertext, aad);
  try {
    // noble checks the Poly1305 tag before it decrypts (RFC 8439 §2.8) and returns nothing on
    // failure; a ciphertext shorter than the tag fails the same way.
    return make(key, nonce, aad).decrypt(ciphertext);
  } catch {
    throw new CryptoError('CRYPTO_ERR_DECRYPT_FAILED');
  }
}

export function mlkem1024KeyPair(seed: Uint8Array): MlKemKeyPair {
  // FIPS 203 §7.1 ML-KEM.KeyGen_internal(d, z): the 64-byte seed is d || z.
  expectBytes(seed, MLKEM_SEED_BYTES, 'ML-KEM seed');
  const { publicKey, secretKey } = ml_kem1024.keygen(seed);
  return { publicKey, secretKey };
}

export function mlkem1024Encapsulate(publicKey: Uint8Array, randomness: Uint8Array): MlKemEncapsulation {
  // FIPS 203 §7.2 input check 1 (type check): the encapsulation key is exactly 1568 bytes.
  expectBytes(publicKey, MLKEM1024_PUBLIC_KEY_BYTES, 'ML-KEM-1024 public key');
  expectBytes(randomness, MLKEM_SHARED_SECRET_BYTES, 'ML-KEM encapsulation randomness');
  try {
    // FIPS 203 §7.2 input check 2 (modulus check): every coefficient of the encapsulation key must
    // be below q; noble runs it and throws on failure.
    const { cipherText, sharedSecret } = ml_kem1024.encapsulate(publicKey, randomness);
    return { ciphertext: cipherText, sharedSecret };
  } catch {
    throw new CryptoError('CRYPTO_ERR_KEM_FAILED', 'encapsulation key failed the FIPS 203 §7.2 modulus check');
  }
}

export function mlkem1024Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array {
  // FIPS 203 §7.3 input checks 1 and 2 (type checks): ciphertext 1568 bytes, key 3168 bytes.
  expectBytes(ciphertext, MLKEM1024_CIPHERTEXT_BYTES, 'ML-KEM-1024 ciphertext');
  expectBytes(secretKey, MLKEM1024_SECRET_KEY_BYTES, 'ML-KEM-1024 secret key');
  try {
    // FIPS 203 §7.3 input check 3 (hash check): H(ek) stored in the decapsulation key must match
    // its ek; noble runs it and throws on failure. A bad ciphertext is not an error: implicit
    // rejection returns a pseudorandom key (FIPS 203 §6.3).
    return ml_kem1024.decapsulate(ciphertext, secretKey);
  } catch {
    throw new CryptoError('CRYPTO_ERR_KEM_FAILED', 'decapsulation key failed the FIPS 203 §7.3 hash check');
  }
}

export const nobleBackend: PrimitiveBackend = {
  name: 'noble',

  x25519PublicKey(secretKey) {
    expectBytes(secretKey, X25519_KEY_BYTES, 'X25519 secret key');
    return x25519.getPublicKey(secretKey);
  },

  x25519: (secretKey, publicKey) => x25519RejectingLowOrder(secretKey, publicKey, (s, p) => x25519.getSharedSecret(s, p)),

  ed25519PublicKey(seed) {
    expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
    return ed25519.getPublicKey(seed);
  },

  ed25519Sign(seed, message) {
    expectBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
    checkData(message, 'Ed25519 message');
    return ed25519.sign(message, seed);
  },

  ed25519Verify(signature, message, publicKey) {
    if (!ed25519VerifyInputsWellSized(signature, message, publicKey)) return false;
    try {
      // RFC 8032 §5.1.7 with canonical S (S < L) and canonical A and R required: zip215: false is
      // the strict mode Wycheproof expects (ZIP-215 would accept non-canonical encodings).
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },

  xchacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt(xchacha20poly1305, XCHACHA_NONCE_BYTES, k, n, p, a),
  xchacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt(xchacha20poly1305, XCHACHA_NONCE_BYTES, k, n, c, a),
  chacha20poly1305Encrypt: (k, n, p, a) => aeadEncrypt(chacha20poly1305, CHACHA_NONCE_BYTES, k, n, p, a),
  chacha20poly1305Decrypt: (k, n, c, a) => aeadDecrypt(chacha20poly1305, CHACHA_NONCE_BYTES, k, n, c, a),

  sha256(data) {
    checkData(data, 'SHA-256 input');
    return sha256(data);
  },

  sha256Hasher(): Sha256Hasher {
    let hash: ReturnType<typeof sha256.create> | undefined = sha256.create();
    return {
      update(data) {
        checkData(data, 'SHA-256 input');
        if (hash === undefined) spentHasher();
        hash.update(data);
      },
      digest() {
        if (hash === undefined) spentHasher();
        const out = hash.digest();
        hash = undefined;
        return out;
      },
    };
  },

  sha512(data) {
    checkData(data, 'SHA-512 input');
    return sha512(data);
  },

  hmacSha256(key, data) {
    checkData(key, 'HMAC key');
    checkData(data, 'HMAC data');
    return hmac(sha256, key, data);
  },

  hkdfSha256(ikm, salt, info, length) {
    checkData(ikm, 'HKDF input key material');
    checkData(salt, 'HKDF salt');
    checkData(info, 'HKDF info');
    checkHkdfLength(length);
    return hkdf(sha256, ikm, salt, info, length);
  },

  mlkem1024KeyPair,
  mlkem1024Encapsulate,
  mlkem1024Decapsulate,
};
