// Input of unknown length is spooled encrypted under a throwaway key: the plaintext never lands
// on disk, and reading the spool back gives exactly what went in.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spoolInput } from '../../src/session/file-spool.js';
import { testCrypto } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
afterEach(() => temp.cleanup());

async function* pieces(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe('spoolInput', () => {
  it('keeps only ciphertext on disk and reads the input back in order', async () => {
    const dir = temp.make();
    const secret = 'the launch code is 0000; '.repeat(12_000); // ~300 KB: several 64 KiB chunks
    const counts: number[] = [];
    const spool = await spoolInput(await testCrypto(), pieces(secret, 10_000), dir, (bytes) => counts.push(bytes));
    expect(spool.size).toBe(secret.length);
    expect(counts.at(-1)).toBe(secret.length);
    const files = readdirSync(dir);
    expect(files).toEqual(['input.spool']);
    const onDisk = readFileSync(join(dir, 'input.spool'));
    expect(onDisk.includes('launch code')).toBe(false);
    const back: Buffer[] = [];
    for await (const chunk of spool.read(new AbortController().signal)) back.push(Buffer.from(chunk));
    expect(Buffer.concat(back).toString()).toBe(secret);
  });

  it('spools empty input', async () => {
    const spool = await spoolInput(await testCrypto(), pieces('', 1), temp.make(), () => undefined);
    expect(spool.size).toBe(0);
    const back: Uint8Array[] = [];
    for await (const chunk of spool.read(new AbortController().signal)) back.push(chunk);
    expect(back.reduce((n, c) => n + c.length, 0)).toBe(0);
  });
});
