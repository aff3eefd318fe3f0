// Downloading a file message against a local HTTP server standing in for the relay's media URL:
// a good object is saved under its name; a wrong key, a wrong digest, a short answer or an
// oversize one each fail with their own error and leave nothing in the target folder or the
// temporary folder.
import { createServer, type Server } from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { encryptMedia, type CryptoSuite, type MediaPointer } from '@sealpost/crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attachmentOf } from '../../src/session/file-attachment.js';
import { downloadFile, type FileMessage } from '../../src/session/file-download.js';
import type { Profile } from '../../src/session/profile.js';
import type { TransferPhase } from '../../src/session/transfer.js';
import type { RelayHttp } from '../../src/transport/relay-http.js';
import { testCrypto } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
let suite: CryptoSuite;
let server: Server;
let origin: string;
/** What the server answers for the next GET: the body, and optionally a lie about its length. */
let serve: { body: Uint8Array; declaredLength?: number; cutAt?: number } = { body: new Uint8Array(0) };

beforeAll(async () => {
  suite = await testCrypto();
  server = createServer((_request, response) => {
    const { body, declaredLength, cutAt } = serve;
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(declaredLength ?? body.length) });
    if (cutAt === undefined) {
      response.end(body);
    } else {
      // A connection lost part-way: some bytes, then nothing.
      response.write(body.subarray(0, cutAt), () => response.destroy());
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => temp.cleanup());

const MEDIA_ID = 'media-0123456789abcdef';

function fakeHttp(size: number): RelayHttp {
  const http = { mediaDownload: async () => ({ mediaId: MEDIA_ID, url: `${origin}/blob/${MEDIA_ID}`, size, urlExpiresAt: 0, expiresAt: 0 }) };
  return http as unknown as RelayHttp;
}

function message(pointer: MediaPointer): FileMessage {
  return { id: 'msg-1', relayId: null, direction: 'in', peer: 'sp1x', body: '', sentAt: 1, storedAt: 1, senderDevice: 1, deliveries: [], readAt: null, file: attachmentOf(pointer, 'msg-1') };
}

/** An encrypted file and its honest pointer. */
function encrypted(plaintext: Uint8Array): { ciphertext: Uint8Array; pointer: MediaPointer } {
  const media = encryptMedia(suite, plaintext, { padding: true });
  const pointer: MediaPointer = { mediaId: MEDIA_ID, key: media.key, digest: media.digest, plaintextSize: media.plaintextSize, ciphertextSize: media.ciphertextSize, fileName: 'data.bin', contentType: 'application/octet-stream' };
  return { ciphertext: media.ciphertext, pointer };
}

async function download(pointer: MediaPointer, target: string, tempRoot: string, phases: TransferPhase[] = []): Promise<void> {
  const profile = { crypto: suite } as unknown as Profile;
  await downloadFile(profile, fakeHttp(pointer.ciphertextSize), message(pointer), {
    target: { kind: 'file', path: target },
    force: false,
    tempRoot,
    signal: new AbortController().signal,
    progress: (phase) => {
      if (phases.at(-1) !== phase) phases.push(phase);
    },
  });
}

describe('downloadFile', () => {
  const plaintext = new Uint8Array(200_000).map((_, i) => (i * 7) % 251);

  it('saves a verified, decrypted file under its name, leaving no temporary files', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    serve = { body: ciphertext };
    const phases: TransferPhase[] = [];
    await download(pointer, join(dir, 'data.bin'), tempRoot, phases);
    expect(new Uint8Array(readFileSync(join(dir, 'data.bin')))).toEqual(plaintext);
    expect(phases).toEqual(['download', 'verify', 'decrypt']);
    expect(readdirSync(dir)).toEqual(['data.bin']);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('streams to a writable for --out -', async () => {
    const { ciphertext, pointer } = encrypted(plaintext);
    serve = { body: ciphertext };
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const profile = { crypto: suite } as unknown as Profile;
    await downloadFile(profile, fakeHttp(pointer.ciphertextSize), message(pointer), { target: { kind: 'stream', stream: out }, force: false, tempRoot: temp.make(), signal: new AbortController().signal, progress: () => undefined });
    expect(new Uint8Array(Buffer.concat(chunks))).toEqual(plaintext);
  });

  it('a pointer with another key (digest right): undecryptable, nothing saved', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    serve = { body: ciphertext };
    const wrongKey = { ...pointer, key: suite.randomBytes(32) };
    await expect(download(wrongKey, join(dir, 'data.bin'), tempRoot)).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_UNDECRYPTABLE', exitCode: 2 });
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('an altered object: digest mismatch before any plaintext, nothing saved', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    const altered = Uint8Array.from(ciphertext);
    altered[70_000] = (altered[70_000] as number) ^ 0x80;
    serve = { body: altered };
    const phases: TransferPhase[] = [];
    await expect(download(pointer, join(dir, 'data.bin'), tempRoot, phases)).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_DIGEST_MISMATCH', exitCode: 3 });
    expect(phases).not.toContain('decrypt');
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('hashes while downloading: a mismatch is found when the answer ends, and the file is never read for decryption', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    const altered = Uint8Array.from(ciphertext);
    altered[altered.length - 1] = (altered[altered.length - 1] as number) ^ 0x01;
    serve = { body: altered };
    const events: Array<[TransferPhase, number]> = [];
    const profile = { crypto: suite } as unknown as Profile;
    const run = downloadFile(profile, fakeHttp(pointer.ciphertextSize), message(pointer), {
      target: { kind: 'file', path: join(dir, 'data.bin') },
      force: false,
      tempRoot,
      signal: new AbortController().signal,
      progress: (phase, bytes) => events.push([phase, bytes]),
    });
    await expect(run).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_DIGEST_MISMATCH', exitCode: 3 });
    // download (all bytes), then the check, and nothing after it: no second read, no plaintext.
    expect([...new Set(events.map(([phase]) => phase))]).toEqual(['download', 'verify']);
    expect(events.filter(([phase]) => phase === 'download').at(-1)?.[1]).toBe(pointer.ciphertextSize);
    expect(events.at(-1)).toEqual(['verify', 0]);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('an answer cut short: truncated; an answer longer than declared: stopped as a mismatch', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    serve = { body: ciphertext, cutAt: 100_000 };
    await expect(download(pointer, join(dir, 'data.bin'), tempRoot)).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_TRUNCATED', exitCode: 3 });
    serve = { body: new Uint8Array([...ciphertext, 1, 2, 3]), declaredLength: ciphertext.length + 3 };
    await expect(download(pointer, join(dir, 'data.bin'), tempRoot)).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_DIGEST_MISMATCH' });
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('decrypts a file of several 1 MiB blocks in place, across block and chunk boundaries', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const big = new Uint8Array(3 * 1024 * 1024 + 70_000).map((_, i) => (i * 13 + (i >>> 16)) % 251);
    const { ciphertext, pointer } = encrypted(big);
    serve = { body: ciphertext };
    const events: Array<[TransferPhase, number]> = [];
    const profile = { crypto: suite } as unknown as Profile;
    await downloadFile(profile, fakeHttp(pointer.ciphertextSize), message(pointer), {
      target: { kind: 'file', path: join(dir, 'data.bin') },
      force: false,
      tempRoot,
      signal: new AbortController().signal,
      progress: (phase, bytes) => events.push([phase, bytes]),
    });
    expect(Buffer.compare(readFileSync(join(dir, 'data.bin')), Buffer.from(big))).toBe(0);
    expect(events.filter(([phase]) => phase === 'decrypt').at(-1)).toEqual(['decrypt', pointer.ciphertextSize]);
    expect(readdirSync(dir)).toEqual(['data.bin']);
    expect(readdirSync(tempRoot)).toEqual([]);
    // The same through --out -.
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    await downloadFile(profile, fakeHttp(pointer.ciphertextSize), message(pointer), { target: { kind: 'stream', stream: out }, force: false, tempRoot, signal: new AbortController().signal, progress: () => undefined });
    expect(Buffer.compare(Buffer.concat(chunks), Buffer.from(big))).toBe(0);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('a stream whose digest matches but whose later chunk does not open: undecryptable, the partly decrypted file removed', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const big = new Uint8Array(2 * 1024 * 1024 + 5).fill(7);
    const { ciphertext, pointer } = encrypted(big);
    // What a sender could upload: chunk 20 altered, and a pointer whose digest matches it.
    const altered = Uint8Array.from(ciphertext);
    const at = 18 + 20 * (65_536 + 16) + 100;
    altered[at] = (altered[at] as number) ^ 0x01;
    const lying = { ...pointer, digest: suite.sha256(altered) };
    serve = { body: altered };
    const phases: TransferPhase[] = [];
    await expect(download(lying, join(dir, 'data.bin'), tempRoot, phases)).rejects.toMatchObject({ code: 'CLI_ERR_MEDIA_UNDECRYPTABLE' });
    expect(phases).toEqual(['download', 'verify', 'decrypt']);
    expect(readdirSync(dir)).toEqual([]);
    expect(readdirSync(tempRoot)).toEqual([]);
  });

  it('never replaces an existing file without force', async () => {
    const [dir, tempRoot] = [temp.make(), temp.make()];
    const { ciphertext, pointer } = encrypted(plaintext);
    serve = { body: ciphertext };
    writeFileSync(join(dir, 'data.bin'), 'keep me');
    await expect(download(pointer, join(dir, 'data.bin'), tempRoot)).rejects.toMatchObject({ code: 'CLI_ERR_FILE_EXISTS', exitCode: 1 });
    expect(readFileSync(join(dir, 'data.bin'), 'utf8')).toBe('keep me');
    expect(readdirSync(dir)).toEqual(['data.bin']);
  });
});
