/**
 * Exact sizes of a media stream (docs/media.md "Sizes"), so a sender can declare the ciphertext
 * size to the relay before encrypting, and the Padmé padding rule (Nikitin et al., "Reducing
 * Metadata Leakage from Encrypted Files and Communication with PURBs", PETS 2019, §4).
 *
 *   chunks(P)          = max(1, ceil(P / 65536))
 *   ciphertextSize(P)  = 18 + P + 16 · chunks(P)
 *
 * where P is the plaintext size, or the padded size when padding is on.
 */
import { CryptoError } from '../errors.js';
import { MEDIA_CHUNK_BYTES, MEDIA_HEADER_BYTES, MEDIA_MAX_PLAINTEXT_BYTES, MEDIA_MIN_PADDED_BYTES, MEDIA_TAG_BYTES } from './constants.js';

function expectSize(size: number, label: string): void {
  if (!Number.isSafeInteger(size) || size < 0 || size > MEDIA_MAX_PLAINTEXT_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', `${label}: ${String(size)} is not an integer in 0..2^48`);
  }
}

/** Number of chunks for `size` plaintext bytes: an empty file is one empty final chunk. */
export function mediaChunkCount(size: number): number {
  expectSize(size, 'media size');
  return Math.max(1, Math.ceil(size / MEDIA_CHUNK_BYTES));
}

/**
 * Padmé: keep the top ⌊log2 E⌋ + 1 bits of the length (E = ⌊log2 L⌋) and round the rest up, so
 * the length leaks only O(log log L) bits. Sizes up to {@link MEDIA_MIN_PADDED_BYTES} all pad to
 * that minimum; above it the overhead is at most 6.25 % (3.125 % from 64 KiB on).
 */
export function paddedMediaSize(plaintextSize: number): number {
  expectSize(plaintextSize, 'media plaintext size');
  const length = Math.max(plaintextSize, MEDIA_MIN_PADDED_BYTES);
  // ⌊log2 L⌋ from the binary digits: Math.log2 can round up just below a power of two.
  const e = length.toString(2).length - 1;
  const s = e.toString(2).length; // ⌊log2 E⌋ + 1
  const step = 2 ** (e - s);
  // Exact in doubles: division and multiplication by a power of two only move the exponent.
  return Math.ceil(length / step) * step;
}

/** Size of the uploaded object for `plaintextSize` bytes, padded or not. */
export function mediaCiphertextSize(plaintextSize: number, padded = false): number {
  const streamed = padded ? paddedMediaSize(plaintextSize) : plaintextSize;
  expectSize(streamed, 'media plaintext size');
  return MEDIA_HEADER_BYTES + streamed + MEDIA_TAG_BYTES * mediaChunkCount(streamed);
}
