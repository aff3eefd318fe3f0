/**
 * Fetching the file of a file message (docs/cli.md "Files", docs/media.md "Download"):
 *
 *   GET /v1/media/:id/download ─► stream the ciphertext into a private temporary folder,
 *   hashing it as it arrives ─► check size and SHA-256 against the pointer (no plaintext exists
 *   yet) ─► decrypt the file once, without hashing again, into a temporary file beside the
 *   target ─► fsync ─► move it to the final name
 *
 * The digest is computed over exactly the bytes written to the private file (mode 0600 in a 0700
 * folder of our own), so the decryption pass reads what was verified; it does not hash again, and
 * every chunk it decrypts is still authenticated under the pointer's key (docs/media.md
 * "Download").
 *
 * So a tampered, truncated or swapped object, or one that does not open with the message's key,
 * leaves nothing under the final name (and the temporary files are removed). The final name is
 * taken without replacing anything: a hard link fails if the name exists (even one created
 * while the download ran), unless --force was given. Files are created with mode 0600: the
 * content came end-to-end encrypted and stays private until the user shares it.
 */
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { link, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { createMediaDigestVerifier, decryptMediaSource, type MediaPointer } from '@sealpost/crypto';
import { CliError } from '../errors.js';
import type { FileAttachment, MessageRecord } from '../store/records.js';
import { getBlob } from '../transport/blob-transfer.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { toB64 } from './encoding.js';
import { pointerOf } from './file-attachment.js';
import type { Profile } from './profile.js';
import { downloadFailure, finishWriting, withPrivateTempDir, writeAll, type ProgressListener, type TransferPhase } from './transfer.js';

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

/** Reads the ciphertext file, reporting progress under `phase`. */
async function* counted(file: string, phase: TransferPhase, total: number, progress: ProgressListener, signal: AbortSignal): AsyncGenerator<Uint8Array, void, undefined> {
  let bytes = 0;
  progress(phase, 0, total);
  for await (const chunk of createReadStream(file, { signal, highWaterMark: 256 * 1024 })) {
    bytes += (chunk as Buffer).length;
    progress(phase, bytes, total);
    yield chunk as Buffer;
  }
}

/** Writes the verified plaintext to a temporary file beside `path`, then gives it that name. */
async function saveFile(plaintext: AsyncIterable<Uint8Array>, path: string, force: boolean, random: string): Promise<void> {
  const part = join(dirname(path), `.sealpost-${random}.part`);
  let out: WriteStream | undefined;
  const create = (): WriteStream => createWriteStream(part, { flags: 'wx', mode: 0o600 });
  try {
    // Created only when the first plaintext exists, i.e. after the digest check passed.
    for await (const chunk of plaintext) await writeAll((out ??= create()), chunk);
    out ??= create();
    await finishWriting(out);
    // The data must be on disk before the name points at it (a crash leaves no torn file).
    const handle = await open(part, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await place(part, path, force);
  } catch (error) {
    out?.destroy();
    await rm(part, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && (error as { syscall?: unknown }).syscall !== undefined) {
      throw new CliError('CLI_ERR_FILE_WRITE', `${path}: ${code}`, undefined, { cause: error });
    }
    throw error;
  }
}

/** Downloads, verifies and decrypts the file of `message` to `options.target`. */
export async function downloadFile(profile: Profile, http: RelayHttp, message: FileMessage, options: DownloadOptions): Promise<void> {
  const pointer: MediaPointer = pointerOf(message.file);
  const { target, progress, signal } = options;
  if (target.kind === 'file') await refuseExisting(target.path, options.force);
  const grant = await http.mediaDownload(pointer.mediaId);
  if (grant.size !== pointer.ciphertextSize) {
    throw new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', `the relay holds ${grant.size} bytes, the message says ${pointer.ciphertextSize}`);
  }
  const size = pointer.ciphertextSize;
  await withPrivateTempDir(options.tempRoot, async (dir) => {
    const cipherFile = join(dir, 'download.media');
    // The digest is checked as the bytes arrive: the verifier sees each piece before it is
    // written, refuses anything past the declared size at once, and `finish()` below compares
    // size and SHA-256 before a single byte is decrypted.
    const verifier = createMediaDigestVerifier(profile.crypto, pointer);
    progress('download', 0, size);
    try {
      await getBlob(grant.url, createWriteStream(cipherFile, { flags: 'wx', mode: 0o600 }), size, {
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
    // Only now, with the digest verified, is the file read (once) and decrypted.
    const plaintext = decryptMediaSource(profile.crypto, pointer, counted(cipherFile, 'decrypt', size, progress, signal));
    try {
      if (target.kind === 'stream') {
        for await (const chunk of plaintext) await writeAll(target.stream, chunk);
      } else {
        await saveFile(plaintext, target.path, options.force, toB64(profile.crypto.randomBytes(9)));
      }
    } catch (error) {
      if ((error as { name?: unknown }).name === 'AbortError') throw new CliError('CLI_ERR_INTERRUPTED', 'the download was stopped', undefined, { cause: error });
      throw downloadFailure(error);
    }
  });
}
