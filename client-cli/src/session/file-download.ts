/**
 * Fetching the file of a file message (docs/cli.md "Files", docs/media.md "Download"):
 *
 *   GET /v1/media/:id/download ─► stream the ciphertext into a new private file beside the target
 *   (`.sealpost-<random>.part`, mode 0600, created exclusively), hashing it as it arrives ─► check
 *   size and SHA-256 against the pointer (no plaintext exists yet) ─► decrypt that file in place,
 *   on the same open descriptor, without hashing again ─► truncate to the plaintext size ─► fsync
 *   ─► give it the final name
 *
 * The digest is computed over exactly the bytes written through our own descriptor to a file only
 * we created (O_EXCL, 0600), and the decryption reads them back through that descriptor, never by
 * name; it does not hash again, and every chunk it decrypts is still authenticated under the
 * pointer's key (docs/media.md "Download"). Decrypting in place is safe because plaintext chunk i
 * lands at i·64 KiB, never past the ciphertext still to be read (which starts at 18 + i·(64 KiB +
 * 16)); it writes each page once more instead of into a second file, so a download needs the
 * file's size on disk once, not twice, and the fsync writes the final bytes only.
 *
 * So a tampered, truncated or swapped object, or one that does not open with the message's key,
 * leaves nothing under the final name (and the `.part` file is removed). The final name is taken
 * without replacing anything: a hard link fails if the name exists (even one created while the
 * download ran), unless --force was given. Files are created with mode 0600: the content came
 * end-to-end encrypted and stays private until the user shares it. With `--out -` the ciphertext
 * goes to a private temporary folder instead (mode 0700, of our own) and is decrypted from there
 * to the stream.
 */
import { createWriteStream } from 'node:fs';
import { type FileHandle, link, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { createMediaDecryptor, createMediaDigestVerifier, type MediaPointer } from '@sealpost/crypto';
import { CliError } from '../errors.js';
import type { FileAttachment, MessageRecord } from '../store/records.js';
import { getBlob } from '../transport/blob-transfer.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { toB64 } from './encoding.js';
import { pointerOf } from './file-attachment.js';
import { nodeMediaPrimitives } from './media-primitives.js';
import type { Profile } from './profile.js';
import { downloadFailure, withPrivateTempDir, writeAll, type ProgressListener } from './transfer.js';

export type FileMessage = MessageRecord & { readonly file: FileAttachment };

/** Where the plaintext goes: a file path (final name), or a stream (`--out -`). */
export type DownloadTarget = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'stream'; readonly stream: Writable };

export interface DownloadOptions {
  readonly target: DownloadTarget;
  /** Replace an existing file of the target's name. */
  readonly force: boolean;
  /** Where the ciphertext is kept until verified (the system's temporary directory). */
  readonly tempRoot: string;
  readonly progress: ProgressListener;
  readonly signal: AbortSignal;
}

/** A file message of this profile (received, or sent by one of our devices) by its id. */
export function fileMessage(profile: Profile, messageId: string): FileMessage {
  const { store } = profile;
  const message = store.run(() => {
    const outgoing = store.messages.getOutgoing(messageId);
    if (outgoing !== undefined) return outgoing;
    // Incoming messages are keyed by sender and id (two senders may pick one id): ask per contact.
    for (const contact of store.contacts.list()) {
      const incoming = store.messages.getIncoming(contact.accountId, messageId);
      if (incoming?.file !== undefined) return incoming;
    }
    return undefined;
  });
  if (message?.file === undefined) throw new CliError('CLI_ERR_FILE_MESSAGE_NOT_FOUND', `"${messageId}"`);
  return message as FileMessage;
}

/**
 * The file path for `--out`: absent, the file's name in `cwd`; a directory (existing, or written
 * with a trailing "/"), the file's name in it; anything else, that path as given.
 */
export async function targetPath(out: string | undefined, cwd: string, name: string): Promise<string> {
  if (out === undefined) return join(cwd, name);
  const path = resolvePath(cwd, out);
  if (out.endsWith('/')) return join(path, name);
  const found = await stat(path).catch(() => undefined);
  return found?.isDirectory() === true ? join(path, name) : path;
}

async function refuseExisting(path: string, force: boolean): Promise<void> {
  const found = await stat(path).catch(() => undefined);
  if (found === undefined) return;
  if (found.isDirectory()) throw new CliError('CLI_ERR_FILE_EXISTS', `${path} is a directory`, { path });
  if (!force) throw new CliError('CLI_ERR_FILE_EXISTS', path, { path });
}

