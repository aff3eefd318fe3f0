/**
 * Sending a file (docs/cli.md "Files", docs/media.md): encrypt it under a fresh random key as a
 * padded STREAM, upload the ciphertext to the URL the relay issues, complete the upload, then
 * send a `file` message carrying the pointer (media id, key, digest, sizes, name, type) to the
 * contact — end-to-end encrypted like any message.
 *
 *   open ──► size known? ── no (stdin, pipe) ──► spool (./file-spool.ts) ──┐
 *              │ yes                                                       │
 *              ▼                                                           ▼
 *   createMediaEncryptor(padding) ─► POST /v1/media {ciphertext size} ─► PUT ciphertext (stream)
 *   ─► POST /v1/media/:id/complete ─► `file` message with the pointer
 *
 * Memory stays flat whatever the size: the file is read 1 MiB at a time into one reused buffer,
 * encrypted chunk by chunk (node:crypto's SHA-256 and ChaCha20-Poly1305 injected, ./media-primitives.ts),
 * and read no faster than the upload takes it; the next block is read and encrypted while the
 * previous one drains into the socket (../transport/blob-transfer.ts). The identity check comes first, so a
 * contact whose key changed costs no upload. If the upload fails, the pending media is deleted
 * on the relay (best effort) so it does not count against the quota.
 */
import { type FileHandle, open } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  createMediaEncryptor,
  CryptoError,
  encodeMediaPointer,
  MEDIA_DIGEST_BYTES,
  MEDIA_KEY_BYTES,
  mediaCiphertextSize,
  toMediaFileName,
  type MediaEncryptor,
  type MediaPointer,
} from '@sealpost/crypto';
import { CliError } from '../errors.js';
import type { ContactRecord, MessageRecord } from '../store/records.js';
import { putBlob } from '../transport/blob-transfer.js';
import type { RelayHttp } from '../transport/relay-http.js';
import type { Connection } from './connection.js';
import { checkIdentity, requireTrusted } from './contact-directory.js';
import { checkOutgoingName, guessContentType } from './file-names.js';
import { spoolInput } from './file-spool.js';
import { nodeMediaPrimitives } from './media-primitives.js';
import type { Profile } from './profile.js';
import { withPrivateTempDir, type ProgressListener } from './transfer.js';

/**
 * Plaintext read per piece from a regular file: 16 STREAM chunks. Reads of 64 KiB cost about ten
 * times as much per byte (one event-loop round trip each), and the encrypted block goes to the
 * socket in one write.
 */
const READ_BYTES = 1024 * 1024;

/**
 * The bytes of an open regular file from its start, READ_BYTES at a time into one reused buffer:
 * each piece is valid only until the next is asked for (the encryptor copies what it keeps).
 */
async function* readPieces(handle: FileHandle, signal: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  const buffer = Buffer.allocUnsafe(READ_BYTES);
  let position = 0;
  for (;;) {
    signal.throwIfAborted();
    const { bytesRead } = await handle.read(buffer, 0, READ_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}

export type FileSource =
  | { readonly kind: 'path'; readonly path: string }
  /** stdin (`send-file bob -`): read to its end first. */
  | { readonly kind: 'stream'; readonly stream: AsyncIterable<Uint8Array | string> };

export interface SendFileOptions {
  readonly source: FileSource;
  /** `--name`: the name the recipient sees (default: the file's own name; none for stdin). */
  readonly name: string | undefined;
  /** `--type`: the MIME type (default: from the name's extension). */
  readonly contentType: string | undefined;
  /** Where the private spool folder goes (the system's temporary directory). */
  readonly tempRoot: string;
  readonly progress: ProgressListener;
  readonly signal: AbortSignal;
}

interface Plaintext {
  readonly size: number;
  read(signal: AbortSignal): AsyncIterable<Uint8Array>;
}

/**
 * The object to upload — header, then the ciphertext — as lists of arrays to write in order
 * (the encryptor's pieces, never copied into one array). After it completes, the encryptor's
 * digest and pointer are available.
 */
async function* encryptedPieces(encryptor: MediaEncryptor, plaintext: AsyncIterable<Uint8Array>): AsyncGenerator<readonly Uint8Array[], void, undefined> {
  yield [encryptor.header];
  for await (const bytes of plaintext) {
    const pieces = encryptor.pushPieces(bytes);
    if (pieces.length > 0) yield pieces;
  }
  // The last chunk and the padding, one chunk at a time.
  for (const chunk of encryptor.end()) yield [chunk];
}

/** Refuses a --type the pointer could not carry, before anything is read or uploaded. */
function checkContentType(contentType: string): string {
  try {
    const zeros = (n: number): Uint8Array => new Uint8Array(n);
    encodeMediaPointer({ mediaId: 'check', key: zeros(MEDIA_KEY_BYTES), digest: zeros(MEDIA_DIGEST_BYTES), plaintextSize: 0, ciphertextSize: mediaCiphertextSize(0, false), fileName: '', contentType });
  } catch {
    throw new CliError('CLI_ERR_INVALID_ARGUMENT', `--type "${contentType}" is not a MIME type such as text/plain or image/png`);
  }
  return contentType;
}

async function openFile(path: string): Promise<{ handle: FileHandle; size: number; regular: boolean }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CliError('CLI_ERR_FILE_UNREADABLE', `${path}: ${(error as NodeJS.ErrnoException).code ?? 'open failed'}`, undefined, { cause: error });
  }
  // fstat on the open descriptor: what is read is what was measured (no swap in between).
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new CliError('CLI_ERR_FILE_UNREADABLE', `${path} is a directory`);
  }
  return { handle, size: stat.size, regular: stat.isFile() };
}

