/**
 * The local backend's HTTP routes: every refusal (oversize, undersize, bad or tampered signature,
 * expired URL, replacing a stored object, missing object) with its code, and that a refused or
 * aborted upload leaves nothing behind.
 */
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHarness } from './media-fixtures.js';
import { bytesOf, getBytes, mediaIdForTest, put, startLocalMedia, streamOf } from './media-fixtures.js';

let h: LocalHarness;
beforeEach(async () => {
  h = await startLocalMedia();
});
afterEach(async () => {
  await h.stop();
});

const mediaDir = () => h.backend.directory;
const leftovers = () => readdirSync(mediaDir()).filter((name) => name.endsWith('.part'));

async function codeOf(response: Response): Promise<string> {
  const body = (await response.json()) as { error: { code: string } };
  return body.error.code;
}

/** Waits (bounded) until the folder has no partial uploads; the server cleans up asynchronously. */
async function noLeftovers(): Promise<string[]> {
  for (let i = 0; i < 200 && leftovers().length > 0; i++) await new Promise((r) => setTimeout(r, 10));
  return leftovers();
}

async function uploadUrl(size: number, id = mediaIdForTest()): Promise<{ id: string; url: string }> {
  return { id, url: (await h.backend.createUpload(id, size, h.clock() + 60_000)).url };
}

