/**
 * Incremental media decryption (docs/media.md "Stream format"), the inverse of
 * ./media-encryptor.ts. Accepts the ciphertext in pieces of any size and releases plaintext one
 * authenticated chunk at a time, holding at most one ciphertext chunk.
 *
 * Checks, each at the chunk where it applies:
 * - every chunk authenticates under its own counter and last-chunk flag before any of its
 *   plaintext is released (RFC 8439 §2.8: verify the tag, then decrypt), so a flipped bit, a
 *   dropped, duplicated or reordered chunk, a wrong key or a changed header all fail;
 * - a stream that ends without a chunk flagged last is truncated (STREAM, Hoang et al. §7);
 * - nothing may follow the last chunk, and the last chunk is empty only for an empty file;
 * - with padding, plaintext past the real size must be zeros and is never released, and the
 *   padded total must be the Padmé bucket of the real size.
 *
 * Releasing plaintext before the end is safe chunk by chunk, but a caller that must not act on a
 * partial file has to wait for `finish()`; the CLI also checks the ciphertext digest first
 * (./media-verify.ts).
 *
 * By default the decryptor also hashes header ‖ ciphertext (`digest()`), for callers that did not
 * check the pointer's digest beforehand. `hashCiphertext: false` skips that hash: it is for a
 * caller that has already verified these exact bytes against the pointer's SHA-256 and holds them
 * itself (`decryptMediaSource`, used by the CLI on its private temporary file). Skipping it loses nothing an attacker without
 * the file key could exploit: every chunk still authenticates under the payload key derived from
 * the pointer's key and the header's salt, with its counter and last-chunk flag in the nonce, so
 * bytes that changed after verification fail as CRYPTO_ERR_MEDIA_CORRUPT / _TRUNCATED instead of
 * a digest mismatch. Only someone holding the key could forge a different stream that opens, and
 * that person could equally have sent a different pointer.
 */
import type { CryptoSuite, Sha256Hasher } from '../primitives/index.js';
import { CryptoError, expectBytes } from '../errors.js';
import { concatBytes, isAllZero } from '../primitives/bytes.js';
import { MEDIA_CIPHERTEXT_CHUNK_BYTES, MEDIA_FLAG_PADDED, MEDIA_HEADER_BYTES, MEDIA_KEY_BYTES, MEDIA_TAG_BYTES } from './constants.js';
import { createChunkCipher, mediaHasher, type ChunkCipher, type MediaPrimitives } from './media-primitives.js';
import { paddedMediaSize } from './media-size.js';
import { derivePayloadKey, parseStreamHeader } from './stream-keys.js';

export interface MediaDecryptOptions {
  /**
   * The real plaintext size from the pointer. Required for a padded stream (it says where the
   * padding starts); for an unpadded one the decrypted total must equal it.
   */
  readonly plaintextSize?: number;
  /**
   * Hash header ‖ ciphertext for `digest()` (default true). Pass false only when the caller has
   * already checked these bytes against the pointer's digest (see the module comment); `digest()`
   * then throws CRYPTO_ERR_INVALID_PARAMETER.
   */
  readonly hashCiphertext?: boolean;
  /**
   * Faster SHA-256 and ChaCha20-Poly1305 implementations (the CLI passes node:crypto's); results
   * and checks are the same (./media-primitives.ts).
   */
  readonly primitives?: MediaPrimitives;
}

export interface MediaDecryptor {
  /** Takes the next ciphertext bytes (any split); returns plaintext from chunks now known complete. */
  push(ciphertext: Uint8Array): Uint8Array;
  /**
   * Like `push`, but returns the plaintext as pieces, in order, whose concatenation is what `push`
   * would return — without copying them into one array (for a writev).
   */
  pushPieces(ciphertext: Uint8Array): Uint8Array[];
  /** Ends the stream: returns the last plaintext or throws (truncated, trailing data, wrong size). */
  finish(): Uint8Array;
  /** Plaintext bytes released so far. */
  readonly plaintextSize: number;
  /** SHA-256 of header ‖ all ciphertext pushed; available after `finish()` (unless `hashCiphertext: false`). */
  digest(): Uint8Array;
}

