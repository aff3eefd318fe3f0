/**
 * Incremental media encryption (docs/media.md "Stream format"): STREAM over XChaCha20-Poly1305
 * in 64 KiB chunks under a payload key derived from a random 32-byte file key. Memory stays flat:
 * at most one chunk of plaintext is held, whatever the file size.
 *
 * The object to upload is `header` followed by every byte `push`/`end` return, in order; its
 * SHA-256 (`digest()`) and sizes go into the media pointer. Output does not depend on how the
 * input is split into pushes. A full chunk is held back until more input arrives, because only
 * then is it known not to be the last one (the last chunk carries the last-chunk flag).
 */
import type { CryptoSuite } from '../primitives/index.js';
import { CryptoError, expectBytes } from '../errors.js';
import { concatBytes } from '../primitives/bytes.js';
import { MEDIA_CHUNK_BYTES, MEDIA_FLAG_PADDED, MEDIA_KEY_BYTES, MEDIA_MAX_PLAINTEXT_BYTES, MEDIA_SALT_BYTES } from './constants.js';
import { mediaCiphertextSize, paddedMediaSize } from './media-size.js';
import type { MediaPointer } from './media-pointer.js';
import { createChunkCipher, mediaHasher, type MediaPrimitives } from './media-primitives.js';
import { derivePayloadKey, encodeStreamHeader } from './stream-keys.js';

export interface MediaEncryptOptions {
  /**
   * The exact number of plaintext bytes that will be pushed. Required with `padding`; without it
   * the total is only checked when given.
   */
  readonly plaintextSize?: number;
  /** Pad with zeros to the Padmé bucket of `plaintextSize` (docs/media.md "Padding"). */
  readonly padding?: boolean;
  /**
   * Faster SHA-256 and ChaCha20-Poly1305 implementations (the CLI passes node:crypto's); the
   * output is the same byte for byte (./media-primitives.ts).
   */
  readonly primitives?: MediaPrimitives;
}

export interface MediaEncryptor {
  /** The file key (a copy; it goes into the pointer). */
  readonly key: Uint8Array;
  /** The stream header: the first bytes of the uploaded object. */
  readonly header: Uint8Array;
  /** Whether the stream is padded to its Padmé bucket. */
  readonly padded: boolean;
  /** Plaintext bytes pushed so far (padding not included). */
  readonly plaintextSize: number;
  /** Ciphertext bytes produced so far, header included. */
  readonly ciphertextSize: number;
  /** The ciphertext size the finished stream will have, when `plaintextSize` was given up front. */
  readonly expectedCiphertextSize: number | undefined;
  /**
   * Encrypts the next plaintext bytes and returns the ciphertext completed so far (often empty).
   * With `final`, ends the stream: the result then also holds the last chunk and any padding.
   */
  push(chunk: Uint8Array, final?: boolean): Uint8Array;
  /**
   * Like `push(chunk)` (not final), but returns the ciphertext as pieces, in order, whose
   * concatenation is what `push` would return — without copying them into one array (for a
   * writev to a socket or file).
   */
  pushPieces(chunk: Uint8Array): Uint8Array[];
  /**
   * Ends the stream like `push(chunk, true)` but yields the remaining ciphertext one chunk at a
   * time, so padding (up to 6.25 % of the size) never sits in memory at once. Iterate it to
   * the end.
   */
  end(chunk?: Uint8Array): Generator<Uint8Array, void, undefined>;
  /** SHA-256 of header ‖ all ciphertext; available once the stream has ended. */
  digest(): Uint8Array;
  /** The pointer for this finished stream, given the relay's media id and the file's metadata. */
  pointer(fields: Pick<MediaPointer, 'mediaId' | 'fileName' | 'contentType'>): MediaPointer;
}

type State = 'open' | 'ending' | 'done' | 'failed';

/**
 * Starts encrypting one file. `key` defaults to 32 fresh random bytes from the suite; a caller
 * that passes its own must still never reuse it (the random salt limits the damage if it does).
 */