describe('local media routes', () => {
  it('issues URLs on the relay origin with a signed query', async () => {
    const { id, url } = await uploadUrl(10);
    const parsed = new URL(url);
    expect(parsed.origin).toBe(h.origin);
    expect(parsed.pathname).toBe(`/v1/media/blob/${id}`);
    expect([...parsed.searchParams.keys()].sort()).toEqual(['exp', 'op', 'sig', 'size']);
  });

  it('refuses a body longer than declared (Content-Length) before reading it', async () => {
    const { id, url } = await uploadUrl(10);
    const response = await put(url, bytesOf(11));
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe('RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE');
    expect(await h.backend.stat(id)).toBeUndefined();
    expect(await noLeftovers()).toEqual([]);
  });

  it('refuses a chunked body that runs past the declared size and keeps nothing', async () => {
    const { id, url } = await uploadUrl(100_000);
    const response = await put(url, streamOf([bytesOf(60_000), bytesOf(60_000)]));
    expect(response.status).toBe(413);
    expect(await codeOf(response)).toBe('RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE');
    expect(await h.backend.stat(id)).toBeUndefined();
    expect(await noLeftovers()).toEqual([]);
  });

  it('refuses a body shorter than declared, by header or by stream, and keeps nothing', async () => {
    const short = await uploadUrl(10);
    const byHeader = await put(short.url, bytesOf(9));
    expect(byHeader.status).toBe(400);
    expect(await codeOf(byHeader)).toBe('RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE');
    const streamed = await put(short.url, streamOf([bytesOf(4), bytesOf(5)]));
    expect(streamed.status).toBe(400);
    expect(await codeOf(streamed)).toBe('RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE');
    expect(await h.backend.stat(short.id)).toBeUndefined();
    expect(await noLeftovers()).toEqual([]);
    // The same URL still works for a correct upload.
    expect((await put(short.url, bytesOf(10))).status).toBe(204);
    expect(await h.backend.stat(short.id)).toBe(10);
  });

  it('accepts a chunked body of exactly the declared size and any content type', async () => {
    const { id, url } = await uploadUrl(120_000);
    const body = bytesOf(120_000, 9);
    const response = await put(url, streamOf([body.subarray(0, 1), body.subarray(1, 70_000), body.subarray(70_000)]), { 'content-type': 'text/plain' });
    expect(response.status).toBe(204);
    const got = await getBytes((await h.backend.createDownload(id, h.clock() + 60_000)).url);
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
    expect(got.headers.get('content-length')).toBe('120000');
    expect(Buffer.from(got.bytes).equals(Buffer.from(body))).toBe(true);
  });

  it('accepts a body sent without any Content-Type', async () => {
    const { id, url } = await uploadUrl(5);
    const response = await fetch(url, { method: 'PUT', body: bytesOf(5) });
    expect(response.status).toBe(204);
    expect(await h.backend.stat(id)).toBe(5);
  });

  it('refuses bad and tampered signatures', async () => {
    const { id, url } = await uploadUrl(10);
    const tamper = (edit: (u: URL) => void) => {
      const u = new URL(url);
      edit(u);
      return u.toString();
    };
    const sig = new URL(url).searchParams.get('sig') as string;
    const cases: Array<[string, string]> = [
      ['flipped signature', tamper((u) => u.searchParams.set('sig', (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1)))],
      ['missing signature', tamper((u) => u.searchParams.delete('sig'))],
      ['larger size', tamper((u) => u.searchParams.set('size', '11'))],
      ['later expiry', tamper((u) => u.searchParams.set('exp', String(Number(u.searchParams.get('exp')) + 1)))],
      ['other media id', tamper((u) => (u.pathname = `/v1/media/blob/${mediaIdForTest()}`))],
      ['download URL used to upload', (await h.backend.createDownload(id, h.clock() + 60_000)).url],
    ];
    for (const [label, bad] of cases) {
      const response = await put(bad, bytesOf(label === 'larger size' ? 11 : 10));
      expect(response.status, label).toBe(403);
      expect(await codeOf(response), label).toBe('RELAY_ERR_MEDIA_URL_INVALID');
    }
    expect(await h.backend.stat(id)).toBeUndefined();
    const getWithPutUrl = await fetch(url);
    expect(getWithPutUrl.status).toBe(403);
    expect(await codeOf(getWithPutUrl)).toBe('RELAY_ERR_MEDIA_URL_INVALID');
  });

  it('refuses an expired URL with its own code', async () => {
    const { id, url } = await uploadUrl(10);
    h.clock.advance(60_000);
    const response = await put(url, bytesOf(10));
    expect(response.status).toBe(403);
    expect(await codeOf(response)).toBe('RELAY_ERR_MEDIA_URL_EXPIRED');
    expect(await h.backend.stat(id)).toBeUndefined();
  });

  it('never replaces a stored object', async () => {
    const { id, url } = await uploadUrl(10);
    expect((await put(url, bytesOf(10, 1))).status).toBe(204);
    const again = await put(url, bytesOf(10, 2));
    expect(again.status).toBe(409);
    expect(await codeOf(again)).toBe('RELAY_ERR_MEDIA_ALREADY_UPLOADED');
    const got = await getBytes((await h.backend.createDownload(id, h.clock() + 60_000)).url);
    expect(got.bytes).toEqual(bytesOf(10, 1));
  });

  it('answers 404 for a signed download of a missing object', async () => {
    const response = await fetch((await h.backend.createDownload(mediaIdForTest(), h.clock() + 60_000)).url);
    expect(response.status).toBe(404);
    expect(await codeOf(response)).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
  });

  it('discards an upload the client aborts', async () => {
    const { id, url } = await uploadUrl(1_000_000);
    const controller = new AbortController();
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ < 3) c.enqueue(bytesOf(50_000));
        else controller.abort();
      },
    });
    await expect(fetch(url, { method: 'PUT', body, signal: controller.signal, duplex: 'half' } as RequestInit)).rejects.toThrow();
    expect(await noLeftovers()).toEqual([]);
    expect(await h.backend.stat(id)).toBeUndefined();
  });

  it('purgeIncomplete removes stale partial files only', async () => {
    const stale = join(mediaDir(), `${mediaIdForTest()}.0011223344556677.part`);
    const fresh = join(mediaDir(), `${mediaIdForTest()}.8899aabbccddeeff.part`);
    writeFileSync(stale, 'x');
    writeFileSync(fresh, 'y');
    const old = new Date(Date.now() - 2 * 3_600_000);
    utimesSync(stale, old, old);
    expect(await h.backend.purgeIncomplete(Date.now() - 3_600_000)).toBe(1);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });

  it('keeps objects in files readable only by the relay', async () => {
    const { id, url } = await uploadUrl(3);
    await put(url, bytesOf(3));
    expect(statSync(join(mediaDir(), id)).mode & 0o077).toBe(0);
  });
});