/** Moves the finished temporary file to its name; without `force` never replaces a file. */
async function place(part: string, path: string, force: boolean): Promise<void> {
  if (force) {
    await rename(part, path);
    return;
  }
  try {
    await link(part, path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new CliError('CLI_ERR_FILE_EXISTS', path, { path });
    // Some file systems (FAT, some FUSE mounts) have no hard links: check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    await refuseExisting(path, false);
    await rename(part, path);
    return;
  }
  await rm(part, { force: true });
}

/** Ciphertext read per step of the decryption pass (16 chunks). */
const BLOCK_BYTES = 1024 * 1024;
/** The download's write buffer: pieces queued while a write is under way go out in one writev. */
const DOWNLOAD_BUFFER_BYTES = 4 * 1024 * 1024;

/** Writes all of `pieces`, in order, at `position` (a short write is continued, not lost). */
async function writeAllAt(handle: FileHandle, pieces: readonly Uint8Array[], position: number): Promise<void> {
  const rest = pieces.filter((piece) => piece.length > 0);
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest, position);
    if (bytesWritten === 0) throw Object.assign(new Error('the file system accepted no bytes'), { code: 'EIO', syscall: 'write' });
    position += bytesWritten;
    let skip = bytesWritten;
    while (rest.length > 0 && skip >= (rest[0] as Uint8Array).length) skip -= (rest.shift() as Uint8Array).length;
    if (rest.length > 0 && skip > 0) rest[0] = (rest[0] as Uint8Array).subarray(skip);
  }
}

/** A file write error (disk full, I/O error) as the CLI's error for it. */
function writeFailure(path: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (typeof code === 'string' && (error as { syscall?: unknown }).syscall !== undefined) {
    return new CliError('CLI_ERR_FILE_WRITE', `${path}: ${code}`, undefined, { cause: error });
  }
  return error;
}

/**
 * Downloads the ciphertext through `handle` (from offset 0), hashing every piece before it is
 * written, and checks size and digest against the pointer. Throws on any mismatch.
 */
async function downloadVerified(profile: Profile, url: string, handle: FileHandle, pointer: MediaPointer, progress: ProgressListener, signal: AbortSignal): Promise<void> {
  const size = pointer.ciphertextSize;
  // The digest is checked as the bytes arrive: the verifier sees each piece before it is
  // written, refuses anything past the declared size at once, and `finish()` below compares
  // size and SHA-256 before a single byte is decrypted.
  const verifier = createMediaDigestVerifier(profile.crypto, pointer, nodeMediaPrimitives);
  progress('download', 0, size);
  try {
    // On the descriptor's number, not `handle.createWriteStream()`: a stream made by the handle
    // holds it open until the stream closes, which with autoClose: false would be never.
    const out = createWriteStream('', { fd: handle.fd, autoClose: false, start: 0, highWaterMark: DOWNLOAD_BUFFER_BYTES });
    await getBlob(url, out, size, {
      signal,
      onBytes: (bytes) => progress('download', bytes, size),
      onChunk: (chunk) => verifier.push(chunk),
    });
    // The hashing happened during the download; the phase reports the check itself.
    progress('verify', 0, size);
    verifier.finish();
    progress('verify', size, size);
  } catch (error) {
    throw downloadFailure(error);
  }
}

/**
 * Decrypts the verified ciphertext held in `handle` (written and hashed through this very
 * descriptor) in place: reads 1 MiB blocks from the front, writes the plaintext from offset 0,
 * then truncates the file to the plaintext size. One block is read ahead and one write is under
 * way while a block is decrypted. A write never reaches bytes not yet read: plaintext released so
 * far is shorter than the ciphertext consumed, and the read ahead starts after all of that.
 */
async function decryptInPlace(profile: Profile, handle: FileHandle, pointer: MediaPointer, progress: ProgressListener, signal: AbortSignal): Promise<void> {
  const size = pointer.ciphertextSize;
  const decryptor = createMediaDecryptor(profile.crypto, pointer.key, undefined, { plaintextSize: pointer.plaintextSize, hashCiphertext: false, primitives: nodeMediaPrimitives });
  const buffers = [Buffer.allocUnsafe(BLOCK_BYTES), Buffer.allocUnsafe(BLOCK_BYTES)] as const;
  const readBlock = async (position: number, buffer: Buffer): Promise<Buffer> => {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(BLOCK_BYTES, size - position), position);
    return buffer.subarray(0, bytesRead);
  };
  let readAt = 0;
  let writeAt = 0;
  let writing: Promise<unknown> = Promise.resolve();
  const write = async (pieces: Uint8Array[]): Promise<void> => {
    await writing;
    let length = 0;
    for (const piece of pieces) length += piece.length;
    if (length === 0) return;
    writing = writeAllAt(handle, pieces, writeAt);
    writing.catch(() => undefined); // awaited before the next write and at the end
    writeAt += length;
  };
  progress('decrypt', 0, size);
  let turn: 0 | 1 = 0;
  let reading: Promise<Buffer> | undefined = size > 0 ? readBlock(0, buffers[0]) : undefined;
  while (reading !== undefined) {
    const block = await reading;
    if (block.length === 0) throw new CliError('CLI_ERR_MEDIA_TRUNCATED', `the downloaded file ended after ${readAt} of ${size} bytes`);
    readAt += block.length;
    signal.throwIfAborted();
    turn = turn === 0 ? 1 : 0;
    // The other buffer's block was consumed (the decryptor copies what it keeps): read into it.
    reading = readAt < size ? readBlock(readAt, buffers[turn]) : undefined;
    reading?.catch(() => undefined); // awaited on the next turn
    await write(decryptor.pushPieces(block));
    progress('decrypt', readAt, size);
  }
  await write([decryptor.finish()]);
  await writing;
  if (writeAt !== pointer.plaintextSize) throw new CliError('CLI_ERR_MEDIA_UNDECRYPTABLE', `${writeAt} plaintext bytes, the message says ${pointer.plaintextSize}`);
  await handle.truncate(writeAt);
}