/** Failures of the source as what they mean: the file changed or could not be read, or Ctrl-C. */
function uploadFailure(error: unknown): unknown {
  if (error instanceof CryptoError && error.code === 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH') return new CliError('CLI_ERR_FILE_CHANGED', error.message, undefined, { cause: error });
  if ((error as { name?: unknown }).name === 'AbortError') return new CliError('CLI_ERR_INTERRUPTED', 'the upload was stopped', undefined, { cause: error });
  if ((error as { syscall?: unknown }).syscall === 'read') return new CliError('CLI_ERR_FILE_UNREADABLE', (error as NodeJS.ErrnoException).code, undefined, { cause: error });
  return error;
}

/** Encrypts and uploads; resolves with the pointer of the completed media. */
async function encryptAndUpload(http: RelayHttp, profile: Profile, plaintext: Plaintext, fileName: string, contentType: string, options: SendFileOptions): Promise<MediaPointer> {
  const encryptor = createMediaEncryptor(profile.crypto, undefined, { plaintextSize: plaintext.size, padding: true, primitives: nodeMediaPrimitives });
  const size = encryptor.expectedCiphertextSize as number;
  const grant = await http.createMedia({ size });
  try {
    options.progress('upload', 0, size);
    await putBlob(grant.upload.url, grant.upload.headers, size, encryptedPieces(encryptor, plaintext.read(options.signal)), {
      signal: options.signal,
      onBytes: (sent) => options.progress('upload', sent, size),
    });
    await http.completeMedia(grant.mediaId);
  } catch (error) {
    // Frees the quota the pending upload holds; if this fails too the relay sweeps it later.
    await http.deleteMedia(grant.mediaId).catch(() => undefined);
    throw uploadFailure(error);
  }
  return encryptor.pointer({ mediaId: grant.mediaId, fileName, contentType });
}

/**
 * Uploads a file and sends the file message to `contact` through `connection` (which may be
 * another process's: the upload itself is plain HTTP). Resolves once the relay stored the message.
 */
export async function sendFileMessage(profile: Profile, connection: Connection, contact: ContactRecord, options: SendFileOptions): Promise<MessageRecord> {
  const http = await connection.http();
  const checked = await checkIdentity(profile, http, contact);
  requireTrusted(checked);
  const source = options.source;
  const suggested = options.name !== undefined ? checkOutgoingName(options.name) : source.kind === 'path' ? toMediaFileName(basename(source.path)) : '';
  const contentType = checkContentType(options.contentType ?? guessContentType(suggested));

  const spooled = (stream: AsyncIterable<Uint8Array | string>): Promise<MediaPointer> =>
    withPrivateTempDir(options.tempRoot, async (dir) => {
      options.progress('read', 0, null);
      const spool = await spoolInput(profile.crypto, stream, dir, (bytes) => options.progress('read', bytes, null));
      return encryptAndUpload(http, profile, spool, suggested, contentType, options);
    });

  let pointer: MediaPointer;
  if (source.kind === 'stream') {
    pointer = await spooled(source.stream);
  } else {
    const file = await openFile(source.path);
    try {
      // A FIFO or a character device (`<(cmd)`, /dev/stdin) has no size up front: spool it.
      pointer = file.regular
        ? await encryptAndUpload(http, profile, { size: file.size, read: (signal) => readPieces(file.handle, signal) }, suggested, contentType, options)
        : await spooled(file.handle.createReadStream({ highWaterMark: READ_BYTES, autoClose: false }));
    } finally {
      await file.handle.close();
    }
  }
  return connection.sendFile(checked, pointer);
}
