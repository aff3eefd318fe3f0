/**
 * The media pointer: what travels inside an end-to-end encrypted message so the recipient can
 * fetch, check and decrypt one file (docs/media.md "Pointer format").
 *
 *   u8   version (0x01)
 *   32   file key
 *   32   SHA-256 of the ciphertext object (header included)
 *   u64  plaintext size (the real size, before padding)
 *   u64  ciphertext size (the uploaded object; must match the plaintext size, padded or not)
 *   u8   media id length (1..128), then the id: unpadded base64url characters
 *   u16  file name length (0..255), then the name: UTF-8, no control characters, no / or \,
 *        not "." or ".."; empty means "no name"
 *   u8   content type length (1..255), then an RFC 6838 type/subtype with optional parameters,
 *        printable ASCII
 *
 * The decoder is strict (protocol.md "Conventions"): unknown version, truncation, trailing
 * bytes, a field out of its limits or sizes that do not fit together are refused, so every
 * pointer has exactly one encoding. The encoder refuses the same values, so nothing it writes
 * can fail to decode. A file name is only a suggestion: a client saving the file must still
 * choose the path itself.
 */
import { CryptoError, expectBytes } from '../errors.js';
import { decodeUtf8Strict, utf8 } from '../primitives/bytes.js';
import { ByteReader, ByteWriter } from '../public/bytes-io.js';
import {
  MEDIA_DIGEST_BYTES,
  MEDIA_KEY_BYTES,
  MEDIA_MAX_CONTENT_TYPE_BYTES,
  MEDIA_MAX_FILE_NAME_BYTES,
  MEDIA_MAX_ID_CHARS,
  MEDIA_MAX_PLAINTEXT_BYTES,
  MEDIA_POINTER_VERSION,
} from './constants.js';
import { mediaCiphertextSize } from './media-size.js';

export interface MediaPointer {
  /** The relay's id of the uploaded object. */
  readonly mediaId: string;
  readonly key: Uint8Array;
  readonly digest: Uint8Array;
  readonly plaintextSize: number;
  readonly ciphertextSize: number;
  /** Suggested file name ('' for none). */
  readonly fileName: string;
  /** MIME type, e.g. 'image/png' or 'text/plain; charset=utf-8'. */
  readonly contentType: string;
}

const MEDIA_ID = /^[A-Za-z0-9_-]+$/;
// RFC 6838 §4.2 restricted-name for type and subtype; parameters are left as printable ASCII.
const RESTRICTED_NAME = "[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}";
const CONTENT_TYPE = new RegExp(`^${RESTRICTED_NAME}/${RESTRICTED_NAME}(;[\\x20-\\x7e]*)?$`);
// C0 controls, DEL and C1 controls: a name must never carry terminal escapes or line breaks.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// A lone UTF-16 surrogate would encode as U+FFFD and decode to a different string.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;


/** Why a field is unacceptable, or undefined when it is fine. */
function problemWith(pointer: MediaPointer): string | undefined {
  const { mediaId, fileName, contentType, plaintextSize, ciphertextSize } = pointer;
  if (typeof mediaId !== 'string' || mediaId.length < 1 || mediaId.length > MEDIA_MAX_ID_CHARS || !MEDIA_ID.test(mediaId)) {
    return `media id must be 1..${MEDIA_MAX_ID_CHARS} base64url characters`;
  }
  if (typeof fileName !== 'string') return 'file name must be a string';
  if (LONE_SURROGATE.test(fileName)) return 'file name is not well-formed Unicode';
  if (utf8(fileName).length > MEDIA_MAX_FILE_NAME_BYTES) return `file name longer than ${MEDIA_MAX_FILE_NAME_BYTES} UTF-8 bytes`;
  if (CONTROL.test(fileName) || fileName.includes('/') || fileName.includes('\\') || fileName === '.' || fileName === '..') {
    return 'file name has control characters or path separators, or is "." or ".."';
  }
  if (typeof contentType !== 'string' || contentType.length > MEDIA_MAX_CONTENT_TYPE_BYTES || !CONTENT_TYPE.test(contentType)) {
    return 'content type must be an RFC 6838 type/subtype (optionally with parameters) of at most 255 ASCII characters';
  }
  if (!Number.isSafeInteger(plaintextSize) || plaintextSize < 0 || plaintextSize > MEDIA_MAX_PLAINTEXT_BYTES) return 'plaintext size out of range';
  if (ciphertextSize !== mediaCiphertextSize(plaintextSize, false) && ciphertextSize !== mediaCiphertextSize(plaintextSize, true)) {
    return 'ciphertext size does not match the plaintext size, padded or not';
  }
  return undefined;
}

