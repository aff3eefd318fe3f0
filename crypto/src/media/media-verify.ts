/**
 * Checking a downloaded ciphertext against its pointer before any plaintext is released
 * (docs/media.md "Download"): its size and SHA-256 must equal the pointer's, compared in constant
 * time. The CLI downloads to a temporary file, and `decryptVerifiedMedia` then reads it twice —
 * once to hash, once to decrypt — so a swapped or damaged object yields no plaintext at all.
 * Pure: the caller supplies the bytes as (async) iterables, e.g. Node read streams.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoSuite } from '../primitives/index.js';
import { CryptoError, expectBytes } from '../errors.js';
import { concatBytes, constantTimeEqual } from '../primitives/bytes.js';
import { MEDIA_DIGEST_BYTES } from './constants.js';
import { createMediaDecryptor } from './media-decryptor.js';
import type { MediaPointer } from './media-pointer.js';

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface MediaDigestVerifier {
  /** Hashes the next bytes; refuses at once anything beyond the expected size. */
  push(bytes: Uint8Array): void;
  /** Throws unless exactly the expected size arrived with the expected digest. */
  finish(): void;
}

export function createMediaDigestVerifier(expected: Pick<MediaPointer, 'digest' | 'ciphertextSize'>): MediaDigestVerifier {
  expectBytes(expected.digest, MEDIA_DIGEST_BYTES, 'media digest');
  const digest = expected.digest.slice();
  const hash = sha256.create();
  let size = 0;
  let finished = false;
  return {
    push(bytes) {
      if (finished) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'media digest verifier already finished');
      expectBytes(bytes, undefined, 'media ciphertext');
      size += bytes.length;
      // Stop a runaway download early rather than hashing more than the pointer allows.
      if (size > expected.ciphertextSize) {
        throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `more than the ${expected.ciphertextSize} ciphertext bytes the pointer declares`);
      }
      hash.update(bytes);
    },
    finish() {
      if (finished) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'media digest verifier already finished');
      finished = true;
      if (size !== expected.ciphertextSize) {
        throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `${size} ciphertext bytes, the pointer declares ${expected.ciphertextSize}`);
      }
      if (!constantTimeEqual(hash.digest(), digest)) throw new CryptoError('CRYPTO_ERR_MEDIA_DIGEST_MISMATCH');
    },
  };
}

/** Reads the whole source and checks its size and digest against the pointer. */
export async function verifyMediaCiphertext(expected: Pick<MediaPointer, 'digest' | 'ciphertextSize'>, source: ByteSource): Promise<void> {
  const verifier = createMediaDigestVerifier(expected);
  for await (const bytes of source) verifier.push(bytes);
  verifier.finish();
}

/**
 * Verifies, then decrypts: reads `open()` once to check size and digest and only then a second
 * time to decrypt, yielding plaintext chunk by chunk. `open` must give the same bytes each time
 * (a local temporary file); if they differ, the decryption's own digest check throws at the end,
 * so a caller writing plaintext out must delete it when this throws.
 */
export async function* decryptVerifiedMedia(
  suite: CryptoSuite,
  pointer: Pick<MediaPointer, 'key' | 'digest' | 'plaintextSize' | 'ciphertextSize'>,
  open: () => ByteSource,
): AsyncGenerator<Uint8Array, void, undefined> {
  await verifyMediaCiphertext(pointer, open());
  const decryptor = createMediaDecryptor(suite, pointer.key, undefined, { plaintextSize: pointer.plaintextSize });
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

/** One-shot form for small objects in memory: checks size and digest, then decrypts. */
export function decryptMedia(suite: CryptoSuite, pointer: Pick<MediaPointer, 'key' | 'digest' | 'plaintextSize' | 'ciphertextSize'>, ciphertext: Uint8Array): Uint8Array {
  const verifier = createMediaDigestVerifier(pointer);
  verifier.push(ciphertext);
  verifier.finish();
  const decryptor = createMediaDecryptor(suite, pointer.key, undefined, { plaintextSize: pointer.plaintextSize });
  const first = decryptor.push(ciphertext);
  return concatBytes(first, decryptor.finish());
}