type State = 'header' | 'open' | 'done' | 'failed';

/**
 * Starts decrypting one stream. Pass the 18-byte `header` if it was read separately; otherwise
 * leave it undefined and push the whole object, header first.
 */
export function createMediaDecryptor(suite: CryptoSuite, key: Uint8Array, header?: Uint8Array, options: MediaDecryptOptions = {}): MediaDecryptor {
  // A copy (new Uint8Array, not .slice(): on a Node Buffer that is a view, and this copy is wiped).
  const fileKey = new Uint8Array(expectBytes(key, MEDIA_KEY_BYTES, 'media key'));
  const realSize = options.plaintextSize;
  if (realSize !== undefined) paddedMediaSize(realSize); // validates the range
  // The injected or the suite's incremental SHA-256, or none when the caller verified the digest already.
  let hash: Sha256Hasher | undefined = options.hashCiphertext === false ? undefined : mediaHasher(suite, options.primitives);
  const buffer = new Uint8Array(MEDIA_CIPHERTEXT_CHUNK_BYTES);
  let fill = 0;
  let cipher: ChunkCipher | undefined;
  let padded = false;
  let counter = 0;
  let streamed = 0; // plaintext bytes decrypted, padding included
  let released = 0;
  let state: State = 'header';
  let finalDigest: Uint8Array | undefined;

  /** The digest so far, ending the hasher (which frees its state, WebAssembly heap under libsodium). */
  function endHash(): Uint8Array | undefined {
    const out = hash?.digest();
    hash = undefined;
    return out;
  }

  function fail(error: unknown): never {
    state = 'failed';
    endHash();
    cipher?.wipe();
    fileKey.fill(0);
    buffer.fill(0);
    throw error;
  }

  function start(headerBytes: Uint8Array): void {
    const parsed = parseStreamHeader(headerBytes);
    padded = (parsed.flags & MEDIA_FLAG_PADDED) !== 0;
    if (padded && realSize === undefined) {
      throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'a padded media stream needs the plaintext size from its pointer');
    }
    cipher = createChunkCipher(suite, derivePayloadKey(suite, fileKey, parsed), options.primitives);
    hash?.update(headerBytes);
    state = 'open';
  }

  function open(bytes: Uint8Array, last: boolean): Uint8Array {
    // Only called in state 'open', i.e. after start() made the cipher.
    return (cipher as ChunkCipher).open(counter, last, bytes);
  }

  /** True when `bytes` authenticate as chunk `counter` with the given flag (for diagnosis only). */
  function opensAs(bytes: Uint8Array, last: boolean): boolean {
    try {
      open(bytes, last);
      return true;
    } catch {
      return false;
    }
  }

  /** Plaintext of a verified chunk, minus padding; checks sizes and that padding is zeros. */
  function release(plain: Uint8Array): Uint8Array {
    streamed += plain.length;
    const limit = realSize ?? Number.MAX_SAFE_INTEGER;
    const ceiling = padded ? paddedMediaSize(limit) : limit;
    if (streamed > ceiling) {
      throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `the stream holds more than the ${ceiling} bytes its pointer implies`);
    }
    const keep = Math.max(0, Math.min(plain.length, limit - released));
    if (!isAllZero(plain.subarray(keep))) throw new CryptoError('CRYPTO_ERR_MEDIA_CORRUPT', `chunk ${counter}: padding is not zeros`);
    released += keep;
    counter++;
    return keep === plain.length ? plain : plain.slice(0, keep);
  }

  function openMiddle(bytes: Uint8Array): Uint8Array {
    let plain: Uint8Array;
    try {
      plain = open(bytes, false);
    } catch {
      // More data follows this chunk; if it is the last chunk, the extra bytes are trailing data.
      if (opensAs(bytes, true)) throw new CryptoError('CRYPTO_ERR_MEDIA_CORRUPT', `data after the final chunk ${counter}`);
      throw new CryptoError('CRYPTO_ERR_MEDIA_CORRUPT', `chunk ${counter} does not authenticate`);
    }
    return release(plain);
  }

  function consume(data: Uint8Array): Uint8Array[] {
    const out: Uint8Array[] = [];
    let offset = 0;
    while (offset < data.length) {
      if (state === 'header') {
        const take = Math.min(MEDIA_HEADER_BYTES - fill, data.length - offset);
        buffer.set(data.subarray(offset, offset + take), fill);
        fill += take;
        offset += take;
        if (fill === MEDIA_HEADER_BYTES) {
          start(buffer.slice(0, MEDIA_HEADER_BYTES));
          fill = 0;
        }
        continue;
      }
      // A full chunk followed by at least one more byte cannot be the last chunk.
      if (fill === MEDIA_CIPHERTEXT_CHUNK_BYTES) {
        const plain = openMiddle(buffer);
        if (plain.length > 0) out.push(plain);
        fill = 0;
      }
      // The same for a whole chunk followed by more bytes within `data`: opened where it is,
      // without copying it into `buffer` first.
      if (fill === 0 && data.length - offset > MEDIA_CIPHERTEXT_CHUNK_BYTES) {
        const whole = data.subarray(offset, offset + MEDIA_CIPHERTEXT_CHUNK_BYTES);
        hash?.update(whole);
        offset += MEDIA_CIPHERTEXT_CHUNK_BYTES;
        const plain = openMiddle(whole);
        if (plain.length > 0) out.push(plain);
        continue;
      }
      const take = Math.min(MEDIA_CIPHERTEXT_CHUNK_BYTES - fill, data.length - offset);
      const piece = data.subarray(offset, offset + take);
      buffer.set(piece, fill);
      hash?.update(piece);
      fill += take;
      offset += take;
    }
    return out;
  }

  function openLast(): Uint8Array {
    if (state === 'header') throw new CryptoError('CRYPTO_ERR_MEDIA_TRUNCATED', 'the stream ended inside its header');
    const bytes = buffer.subarray(0, fill);
    if (fill < MEDIA_TAG_BYTES) throw new CryptoError('CRYPTO_ERR_MEDIA_TRUNCATED', `the stream ended inside chunk ${counter}`);
    let plain: Uint8Array;
    try {
      plain = open(bytes, true);
    } catch {
      // A chunk that authenticates as a middle chunk means the chunks after it were cut off.
      if (opensAs(bytes, false)) throw new CryptoError('CRYPTO_ERR_MEDIA_TRUNCATED', `the stream ended after chunk ${counter} without its final chunk`);
      throw new CryptoError('CRYPTO_ERR_MEDIA_CORRUPT', `chunk ${counter} does not authenticate`);
    }
    if (plain.length === 0 && counter > 0) throw new CryptoError('CRYPTO_ERR_MEDIA_CORRUPT', 'empty final chunk after data');
    const out = release(plain);
    const expected = realSize === undefined ? streamed : padded ? paddedMediaSize(realSize) : realSize;
    if (streamed !== expected) {
      throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `the stream holds ${streamed} plaintext bytes, ${expected} expected`);
    }
    return out;
  }

  function expectUsable(): void {
    if (state === 'done' || state === 'failed') throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', `media decryptor is ${state}`);
  }

  if (header !== undefined) {
    try {
      start(header);
    } catch (error) {
      fail(error);
    }
  }

  function pushPieces(ciphertext: Uint8Array): Uint8Array[] {
    expectUsable();
    expectBytes(ciphertext, undefined, 'media ciphertext chunk');
    try {
      return consume(ciphertext);
    } catch (error) {
      return fail(error);
    }
  }

  return {
    push(ciphertext) {
      const out = pushPieces(ciphertext);
      return out.length === 1 ? (out[0] as Uint8Array) : concatBytes(...out);
    },
    pushPieces,
    finish() {
      expectUsable();
      try {
        const out = openLast();
        finalDigest = endHash();
        state = 'done';
        cipher?.wipe();
        fileKey.fill(0);
        buffer.fill(0);
        return out;
      } catch (error) {
        return fail(error);
      }
    },
    get plaintextSize() {
      return released;
    },
    digest() {
      if (options.hashCiphertext === false) throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'this media decryptor was created with hashCiphertext: false');
      if (finalDigest === undefined) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'the media digest is known only once the stream has finished');
      return new Uint8Array(finalDigest);
    },
  };
}