export function createMediaEncryptor(suite: CryptoSuite, key?: Uint8Array, options: MediaEncryptOptions = {}): MediaEncryptor {
  // Copies made with new Uint8Array, not .slice(): on a Node Buffer, .slice() is a view.
  const fileKey = new Uint8Array(key === undefined ? suite.randomBytes(MEDIA_KEY_BYTES) : expectBytes(key, MEDIA_KEY_BYTES, 'media key'));
  const declared = options.plaintextSize;
  const padded = options.padding === true;
  if (padded && declared === undefined) {
    throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'media padding needs the plaintext size up front');
  }
  // Validates the declared size (and computes the target) before anything is encrypted.
  const expectedCiphertextSize = declared === undefined ? undefined : mediaCiphertextSize(declared, padded);
  const target = declared === undefined ? undefined : padded ? paddedMediaSize(declared) : declared;

  const headerFields = { flags: padded ? MEDIA_FLAG_PADDED : 0, salt: suite.randomBytes(MEDIA_SALT_BYTES) };
  const header = encodeStreamHeader(headerFields.flags, headerFields.salt);
  const cipher = createChunkCipher(suite, derivePayloadKey(suite, fileKey, headerFields), options.primitives);
  // The injected SHA-256, or the suite's incremental one (libsodium under 'auto').
  const hash = mediaHasher(suite, options.primitives);
  hash.update(header);
  let hashOpen = true;
  function takeDigest(): Uint8Array {
    hashOpen = false;
    return hash.digest();
  }
  const pending = new Uint8Array(MEDIA_CHUNK_BYTES);
  let fill = 0;
  let counter = 0;
  let dataBytes = 0;
  let streamedBytes = 0;
  let ciphertextBytes = header.length;
  let state: State = 'open';
  let finalDigest: Uint8Array | undefined;

  /** Seals the pending chunk (or `plaintext`, a whole chunk given directly): ciphertext ‖ tag as one or more pieces. */
  function seal(last: boolean, plaintext: Uint8Array = pending.subarray(0, fill)): Uint8Array[] {
    const pieces = cipher.seal(counter, last, plaintext);
    counter++;
    fill = 0;
    for (const piece of pieces) {
      hash.update(piece);
      ciphertextBytes += piece.length;
    }
    return pieces;
  }

  /** One sealed chunk as one array. */
  function joined(pieces: Uint8Array[]): Uint8Array {
    return pieces.length === 1 ? (pieces[0] as Uint8Array) : concatBytes(...pieces);
  }

  /** Copies bytes into the pending chunk, sealing a full one only when more bytes follow it. */
  function* absorb(data: Uint8Array): Generator<Uint8Array[], void, undefined> {
    if (streamedBytes + data.length > MEDIA_MAX_PLAINTEXT_BYTES) {
      throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', 'media stream longer than 2^48 bytes');
    }
    let offset = 0;
    while (offset < data.length) {
      if (fill === MEDIA_CHUNK_BYTES) yield seal(false);
      // A whole chunk with more bytes after it in `data` is not the last one: seal it in place,
      // without copying it into `pending` first.
      if (fill === 0 && data.length - offset > MEDIA_CHUNK_BYTES) {
        yield seal(false, data.subarray(offset, offset + MEDIA_CHUNK_BYTES));
        offset += MEDIA_CHUNK_BYTES;
        streamedBytes += MEDIA_CHUNK_BYTES;
        continue;
      }
      const take = Math.min(MEDIA_CHUNK_BYTES - fill, data.length - offset);
      pending.set(data.subarray(offset, offset + take), fill);
      fill += take;
      offset += take;
      streamedBytes += take;
    }
  }

  function fail(error: unknown): never {
    state = 'failed';
    cipher.wipe();
    pending.fill(0);
    // Take the digest anyway (once) so the hasher's state, WebAssembly heap under libsodium, is freed.
    if (hashOpen) takeDigest();
    throw error;
  }

  /** The sealed chunks (each as its pieces) that `chunk` completes. */
  function absorbData(chunk: Uint8Array): Uint8Array[][] {
    expectBytes(chunk, undefined, 'media plaintext chunk');
    if (declared !== undefined && dataBytes + chunk.length > declared) {
      fail(new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `more than the declared ${declared} plaintext bytes were pushed`));
    }
    dataBytes += chunk.length;
    return [...absorb(chunk)];
  }

  function* finish(chunk: Uint8Array): Generator<Uint8Array, void, undefined> {
    try {
      for (const pieces of absorbData(chunk)) yield joined(pieces);
      if (declared !== undefined && dataBytes !== declared) {
        throw new CryptoError('CRYPTO_ERR_MEDIA_SIZE_MISMATCH', `${dataBytes} plaintext bytes pushed, ${declared} declared`);
      }
      if (target !== undefined) {
        // Padding goes through the same chunking as data, a chunk's worth of zeros at a time.
        const zeros = new Uint8Array(MEDIA_CHUNK_BYTES);
        while (streamedBytes < target) {
          for (const pieces of absorb(zeros.subarray(0, Math.min(MEDIA_CHUNK_BYTES, target - streamedBytes)))) yield joined(pieces);
        }
      }
      yield joined(seal(true));
      finalDigest = takeDigest();
      state = 'done';
      cipher.wipe();
      pending.fill(0);
    } catch (error) {
      fail(error);
    }
  }

  function expectOpen(): void {
    if (state !== 'open') throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', `media encryptor is ${state}`);
  }

  const encryptor: MediaEncryptor = {
    key: new Uint8Array(fileKey),
    header: new Uint8Array(header),
    padded,
    get plaintextSize() {
      return dataBytes;
    },
    get ciphertextSize() {
      return ciphertextBytes;
    },
    expectedCiphertextSize,
    push(chunk, final = false) {
      expectOpen();
      if (final) return concatBytes(...encryptor.end(chunk));
      try {
        return joined(absorbData(chunk).flat());
      } catch (error) {
        return fail(error);
      }
    },
    pushPieces(chunk) {
      expectOpen();
      try {
        return absorbData(chunk).flat();
      } catch (error) {
        return fail(error);
      }
    },
    end(chunk = new Uint8Array(0)) {
      expectOpen();
      state = 'ending';
      return finish(chunk);
    },
    digest() {
      if (finalDigest === undefined) throw new CryptoError('CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'the media digest is known only once the stream has ended');
      return new Uint8Array(finalDigest);
    },
    pointer(fields) {
      return {
        mediaId: fields.mediaId,
        key: new Uint8Array(fileKey),
        digest: encryptor.digest(),
        plaintextSize: dataBytes,
        ciphertextSize: ciphertextBytes,
        fileName: fields.fileName,
        contentType: fields.contentType,
      };
    },
  };
  return encryptor;
}