/** Downloads into a `.part` file beside `path`, verifies, decrypts it in place, then names it `path`. */
async function downloadToFile(profile: Profile, url: string, pointer: MediaPointer, path: string, options: DownloadOptions): Promise<void> {
  const { progress, signal } = options;
  const part = join(dirname(path), `.sealpost-${toB64(profile.crypto.randomBytes(9))}.part`);
  let handle: FileHandle | undefined;
  try {
    // Exclusive create, read and write, 0600: the file is ours alone from its first byte.
    handle = await open(part, 'wx+', 0o600);
    await downloadVerified(profile, url, handle, pointer, progress, signal);
    // Only now, with the digest verified, is the file read (once) and decrypted.
    try {
      await decryptInPlace(profile, handle, pointer, progress, signal);
    } catch (error) {
      if ((error as { name?: unknown }).name === 'AbortError') throw new CliError('CLI_ERR_INTERRUPTED', 'the download was stopped', undefined, { cause: error });
      throw downloadFailure(error);
    }
    // The data must be on disk before the name points at it (a crash leaves no torn file).
    await handle.sync();
    await handle.close();
    handle = undefined;
    await place(part, path, options.force);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(part, { force: true });
    throw writeFailure(path, error);
  }
}

/** `--out -`: the ciphertext goes to a private temporary folder, then is decrypted to the stream. */
async function downloadToStream(profile: Profile, url: string, pointer: MediaPointer, stream: Writable, options: DownloadOptions): Promise<void> {
  const { progress, signal } = options;
  await withPrivateTempDir(options.tempRoot, async (dir) => {
    const handle = await open(join(dir, 'download.media'), 'wx+', 0o600);
    try {
      await downloadVerified(profile, url, handle, pointer, progress, signal);
      // Only now, with the digest verified, is the file read (once, through the same descriptor)
      // and decrypted.
      const size = pointer.ciphertextSize;
      const decryptor = createMediaDecryptor(profile.crypto, pointer.key, undefined, { plaintextSize: pointer.plaintextSize, hashCiphertext: false, primitives: nodeMediaPrimitives });
      const buffer = Buffer.allocUnsafe(BLOCK_BYTES);
      progress('decrypt', 0, size);
      try {
        for (let position = 0; position < size; ) {
          signal.throwIfAborted();
          const { bytesRead } = await handle.read(buffer, 0, Math.min(BLOCK_BYTES, size - position), position);
          if (bytesRead === 0) throw new CliError('CLI_ERR_MEDIA_TRUNCATED', `the downloaded file ended after ${position} of ${size} bytes`);
          position += bytesRead;
          const plain = decryptor.push(buffer.subarray(0, bytesRead));
          if (plain.length > 0) await writeAll(stream, plain);
          progress('decrypt', position, size);
        }
        const last = decryptor.finish();
        if (last.length > 0) await writeAll(stream, last);
      } catch (error) {
        if ((error as { name?: unknown }).name === 'AbortError') throw new CliError('CLI_ERR_INTERRUPTED', 'the download was stopped', undefined, { cause: error });
        throw downloadFailure(error);
      }
    } finally {
      await handle.close();
    }
  });
}

/** Downloads, verifies and decrypts the file of `message` to `options.target`. */
export async function downloadFile(profile: Profile, http: RelayHttp, message: FileMessage, options: DownloadOptions): Promise<void> {
  const pointer: MediaPointer = pointerOf(message.file);
  const { target } = options;
  if (target.kind === 'file') await refuseExisting(target.path, options.force);
  const grant = await http.mediaDownload(pointer.mediaId);
  if (grant.size !== pointer.ciphertextSize) {
    throw new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', `the relay holds ${grant.size} bytes, the message says ${pointer.ciphertextSize}`);
  }
  if (target.kind === 'stream') await downloadToStream(profile, grant.url, pointer, target.stream, options);
  else await downloadToFile(profile, grant.url, pointer, target.path, options);
}
