// putBlob against a local HTTP server: a body given as arrays and lists of arrays arrives in
// order; the source is asked for at most one piece ahead of the socket; a source that fails
// part-way (the file changed) aborts the request with its own error; an early refusal is reported.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { putBlob } from '../../src/transport/blob-transfer.js';

let server: Server;
let origin: string;
let received: { body: Buffer; aborted: boolean } | undefined;
/** Status to answer before reading the body (an early refusal), or undefined to read it all. */
let refuseWith: number | undefined;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response) => {
    if (refuseWith !== undefined) {
      response.writeHead(refuseWith, { 'content-type': 'application/json', connection: 'close' });
      response.end(JSON.stringify({ error: { code: 'RELAY_ERR_MEDIA_SIZE_MISMATCH', message: 'no' } }));
      request.resume();
      return;
    }
    const chunks: Buffer[] = [];
    const state = { body: Buffer.alloc(0), aborted: false };
    received = state;
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('aborted', () => (state.aborted = true));
    request.on('error', () => (state.aborted = true));
    request.on('end', () => {
      state.body = Buffer.concat(chunks);
      response.writeHead(200);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = typeof address === 'object' && address !== null ? `http://127.0.0.1:${address.port}` : '';
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const options = (onBytes: (n: number) => void = () => undefined) => ({ signal: new AbortController().signal, onBytes });

describe('putBlob', () => {
  it('sends arrays and lists of arrays in order, and reports the bytes', async () => {
    refuseWith = undefined;
    const parts = [Buffer.from('head'), [Buffer.alloc(300_000, 1), Buffer.from('tag1')], Buffer.alloc(0), [Buffer.alloc(70_000, 2)], Buffer.from('end')];
    const expected = Buffer.concat(parts.flat());
    async function* body(): AsyncGenerator<Uint8Array | readonly Uint8Array[]> {
      for (const part of parts) yield part;
    }
    const progress: number[] = [];
    await putBlob(`${origin}/blob`, {}, expected.length, body(), options((n) => progress.push(n)));
    expect(received?.body.equals(expected)).toBe(true);
    expect(progress.at(-1)).toBe(expected.length);
  });

  it('asks its source for at most one piece beyond what it has written', async () => {
    refuseWith = undefined;
    let produced = 0;
    let written = 0;
    let maxAhead = 0;
    const piece = Buffer.alloc(1024 * 1024, 3);
    async function* body(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 8; i++) {
        produced++;
        maxAhead = Math.max(maxAhead, produced - written);
        yield piece;
      }
    }
    await putBlob(`${origin}/blob`, {}, 8 * piece.length, body(), options(() => written++));
    expect(received?.body.length).toBe(8 * piece.length);
    expect(maxAhead).toBeLessThanOrEqual(2);
  });

  it('a source failing part-way aborts the upload with its own error', async () => {
    refuseWith = undefined;
    const failure = new Error('the file changed');
    async function* body(): AsyncGenerator<Uint8Array> {
      yield Buffer.alloc(100_000, 4);
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw failure;
    }
    await expect(putBlob(`${origin}/blob`, {}, 1_000_000, body(), options())).rejects.toBe(failure);
  });

  it('an early refusal is reported, and the source is stopped', async () => {
    refuseWith = 400;
    let finished = false;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for (let i = 0; i < 1000; i++) yield Buffer.alloc(64 * 1024, 5);
      } finally {
        finished = true;
      }
    }
    await expect(putBlob(`${origin}/blob`, {}, 1000 * 64 * 1024, body(), options())).rejects.toMatchObject({ name: 'RelayRefusal', info: { code: 'RELAY_ERR_MEDIA_SIZE_MISMATCH' } });
    expect(finished).toBe(true);
    refuseWith = undefined;
  });
});
