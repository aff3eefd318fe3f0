/**
 * Checking a downloaded ciphertext against its pointer before any plaintext is released
 * (docs/media.md "Download"): its size and SHA-256 must equal the pointer's, compared in constant
 * time. The CLI hashes the ciphertext as it downloads into a private temporary file (a
 * `createMediaDigestVerifier` fed by the download), and then decrypts that file; with
 * `decryptVerifiedMedia` the file is read twice — once to hash, once to decrypt. Either way a
 * swapped or damaged object yields no plaintext at all. Hashing uses the suite's incremental
 * SHA-256 (libsodium under 'auto').
 *
 * Hashing the ciphertext a second time while decrypting is redundant when the decrypted bytes are
 * the verified bytes: every chunk is authenticated under the pointer's key (payload key, counter
 * and last-chunk flag, ./media-decryptor.ts), so bytes altered by anyone without the file key fail
 * authentication (CRYPTO_ERR_MEDIA_CORRUPT or _TRUNCATED) before their plaintext is released.
 * `decryptMediaSource` therefore decrypts without hashing, for a caller that produced and
 * verified the bytes itself (the CLI: its own private temporary file, hashed as it was written).
 * `decryptVerifiedMedia` still hashes its second read: `open()` is the caller's, and if it ever
 * returned different bytes — a stream re-encrypted under the same key by the sender, i.e. a
 * file other than the one the pointer's digest commits to — only the digest can tell.
 * Pure: the caller supplies the bytes as (async) iterables, e.g. Node read streams.
 */
import type { CryptoSuite } from '../primitives/index.js';
import { CryptoError, expectBytes } from '../errors.js';
import { concatBytes, constantTimeEqual } from '../primitives/bytes.js';
import { MEDIA_DIGEST_BYTES } from './constants.js';
import { createMediaDecryptor } from './media-decryptor.js';
import type { MediaPointer } from './media-pointer.js';
import { mediaHasher, type MediaPrimitives } from './media-primitives.js';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface MediaDigestVerifier {
  /** Hashes the next bytes; refuses at once anything beyond the expected size. */
  push(bytes: Uint8Array): void;
  /** Throws unless exactly the expected size arrived with the expected digest. */
  finish(): void;
}

/**
 * Starts checking bytes against the pointer's size and digest, hashing with the injected SHA-256
 * (`primitives.sha256Hasher`, e.g. node:crypto's) or else the suite's.
 */
export function createMediaDigestVerifier(suite: CryptoSuite, expected: Pick<MediaPointer, 'digest' | 'ciphertextSize'>, primitives?: MediaPrimitives): MediaDigestVerifier {
  expectBytes(expected.digest, MEDIA_DIGEST_BYTES, 'media digest');
  const digest = new Uint8Array(expected.digest); // a copy even of a Buffer (whose .slice() is a view)
  const hash = mediaHasher(suite, primitives);
  let size = 0;
  let finished = false;
  return {
    push(bytes) {
      if (finished) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'media digest verifier already finished');
      expectBytes(bytes, undefined, 'media ciphertext');
      size += bytes.length;
      // Stop a runaway download early rather than hashing more than the pointer allows.
      if (size > expected.ciphertextSize) {
        finished = true;
        hash.digest(); // frees the hasher's state
        throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `more than the ${expected.ciphertextSize} ciphertext bytes the pointer declares`);
      }
      hash.update(bytes);
    },
    finish() {
      if (finished) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'media digest verifier already finished');
      finished = true;
      const actual = hash.digest();
      if (size !== expected.ciphertextSize) {
        throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `${size} ciphertext bytes, the pointer declares ${expected.ciphertextSize}`);
      }
      if (!constantTimeEqual(actual, digest)) throw new CryptoError('CRYPTO_ERR_MEDIA_DIGEST_MISMATCH');
    },
  };
}

/** Reads the whole source and checks its size and digest against the pointer. */
export async function verifyMediaCiphertext(suite: CryptoSuite, expected: Pick<MediaPointer, 'digest' | 'ciphertextSize'>, source: ByteSource, primitives?: MediaPrimitives): Promise<void> {
  const verifier = createMediaDigestVerifier(suite, expected, primitives);
  for await (const bytes of source) verifier.push(bytes);
  verifier.finish();
}

/**
 * Verifies, then decrypts: reads `open()` once to check size and digest and only then a second
 * time to decrypt, yielding plaintext chunk by chunk. `open` must give the same bytes each time
 * (a local temporary file); if they differ, the decryption's own digest check throws at the end
 * (see the module comment), so a caller writing plaintext out must delete it when this throws.
 */
export async function* decryptVerifiedMedia(
  suite: CryptoSuite,
  pointer: Pick<MediaPointer, 'key' | 'digest' | 'plaintextSize' | 'ciphertextSize'>,
  open: () => ByteSource,
  primitives?: MediaPrimitives,
): AsyncGenerator<Uint8Array, void, undefined> {
  await verifyMediaCiphertext(suite, pointer, open(), primitives);
  const decryptor = createMediaDecryptor(suite, pointer.key, undefined, { plaintextSize: pointer.plaintextSize, primitives });
  for await (const bytes of open()) {
    const plain = decryptor.push(bytes);
    if (plain.length > 0) yield plain;
  }
  const last = decryptor.finish();
  if (!constantTimeEqual(decryptor.digest(), pointer.digest)) {
    throw new CryptoError('CRYPTO_ERR_MEDIA_DIGEST_MISMATCH', 'the ciphertext changed between verification and decryption');
  }
  if (last.length > 0) yield last;
}

/**
 * Decrypts a ciphertext that the caller has already checked against the pointer's size and digest
 * (e.g. with a `createMediaDigestVerifier` fed while downloading), without hashing it again (see
 * the module comment). Only for bytes the caller verified and holds itself: start it after the
 * verifier's `finish()` returned, on the very bytes (or private file) that were verified.
 */
export async function* decryptMediaSource(
  suite: CryptoSuite,
  pointer: Pick<MediaPointer, 'key' | 'plaintextSize'>,
  source: ByteSource,
  primitives?: MediaPrimitives,
): AsyncGenerator<Uint8Array, void, undefined> {
  const decryptor = createMediaDecryptor(suite, pointer.key, undefined, { plaintextSize: pointer.plaintextSize, hashCiphertext: false, primitives });
  for await (const bytes of source) {
    const plain = decryptor.push(bytes);
    if (plain.length > 0) yield plain;
  }
  const last = decryptor.finish();
  if (last.length > 0) yield last;
}

/** One-shot form for small objects in memory: checks size and digest, then decrypts. */
export function decryptMedia(suite: CryptoSuite, pointer: Pick<MediaPointer, 'key' | 'digest' | 'plaintextSize' | 'ciphertextSize'>, ciphertext: Uint8Array): Uint8Array {
  const verifier = createMediaDigestVerifier(suite, pointer);
  verifier.push(ciphertext);
  verifier.finish();
  const decryptor = createMediaDecryptor(suite, pointer.key, undefined, { plaintextSize: pointer.plaintextSize, hashCiphertext: false });
  const first = decryptor.push(ciphertext);
  return concatBytes(first, decryptor.finish());
}
