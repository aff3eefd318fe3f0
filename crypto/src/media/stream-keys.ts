/**
 * The stream header and per-chunk parameters (docs/media.md "Stream format"):
 *
 *   header       = version 0x01 ‖ flags ‖ salt (16 random bytes)
 *   payload key  = HKDF-SHA-256(ikm = file key, salt = salt,
 *                               info = "Sealpost_Media_Stream_v1" ‖ version ‖ flags, 32)
 *   nonce(i, last) = 15 zero bytes ‖ u64be(i) ‖ (0x01 if last else 0x00)
 *
 * The salt gives every stream its own payload key even if a caller reuses a file key, so a
 * (key, nonce) pair can never repeat across files. Version and flags are in the HKDF info, so a
 * changed header derives another key and every chunk fails to authenticate. The counter and the
 * last flag in the nonce are what make reordering, dropping, duplicating and truncating chunks
 * detectable (STREAM, Hoang et al. 2015 §7).
 */
import type { CryptoSuite } from '../primitives/index.js';
import { CryptoError, expectBytes } from '../errors.js';
import { concatBytes } from '../primitives/bytes.js';
import { MEDIA_HEADER_BYTES, MEDIA_KEY_BYTES, MEDIA_KNOWN_FLAGS, MEDIA_SALT_BYTES, MEDIA_STREAM_INFO, MEDIA_STREAM_VERSION } from './constants.js';

export interface StreamHeader {
  readonly flags: number;
  readonly salt: Uint8Array;
}

export function encodeStreamHeader(flags: number, salt: Uint8Array): Uint8Array {
  expectBytes(salt, MEDIA_SALT_BYTES, 'media header salt');
  const out = new Uint8Array(MEDIA_HEADER_BYTES);
  out[0] = MEDIA_STREAM_VERSION;
  out[1] = flags;
  out.set(salt, 2);
  return out;
}

/** Parses a header strictly: exact length, known version, no unknown flag bits. */
export function parseStreamHeader(header: Uint8Array): StreamHeader {
  expectBytes(header, undefined, 'media header');
  if (header.length !== MEDIA_HEADER_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `media header: expected ${MEDIA_HEADER_BYTES} bytes, got ${header.length}`);
  }
  const version = header[0] as number;
  if (version !== MEDIA_STREAM_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `media stream version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const flags = header[1] as number;
  if ((flags & ~MEDIA_KNOWN_FLAGS) !== 0) {
    throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `media header: unknown flags 0x${flags.toString(16).padStart(2, '0')}`);
  }
  return { flags, salt: header.slice(2) };
}

export function derivePayloadKey(suite: CryptoSuite, fileKey: Uint8Array, header: StreamHeader): Uint8Array {
  expectBytes(fileKey, MEDIA_KEY_BYTES, 'media key');
  const info = concatBytes(MEDIA_STREAM_INFO, Uint8Array.of(MEDIA_STREAM_VERSION, header.flags));
  return suite.hkdfSha256(fileKey, header.salt, info, 32);
}

/** The 24-byte XChaCha20 nonce of chunk `index`. */
export function chunkNonce(index: number, last: boolean): Uint8Array {
  const nonce = new Uint8Array(24);
  const view = new DataView(nonce.buffer);
  // u64 big-endian from a safe integer: high and low 32-bit halves.
  view.setUint32(15, Math.floor(index / 2 ** 32));
  view.setUint32(19, index >>> 0);
  nonce[23] = last ? 0x01 : 0x00;
  return nonce;
}
