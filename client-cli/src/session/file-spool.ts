/**
 * Spooling input of unknown length (stdin, a pipe, a FIFO) before it is sent as a file.
 *
 * A file message's size must be known before its encryption starts: padding needs it, and the
 * relay is told the exact ciphertext size before the upload. So such input is first written to
 * a temporary file — encrypted, with the same STREAM construction (docs/media.md), under a
 * throwaway key that exists only in this process's memory. Plaintext never touches the disk,
 * and the spool is unreadable once the process has ended, even if its removal failed (a crash,
 * SIGKILL). Memory stays flat: one chunk at a time each way.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createMediaDecryptor, createMediaEncryptor, type CryptoSuite } from '@sealpost/crypto';
import { nodeMediaPrimitives } from './media-primitives.js';
import { finishWriting, writeAll } from './transfer.js';

export interface Spool {
  /** Plaintext bytes spooled. */
  readonly size: number;
  /** The plaintext again, chunk by chunk (each chunk authenticated before it is released). */
  read(signal: AbortSignal): AsyncGenerator<Uint8Array, void, undefined>;
}

/** Reads `source` to its end into an encrypted spool file in `dir` (a private temporary folder). */
export async function spoolInput(suite: CryptoSuite, source: AsyncIterable<Uint8Array | string>, dir: string, onBytes: (bytes: number) => void): Promise<Spool> {
  const file = join(dir, 'input.spool');
  const encryptor = createMediaEncryptor(suite, undefined, { primitives: nodeMediaPrimitives });
  const key = encryptor.key;
  const out = createWriteStream(file, { flags: 'wx', mode: 0o600 });
  try {
    await writeAll(out, encryptor.header);
    for await (const chunk of source) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const sealed = encryptor.push(bytes);
      if (sealed.length > 0) await writeAll(out, sealed);
      onBytes(encryptor.plaintextSize);
    }
    for (const sealed of encryptor.end()) await writeAll(out, sealed);
    await finishWriting(out);
  } catch (error) {
    out.destroy();
    throw error;
  }
  const size = encryptor.plaintextSize;
  return {
    size,
    async *read(signal) {
      const decryptor = createMediaDecryptor(suite, key, undefined, { plaintextSize: size, primitives: nodeMediaPrimitives });
      // 1 MiB reads: far fewer event-loop round trips than the default 64 KiB.
      for await (const chunk of createReadStream(file, { signal, highWaterMark: 1024 * 1024 })) {
        const plain = decryptor.push(chunk as Buffer);
        if (plain.length > 0) yield plain;
      }
      const last = decryptor.finish();
      if (last.length > 0) yield last;
    },
  };
}
