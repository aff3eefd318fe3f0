/**
 * Media: chunked stream encryption of files under a random key (STREAM over XChaCha20-Poly1305,
 * 64 KiB chunks), digest verification before release, exact sizes and Padmé padding, and the
 * pointer that carries everything a recipient needs inside an encrypted message
 * (docs/media.md).
 */
export {
  MEDIA_STREAM_VERSION,
  MEDIA_POINTER_VERSION,
  MEDIA_CHUNK_BYTES,
  MEDIA_TAG_BYTES,
  MEDIA_CIPHERTEXT_CHUNK_BYTES,
  MEDIA_KEY_BYTES,
  MEDIA_DIGEST_BYTES,
  MEDIA_HEADER_BYTES,
  MEDIA_MAX_PLAINTEXT_BYTES,
  MEDIA_MIN_PADDED_BYTES,
  MEDIA_STREAM_LABEL,
  MEDIA_MAX_ID_CHARS,
  MEDIA_MAX_FILE_NAME_BYTES,
  MEDIA_MAX_CONTENT_TYPE_BYTES,
} from './constants.js';
export { mediaChunkCount, paddedMediaSize, mediaCiphertextSize } from './media-size.js';
export { createMediaEncryptor } from './media-encryptor.js';
export type { MediaEncryptor, MediaEncryptOptions } from './media-encryptor.js';
export { createMediaDecryptor } from './media-decryptor.js';
export type { MediaDecryptor, MediaDecryptOptions } from './media-decryptor.js';
export { createMediaDigestVerifier, verifyMediaCiphertext, decryptVerifiedMedia, decryptMediaSource, decryptMedia } from './media-verify.js';
export type { MediaDigestVerifier, ByteSource } from './media-verify.js';
export { encryptMediaSource, encryptMedia } from './media-stream.js';
export type { EncryptedMedia } from './media-stream.js';
export type { MediaPrimitives, MediaChaCha20Poly1305 } from './media-primitives.js';
export { encodeMediaPointer, decodeMediaPointer, toMediaFileName } from './media-pointer.js';
export type { MediaPointer } from './media-pointer.js';
