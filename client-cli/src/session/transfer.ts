/**
 * What file transfers share: progress reporting (the session reports, commands render it as a
 * bar or NDJSON), writing with backpressure, private temporary folders that are always removed,
 * and the mapping of media stream failures to CLI errors.
 */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { CryptoError } from '@sealpost/crypto';
import { CliError } from '../errors.js';

/**
 * Phases of a transfer: `read` (stdin being spooled; total unknown), `upload`, `download`,
 * `verify` (the digest check before any plaintext) and `decrypt`.
 */
export type TransferPhase = 'read' | 'upload' | 'download' | 'verify' | 'decrypt';

/** Called as bytes move: the phase, bytes so far, and the phase's total when known. */
export type ProgressListener = (phase: TransferPhase, bytes: number, total: number | null) => void;

/** Writes `chunk`, waiting for `drain` when the stream's buffer is full (flat memory). */
export async function writeAll(stream: Writable, chunk: Uint8Array): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

/** Ends a write stream and waits until its data reached the file (rejects on a write error). */
export async function finishWriting(stream: Writable): Promise<void> {
  const finished = once(stream, 'finish');
  stream.end();
  await finished;
}

/**
 * Runs `work` with a new folder of its own under `root` (mode 0700, as mkdtemp makes it), and
 * removes the folder and everything in it afterwards, whatever happens.
 */
export async function withPrivateTempDir<T>(root: string, work: (dir: string) => Promise<T>): Promise<T> {
  let dir: string;
  try {
    dir = await mkdtemp(join(root, 'sealpost-'));
  } catch (error) {
    throw new CliError('CLI_ERR_FILE_WRITE', `cannot create a temporary folder in ${root}: ${(error as NodeJS.ErrnoException).code ?? 'failed'}`, undefined, { cause: error });
  }
  try {
    return await work(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A stream failure (CryptoError) of a download as the CLI error that says what happened. */
export function downloadFailure(error: unknown): unknown {
  if (!(error instanceof CryptoError)) return error;
  switch (error.code) {
    case 'CRYPTO_ERR_MEDIA_DIGEST_MISMATCH':
      return new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', error.message, undefined, { cause: error });
    case 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH':
      return new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', error.message, undefined, { cause: error });
    // The object is the one the sender uploaded (its digest matched), but it does not open with
    // the key the sender put in the message.
    case 'CRYPTO_ERR_MEDIA_CORRUPT':
    case 'CRYPTO_ERR_MEDIA_TRUNCATED':
      return new CliError('CLI_ERR_MEDIA_UNDECRYPTABLE', `${error.code}: ${error.message}`, undefined, { cause: error });
    default:
      return error;
  }
}
