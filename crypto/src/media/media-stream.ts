/**
 * Driving a {@link MediaEncryptor} from a byte source (docs/media.md "Upload"): an async
 * generator that yields the whole object to upload — header, then ciphertext chunk by chunk —
 * with flat memory, for piping into an HTTP PUT body; plus a one-shot form for small files.
 */
import type { CryptoSuite } from '../primitives/index.js';
import { concatBytes } from '../primitives/bytes.js';
import { createMediaEncryptor } from './media-encryptor.js';
import type { MediaEncryptOptions, MediaEncryptor } from './media-encryptor.js';
import type { ByteSource } from './media-verify.js';

/**
 * Yields `encryptor.header`, then the ciphertext of every byte from `source`, then the end of
 * the stream. After it completes, `encryptor.digest()` and `encryptor.pointer()` are available.
 */
export async function* encryptMediaSource(encryptor: MediaEncryptor, source: ByteSource): AsyncGenerator<Uint8Array, void, undefined> {
  yield encryptor.header;
  for await (const bytes of source) {
    const out = encryptor.push(bytes);
    if (out.length > 0) yield out;
  }
  yield* encryptor.end();
}

export interface EncryptedMedia {
  readonly key: Uint8Array;
  /** The whole object to upload: header ‖ chunks. */
  readonly ciphertext: Uint8Array;
  readonly digest: Uint8Array;
  readonly plaintextSize: number;
  readonly ciphertextSize: number;
}

/** Encrypts a file held in memory (tests, small attachments). */
export function encryptMedia(suite: CryptoSuite, plaintext: Uint8Array, options: Omit<MediaEncryptOptions, 'plaintextSize'> & { key?: Uint8Array } = {}): EncryptedMedia {
  const encryptor = createMediaEncryptor(suite, options.key, { padding: options.padding === true, plaintextSize: plaintext.length });
  const ciphertext = concatBytes(encryptor.header, encryptor.push(plaintext, true));
  return { key: encryptor.key, ciphertext, digest: encryptor.digest(), plaintextSize: plaintext.length, ciphertextSize: ciphertext.length };
}