export function encodeMediaPointer(pointer: MediaPointer): Uint8Array {
  expectBytes(pointer.key, MEDIA_KEY_BYTES, 'media pointer key');
  expectBytes(pointer.digest, MEDIA_DIGEST_BYTES, 'media pointer digest');
  const problem = problemWith(pointer);
  if (problem !== undefined) throw new CryptoError('CRYPTO_ERR_INVALID_PARAMETER', `media pointer: ${problem}`);
  const id = utf8(pointer.mediaId);
  const type = utf8(pointer.contentType);
  return new ByteWriter()
    .u8(MEDIA_POINTER_VERSION)
    .raw(pointer.key)
    .raw(pointer.digest)
    .u64(pointer.plaintextSize)
    .u64(pointer.ciphertextSize)
    .u8(id.length)
    .raw(id)
    .bytes16(utf8(pointer.fileName))
    .u8(type.length)
    .raw(type)
    .finish();
}

export function decodeMediaPointer(bytes: Uint8Array): MediaPointer {
  expectBytes(bytes, undefined, 'media pointer');
  const r = new ByteReader(bytes, 'media pointer');
  const version = r.u8('version');
  if (version !== MEDIA_POINTER_VERSION) {
    throw new CryptoError('CRYPTO_ERR_UNSUPPORTED_VERSION', `media pointer version 0x${version.toString(16).padStart(2, '0')}`);
  }
  const key = r.raw(MEDIA_KEY_BYTES, 'key');
  const digest = r.raw(MEDIA_DIGEST_BYTES, 'digest');
  const plaintextSize = r.u64('plaintext size');
  const ciphertextSize = r.u64('ciphertext size');
  const idBytes = r.raw(r.u8('media id length'), 'media id');
  const nameBytes = r.bytes16('file name', MEDIA_MAX_FILE_NAME_BYTES);
  const typeBytes = r.raw(r.u8('content type length'), 'content type');
  r.end();
  const fileName = decodeUtf8Strict(nameBytes);
  if (fileName === undefined) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', 'media pointer: file name is not valid UTF-8');
  // Media id and content type are ASCII by their grammar; latin1 decoding keeps any other byte
  // visible to the checks below instead of turning it into U+FFFD.
  const pointer: MediaPointer = {
    mediaId: String.fromCharCode(...idBytes),
    key,
    digest,
    plaintextSize,
    ciphertextSize,
    fileName,
    contentType: String.fromCharCode(...typeBytes),
  };
  const problem = problemWith(pointer);
  if (problem !== undefined) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `media pointer: ${problem}`);
  return pointer;
}

/**
 * A name the pointer accepts, made from any file name: the last path component, control
 * characters and separators replaced by "_", cut to 255 UTF-8 bytes on a character boundary.
 */
export function toMediaFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  let out = '';
  let size = 0;
  const cleaned = base.replace(new RegExp(CONTROL.source, 'g'), '_').replace(new RegExp(LONE_SURROGATE.source, 'g'), '_');
  for (const ch of cleaned) {
    const n = utf8(ch).length;
    if (size + n > MEDIA_MAX_FILE_NAME_BYTES) break;
    out += ch;
    size += n;
  }
  return out === '.' || out === '..' ? '' : out;
}
