/**
 * The MediaBackend contract: what every backend must do, run against each implementation
 * (local disk with its routes, S3 through s3rver). Uploads and downloads use real HTTP through
 * fetch on the URLs the backend issues.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BackendHarness, HarnessFactory } from './media-fixtures.js';
import { bytesOf, getBytes, mediaIdForTest, put } from './media-fixtures.js';

export function mediaBackendContract(name: string, start: HarnessFactory): void {
  describe(`MediaBackend contract: ${name}`, () => {
    let h: BackendHarness;
    beforeEach(async () => {
      h = await start();
    });
    afterEach(async () => {
      await h.stop();
    });

    it('stores what is PUT to the upload URL and serves it back on the download URL', async () => {
      const id = mediaIdForTest();
      const body = bytesOf(200_000, 3);
      const upload = await h.backend.createUpload(id, body.length, h.clock() + 60_000);
      expect(upload.method).toBe('PUT');
      expect(await h.backend.stat(id)).toBeUndefined();
      const response = await put(upload.url, body, upload.headers);
      expect(response.ok, `PUT answered ${response.status}`).toBe(true);
      expect(await h.backend.stat(id)).toBe(body.length);
      const download = await h.backend.createDownload(id, h.clock() + 60_000);
      const got = await getBytes(download.url);
      expect(got.status).toBe(200);
      expect(Buffer.from(got.bytes).equals(Buffer.from(body))).toBe(true);
    });

    it('stores an empty-ish and a one-byte object exactly', async () => {
      const id = mediaIdForTest();
      const upload = await h.backend.createUpload(id, 1, h.clock() + 60_000);
      expect((await put(upload.url, Uint8Array.of(7), upload.headers)).ok).toBe(true);
      expect(await h.backend.stat(id)).toBe(1);
      expect((await getBytes((await h.backend.createDownload(id, h.clock() + 60_000)).url)).bytes).toEqual(Uint8Array.of(7));
    });

    it('delete removes the object and is idempotent; unknown objects stat as undefined', async () => {
      const id = mediaIdForTest();
      const upload = await h.backend.createUpload(id, 10, h.clock() + 60_000);
      expect((await put(upload.url, bytesOf(10), upload.headers)).ok).toBe(true);
      await h.backend.delete(id);
      expect(await h.backend.stat(id)).toBeUndefined();
      await h.backend.delete(id);
      await h.backend.delete(mediaIdForTest());
      expect(await h.backend.stat(mediaIdForTest())).toBeUndefined();
      const got = await getBytes((await h.backend.createDownload(id, h.clock() + 60_000)).url);
      expect(got.status).toBe(404);
    });

    it('refuses an upload URL and a download URL after they expire', async () => {
      const id = mediaIdForTest();
      const realNow = Date.now();
      // Issue the URLs "two hours ago" with a one-minute lifetime, then come back to the present.
      h.clock.set(realNow - 2 * 3_600_000);
      const upload = await h.backend.createUpload(id, 10, h.clock() + 60_000);
      h.clock.set(realNow);
      const refused = await put(upload.url, bytesOf(10), upload.headers);
      expect(refused.status).toBe(403);
      expect(await h.backend.stat(id)).toBeUndefined();

      const fresh = await h.backend.createUpload(id, 10, h.clock() + 60_000);
      expect((await put(fresh.url, bytesOf(10), fresh.headers)).ok).toBe(true);
      h.clock.set(realNow - 2 * 3_600_000);
      const download = await h.backend.createDownload(id, h.clock() + 60_000);
      h.clock.set(realNow);
      expect((await getBytes(download.url)).status).toBe(403);
    });

    it('refuses ids that are not media ids', async () => {
      await expect(h.backend.createUpload('../etc/passwd', 10, h.clock() + 60_000)).rejects.toThrow();
      await expect(h.backend.stat('short')).rejects.toThrow();
      await expect(h.backend.delete('a/b/c/d/e/f/g/h/i/j/k')).rejects.toThrow();
    });
  });
}
