/** S3MediaBackend specifics, on s3rver: bucket creation, presigned URL shape and lifetime, failures. */
import { describe, expect, it } from 'vitest';
import { parseMediaConfig } from '../../src/media/media-config.js';
import { RelayError } from '../../src/errors.js';
import { S3MediaBackend } from '../../src/media/s3-media-backend.js';
import { mediaIdForTest, settableClock, startS3Media } from './media-fixtures.js';

describe('S3MediaBackend', () => {
  it('creates a missing bucket once and accepts an existing one', async () => {
    const h = await startS3Media();
    try {
      const config = parseMediaConfig({ backend: 's3', s3: { endPoint: '127.0.0.1', port: h.port, useSSL: false, bucket: 'another-bucket', accessKey: 'S3RVER', secretKey: 'S3RVER' } });
      const backend = new S3MediaBackend({ config: config.s3, clock: h.clock });
      await backend.ensureBucket();
      await backend.ensureBucket();
      // The new bucket works: a presigned upload lands in it.
      const id = mediaIdForTest();
      const upload = await backend.createUpload(id, 3, h.clock() + 60_000);
      expect(new URL(upload.url).pathname).toBe(`/another-bucket/${id}`);
      expect((await fetch(upload.url, { method: 'PUT', body: Uint8Array.of(1, 2, 3) })).ok).toBe(true);
      expect(await backend.stat(id)).toBe(3);
    } finally {
      await h.stop();
    }
  });

  it('presigns path-style URLs whose lifetime ends at the requested time, from the injected clock', async () => {
    const clock = settableClock(Date.UTC(2030, 0, 2, 3, 4, 5));
    const h = await startS3Media(clock);
    try {
      const id = mediaIdForTest();
      const url = new URL((await h.backend.createUpload(id, 10, clock() + 90_500)).url);
      expect(url.pathname).toBe(`/${h.bucket}/${id}`);
      expect(url.searchParams.get('X-Amz-Date')).toBe('20300102T030405Z');
      expect(url.searchParams.get('X-Amz-Expires')).toBe('91');
      const get = new URL((await h.backend.createDownload(id, clock() + 10 * 24 * 3_600_000)).url);
      // SigV4 query authentication caps at 7 days.
      expect(get.searchParams.get('X-Amz-Expires')).toBe(String(7 * 24 * 3600));
    } finally {
      await h.stop();
    }
  });

  it('reports an unreachable endpoint as RELAY_ERR_MEDIA_BACKEND without leaking its message', async () => {
    const h = await startS3Media();
    await h.stop();
    let thrown: unknown;
    try {
      await h.backend.stat(mediaIdForTest());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RelayError);
    expect((thrown as RelayError).code).toBe('RELAY_ERR_MEDIA_BACKEND');
    expect((thrown as RelayError).message).not.toContain('127.0.0.1');
  });

  it('refuses to start without an endpoint', () => {
    const config = parseMediaConfig({});
    expect(() => new S3MediaBackend({ config: config.s3, clock: Date.now })).toThrow(RelayError);
  });
});
