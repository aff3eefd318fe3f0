/**
 * Media stream and pointer constants (docs/media.md "Stream format", "Pointer format"): sizes,
 * version bytes and the key-derivation label. The construction is STREAM (Hoang, Reyhanitabar,
 * Rogaway, Vizár 2015, as used by age) over XChaCha20-Poly1305 with a per-chunk counter and a
 * last-chunk flag in the nonce.
 */
import { utf8 } from '../primitives/bytes.js';

/** Version byte of the stream header (byte 0 of every uploaded media object). */
export const MEDIA_STREAM_VERSION = 0x01;
/** Version byte of the encoded media pointer. */
export const MEDIA_POINTER_VERSION = 0x01;

/** Plaintext bytes per chunk; every chunk but the last holds exactly this many (as in age). */
export const MEDIA_CHUNK_BYTES = 64 * 1024;
/** Poly1305 tag appended to every chunk. */
export const MEDIA_TAG_BYTES = 16;
/** One full ciphertext chunk. */
export const MEDIA_CIPHERTEXT_CHUNK_BYTES = MEDIA_CHUNK_BYTES + MEDIA_TAG_BYTES;

/** The random per-file key carried in the pointer. */
export const MEDIA_KEY_BYTES = 32;
/** SHA-256 of the whole ciphertext object (header included). */
export const MEDIA_DIGEST_BYTES = 32;
/** Random salt in the header: the payload key is derived from (file key, salt). */
export const MEDIA_SALT_BYTES = 16;
/** version (1) ‖ flags (1) ‖ salt (16). */
export const MEDIA_HEADER_BYTES = 2 + MEDIA_SALT_BYTES;

/** Header flag: the plaintext was padded with zeros to its Padmé bucket (docs/media.md "Padding"). */
export const MEDIA_FLAG_PADDED = 0x01;
/** Every flag this version knows; other bits must be zero. */
export const MEDIA_KNOWN_FLAGS = MEDIA_FLAG_PADDED;

/**
 * Largest plaintext (and padded plaintext) accepted: 2^48 bytes (256 TiB). Far above any relay
 * limit; it keeps every size and chunk counter well inside JavaScript's exact integers.
 */
export const MEDIA_MAX_PLAINTEXT_BYTES = 2 ** 48;

/** Padding never goes below this many plaintext bytes: files up to 4 KiB all look alike. */
export const MEDIA_MIN_PADDED_BYTES = 4096;

/** HKDF info prefix for the payload key (followed by the version and flags bytes). */
export const MEDIA_STREAM_LABEL = 'Sealpost_Media_Stream_v1';
export const MEDIA_STREAM_INFO = utf8(MEDIA_STREAM_LABEL);

/** Pointer field limits. */
export const MEDIA_MAX_ID_CHARS = 128;
export const MEDIA_MAX_FILE_NAME_BYTES = 255;
export const MEDIA_MAX_CONTENT_TYPE_BYTES = 255;
