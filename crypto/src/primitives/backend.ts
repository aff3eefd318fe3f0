/**
 * The primitives interface every backend implements.
 *
 * Sealpost uses exactly these primitives: X25519 (RFC 7748), Ed25519 (RFC 8032, strict
 * verification), XChaCha20-Poly1305 and ChaCha20-Poly1305 (RFC 8439 / draft-irtf-cfrg-xchacha),
 * HKDF-SHA-256 (RFC 5869), HMAC-SHA-256 (RFC 2104 / 4231), SHA-256/512 (FIPS 180-4) and
 * ML-KEM-1024 (FIPS 203). Randomness is never drawn inside a backend: callers pass seeds and
 * nonces, so the protocol is deterministic under an injected RNG (golden transcripts need that).
 */

export type BackendName = 'libsodium' | 'noble';

export interface MlKemKeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

export interface MlKemEncapsulation {
  readonly ciphertext: Uint8Array;
  readonly sharedSecret: Uint8Array;
}

/** An incremental SHA-256 (FIPS 180-4): feed the input in any split, then take the digest once. */
export interface Sha256Hasher {
  /** Hashes the next bytes (any length, including none). */
  update(data: Uint8Array): void;
  /**
   * The 32-byte digest of everything passed to `update`. The hasher is spent afterwards: a further
   * `update` or `digest` throws CRYPTO_ERR_INVALID_PARAMETER (in both backends).
   */
  digest(): Uint8Array;
}

export interface PrimitiveBackend {
  readonly name: BackendName;

  /** X25519 public key for a 32-byte secret (RFC 7748 §6.1). */
  x25519PublicKey(secretKey: Uint8Array): Uint8Array;
  /** X25519 shared secret; throws CRYPTO_ERR_LOW_ORDER_POINT when it is all zero (RFC 7748 §6.1). */
  x25519(secretKey: Uint8Array, publicKey: Uint8Array): Uint8Array;

  /** Ed25519 public key for a 32-byte seed (RFC 8032 §5.1.5). */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array;
  /**
   * Strict verification (RFC 8032 §5.1.7, no ZIP-215 leniency): false for any invalid signature or
   * key, including wrong sizes; throws CRYPTO_ERR_INVALID_LENGTH only when an argument is not bytes.
   */
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;

  /** XChaCha20-Poly1305: 32-byte key, 24-byte nonce; output is ciphertext || 16-byte tag. */
  xchacha20poly1305Encrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** Verifies the tag before releasing anything; throws CRYPTO_ERR_DECRYPT_FAILED. */
  xchacha20poly1305Decrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array;
  /** ChaCha20-Poly1305 (RFC 8439 §2.8): 32-byte key, 12-byte nonce. */
  chacha20poly1305Encrypt(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array;
  chacha20poly1305Decrypt(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, aad: Uint8Array): Uint8Array;

  sha256(data: Uint8Array): Uint8Array;
  /** A fresh incremental SHA-256; equals `sha256` of the concatenated input for any split. */
  sha256Hasher(): Sha256Hasher;
  sha512(data: Uint8Array): Uint8Array;
  hmacSha256(key: Uint8Array, data: Uint8Array): Uint8Array;
  /** HKDF-SHA-256 extract-then-expand (RFC 5869 §2); length at most 255 * 32. */
  hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array;

  /** ML-KEM-1024 key pair from a 64-byte seed (d || z, FIPS 203 §7.1). */
  mlkem1024KeyPair(seed: Uint8Array): MlKemKeyPair;
  /** Encapsulation with 32 bytes of caller randomness m (FIPS 203 §7.2, with input checks). */
  mlkem1024Encapsulate(publicKey: Uint8Array, randomness: Uint8Array): MlKemEncapsulation;
  /** Decapsulation (FIPS 203 §7.3, with input checks); implicit rejection on a bad ciphertext. */
  mlkem1024Decapsulate(ciphertext: Uint8Array, secretKey: Uint8Array): Uint8Array;
}

/** The name of one operation of {@link PrimitiveBackend} (every member except `name`). */
export type PrimitiveOperation = Exclude<keyof PrimitiveBackend, 'name'>;

export const X25519_KEY_BYTES = 32;
export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;
export const AEAD_KEY_BYTES = 32;
export const XCHACHA_NONCE_BYTES = 24;
export const CHACHA_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;
export const MLKEM1024_PUBLIC_KEY_BYTES = 1568;
export const MLKEM1024_SECRET_KEY_BYTES = 3168;
export const MLKEM1024_CIPHERTEXT_BYTES = 1568;
export const MLKEM_SEED_BYTES = 64;
export const MLKEM_SHARED_SECRET_BYTES = 32;
