/**
 * MediaService end to end on each real backend (local disk with its routes; S3 through s3rver
 * and the minio client): a file encrypted with @sealpost/crypto's media stream is uploaded with
 * a real HTTP PUT, completed, downloaded and decrypted after its digest verified; plus oversize,
 * expired URL, quota, size mismatch (the object is deleted) and the sweeper.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createMediaEncryptor, decodeMediaPointer, decryptVerifiedMedia, encodeMediaPointer, encryptMediaSource, loadCrypto } from '@sealpost/crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryMediaStore } from '../../src/storage/memory/in-memory-media-store.js';
import { parseMediaConfig } from '../../src/media/media-config.js';
import { RelayError } from '../../src/errors.js';
import { MediaService } from '../../src/media/media-service.js';
import type { BackendHarness } from './media-fixtures.js';
import { BACKEND_HARNESSES, bytesOf, getBytes, put } from './media-fixtures.js';

const suite = await loadCrypto();

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof RelayError ? error.code : `not a RelayError: ${String(error)}`;
  }
}

async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Collects an async iterable into one buffer (test sizes are small). */
async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

for (const [name, start] of BACKEND_HARNESSES) {
  describe(`MediaService on ${name}`, () => {
    let h: BackendHarness;
    let service: MediaService;
    const config = parseMediaConfig({ maxObjectBytes: 2_000_000, quotaBytesPerAccount: 3_000_000 });

    beforeEach(async () => {
      h = await start();
      service = new MediaService({ store: new InMemoryMediaStore(), backend: h.backend, config, clock: h.clock });
    });
    afterEach(async () => {
      await h.stop();
    });

    it('carries an encrypted file from sender to recipient', async () => {
      const file = bytesOf(300_000, 5);
      const encryptor = createMediaEncryptor(suite, undefined, { plaintextSize: file.length, padding: true });
      const grant = await service.createUpload('alice', encryptor.expectedCiphertextSize as number);
      // The sender streams the encryption straight into the PUT body.
      const body = await collect(encryptMediaSource(encryptor, chunksOf(file, 50_000)));
      const response = await put(grant.upload.url, body, grant.upload.headers);
      expect(response.ok, `PUT answered ${response.status}`).toBe(true);
      expect((await service.completeUpload('alice', grant.mediaId)).state).toBe('stored');
      const pointer = decodeMediaPointer(encodeMediaPointer(encryptor.pointer({ mediaId: grant.mediaId, fileName: 'photo.bin', contentType: 'application/octet-stream' })));

      // The recipient asks for a download URL with the id from the pointer.
      const download = await service.createDownload(pointer.mediaId);
      expect(download.size).toBe(pointer.ciphertextSize);
      const got = await getBytes(download.url);
      expect(got.status).toBe(200);
      const plain = await collect(decryptVerifiedMedia(suite, pointer, () => chunksOf(got.bytes, 70_000)));
      expect(Buffer.from(plain).equals(Buffer.from(file))).toBe(true);
    });

    it('refuses a declared size above the maximum and an upload beyond the quota', async () => {
      expect(await code(service.createUpload('alice', 2_000_001))).toBe('RELAY_ERR_MEDIA_TOO_LARGE');
      await service.createUpload('alice', 2_000_000);
      expect(await code(service.createUpload('alice', 1_000_001))).toBe('RELAY_ERR_MEDIA_QUOTA_EXCEEDED');
      expect(await code(service.createUpload('alice', 1_000_000))).toBe('resolved');
    });

    it('refuses an upload URL once it has expired', async () => {
      const realNow = Date.now();
      h.clock.set(realNow - 2 * 3_600_000);
      const grant = await service.createUpload('alice', 10);
      h.clock.set(realNow);
      const response = await put(grant.upload.url, bytesOf(10), grant.upload.headers);
      expect(response.status).toBe(403);
      expect(await h.backend.stat(grant.mediaId)).toBeUndefined();
    });

    it('deletes an object whose size differs from the declared one', async () => {
      const grant = await service.createUpload('alice', 1000);
      if (h.name === 's3') {
        // A presigned S3 PUT cannot bind the size: the bigger body is accepted...
        expect((await put(grant.upload.url, bytesOf(1001), grant.upload.headers)).ok).toBe(true);
      } else {
        // ...the local route refuses it outright, so plant a wrong-sized object on disk instead.
        expect((await put(grant.upload.url, bytesOf(1001), grant.upload.headers)).status).toBe(413);
        writeFileSync(join(h.dir.path, 'media', grant.mediaId), bytesOf(999));
      }
      expect(await h.backend.stat(grant.mediaId)).not.toBeUndefined();
      expect(await code(service.completeUpload('alice', grant.mediaId))).toBe('RELAY_ERR_MEDIA_SIZE_MISMATCH');
      expect(await h.backend.stat(grant.mediaId)).toBeUndefined();
      expect(await code(service.createDownload(grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_READY');
    });

    it('the sweeper removes deleted and expired objects from the backend', async () => {
      const upload = async (ttlSeconds?: number) => {
        const grant = await service.createUpload('alice', 100, ttlSeconds);
        expect((await put(grant.upload.url, bytesOf(100), grant.upload.headers)).ok).toBe(true);
        await service.completeUpload('alice', grant.mediaId);
        return grant.mediaId;
      };
      const kept = await upload();
      const deleted = await upload();
      const expiring = await upload(60);
      await service.delete('alice', deleted);
      expect((await service.sweep()).removed).toBe(1);
      expect(await h.backend.stat(deleted)).toBeUndefined();
      expect(await h.backend.stat(expiring)).toBe(100);
      h.clock.advance(60_000);
      expect((await service.sweep()).removed).toBe(1);
      expect(await h.backend.stat(expiring)).toBeUndefined();
      expect(await h.backend.stat(kept)).toBe(100);
      expect(await code(service.createDownload(expiring))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
    });
  });
}
