/**
 * MediaService rules on an in-memory store and a scripted backend: limits, ownership, states,
 * idempotent completion, size checks, backend failures and the sweeper's bookkeeping.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InMemoryMediaStore } from '../../src/storage/memory/in-memory-media-store.js';
import type { MediaBackend } from '../../src/media/media-backend.js';
import { parseMediaConfig } from '../../src/media/media-config.js';
import type { MediaConfigInput } from '../../src/media/media-config.js';
import { RelayError } from '../../src/errors.js';
import { MediaService, newMediaId } from '../../src/media/media-service.js';
import { settableClock } from './media-fixtures.js';
import type { SettableClock } from './media-fixtures.js';

class ScriptedBackend implements MediaBackend {
  readonly kind = 'local';
  readonly objects = new Map<string, number>();
  readonly deleted: string[] = [];
  failDeleteOf = new Set<string>();
  failUploads = false;

  async createUpload(mediaId: string, size: number, expiresAt: number) {
    if (this.failUploads) throw new Error('backend down');
    return { url: `https://media.test/${mediaId}?size=${size}&exp=${expiresAt}`, method: 'PUT' as const };
  }
  async createDownload(mediaId: string, expiresAt: number) {
    return { url: `https://media.test/${mediaId}?exp=${expiresAt}` };
  }
  async stat(mediaId: string) {
    return this.objects.get(mediaId);
  }
  async delete(mediaId: string) {
    if (this.failDeleteOf.has(mediaId)) throw new Error('delete failed');
    this.deleted.push(mediaId);
    this.objects.delete(mediaId);
  }
}

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof RelayError ? error.code : `not a RelayError: ${String(error)}`;
  }
}

let clock: SettableClock;
let store: InMemoryMediaStore;
let backend: ScriptedBackend;
let service: MediaService;

function build(config: MediaConfigInput = {}): void {
  clock = settableClock(1_700_000_000_000);
  store = new InMemoryMediaStore();
  backend = new ScriptedBackend();
  service = new MediaService({ store, backend, config: parseMediaConfig(config), clock });
}

beforeEach(() => build());

/** Grants an upload and "uploads" an object of `actual` bytes to the backend. */
async function uploaded(owner: string, declared: number, actual = declared) {
  const grant = await service.createUpload(owner, declared);
  backend.objects.set(grant.mediaId, actual);
  return grant;
}

describe('MediaService', () => {
  it('makes unguessable 43-character base64url ids', () => {
    const ids = new Set(Array.from({ length: 100 }, newMediaId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('grants an upload with the configured lifetimes', async () => {
    const now = clock();
    const grant = await service.createUpload('alice', 1234);
    expect(grant.declaredSize).toBe(1234);
    expect(grant.upload.method).toBe('PUT');
    expect(grant.uploadExpiresAt).toBe(now + 900_000);
    expect(grant.completeBy).toBe(now + 3_600_000);
    expect(grant.expiresAt).toBe(now + 30 * 86_400_000);
    expect(grant.upload.url).toContain(`exp=${now + 900_000}`);
    const shorter = await service.createUpload('alice', 1, 60);
    expect(shorter.expiresAt).toBe(now + 60_000);
    expect(await service.usage('alice')).toEqual({ bytes: 1235, objects: 2, pending: 2 });
  });

  it('refuses sizes out of range and lifetimes above the maximum', async () => {
    build({ maxObjectBytes: 1000, quotaBytesPerAccount: 5000, maxTtlSeconds: 100, defaultTtlSeconds: 50 });
    expect(await code(service.createUpload('alice', 1001))).toBe('RELAY_ERR_MEDIA_TOO_LARGE');
    expect(await code(service.createUpload('alice', 1000))).toBe('resolved');
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(await code(service.createUpload('alice', bad))).toBe('RELAY_ERR_MEDIA_SIZE_INVALID');
    expect(await code(service.createUpload('alice', 10, 101))).toBe('RELAY_ERR_MEDIA_TTL_TOO_LONG');
    expect(await code(service.createUpload('alice', 10, 0))).toBe('RELAY_ERR_MEDIA_TTL_TOO_LONG');
  });

  it('enforces the account quota on declared bytes, object count and pending uploads', async () => {
    build({ maxObjectBytes: 600, quotaBytesPerAccount: 1000, maxObjectsPerAccount: 3, maxPendingUploadsPerAccount: 2 });
    const a = await uploaded('alice', 600);
    await service.completeUpload('alice', a.mediaId);
    expect(await code(service.createUpload('alice', 401))).toBe('RELAY_ERR_MEDIA_QUOTA_EXCEEDED');
    expect(await code(service.createUpload('bob', 600))).toBe('resolved');
    await service.createUpload('alice', 100);
    await service.createUpload('alice', 100);
    expect(await code(service.createUpload('alice', 1))).toBe('RELAY_ERR_MEDIA_TOO_MANY_PENDING');
    build({ maxObjectBytes: 600, quotaBytesPerAccount: 1000, maxObjectsPerAccount: 2, maxPendingUploadsPerAccount: 5 });
    await service.createUpload('alice', 1);
    await service.createUpload('alice', 1);
    expect(await code(service.createUpload('alice', 1))).toBe('RELAY_ERR_MEDIA_QUOTA_EXCEEDED');
  });

  it('stores only after completion with the declared size, and completion is idempotent', async () => {
    const grant = await service.createUpload('alice', 500);
    expect(await code(service.createDownload(grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_READY');
    expect(await code(service.completeUpload('alice', grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_UPLOADED');
    backend.objects.set(grant.mediaId, 500);
    expect(await code(service.completeUpload('bob', grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_OWNER');
    const done = await service.completeUpload('alice', grant.mediaId);
    expect(done).toMatchObject({ mediaId: grant.mediaId, size: 500, state: 'stored' });
    expect(await service.completeUpload('alice', grant.mediaId)).toEqual(done);
    const download = await service.createDownload(grant.mediaId);
    expect(download).toMatchObject({ mediaId: grant.mediaId, size: 500, urlExpiresAt: clock() + 900_000 });
    expect(await service.info('alice', grant.mediaId)).toEqual(done);
    expect(await code(service.info('bob', grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_OWNER');
  });

  it('deletes an object of the wrong size and keeps the upload pending', async () => {
    const grant = await uploaded('alice', 500, 501);
    const error = await service.completeUpload('alice', grant.mediaId).catch((e: unknown) => e);
    expect((error as RelayError).code).toBe('RELAY_ERR_MEDIA_SIZE_MISMATCH');
    expect((error as RelayError).details).toEqual({ declaredSize: 500, uploadedSize: 501 });
    expect(backend.objects.has(grant.mediaId)).toBe(false);
    expect(backend.deleted).toEqual([grant.mediaId]);
    expect(await code(service.createDownload(grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_READY');
    backend.objects.set(grant.mediaId, 500);
    expect((await service.completeUpload('alice', grant.mediaId)).state).toBe('stored');
  });

  it('never issues a download URL that outlives the media', async () => {
    const grant = await service.createUpload('alice', 5, 60);
    backend.objects.set(grant.mediaId, 5);
    await service.completeUpload('alice', grant.mediaId);
    expect((await service.createDownload(grant.mediaId)).urlExpiresAt).toBe(grant.expiresAt);
  });

  it('treats expired, abandoned, deleted and unknown media alike: not found', async () => {
    const expiring = await uploaded('alice', 5);
    await service.completeUpload('alice', expiring.mediaId);
    const abandoned = await service.createUpload('alice', 5);
    clock.advance(3_600_000);
    expect(await code(service.completeUpload('alice', abandoned.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
    clock.advance(30 * 86_400_000);
    expect(await code(service.createDownload(expiring.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
    expect(await code(service.createDownload(newMediaId()))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
  });

  it('lets only the uploader delete; downloads stop at once and the quota is freed', async () => {
    build({ maxObjectBytes: 100, quotaBytesPerAccount: 100 });
    const grant = await uploaded('alice', 100);
    await service.completeUpload('alice', grant.mediaId);
    expect(await code(service.createUpload('alice', 1))).toBe('RELAY_ERR_MEDIA_QUOTA_EXCEEDED');
    expect(await code(service.delete('bob', grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_OWNER');
    await service.delete('alice', grant.mediaId);
    expect(await code(service.delete('alice', grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
    expect(await code(service.createDownload(grant.mediaId))).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
    expect(await code(service.createUpload('alice', 100))).toBe('resolved');
  });

  it('gives the quota back when the backend cannot issue an upload URL', async () => {
    build({ maxObjectBytes: 100, quotaBytesPerAccount: 100 });
    backend.failUploads = true;
    expect(await code(service.createUpload('alice', 100))).toBe('RELAY_ERR_MEDIA_BACKEND');
    backend.failUploads = false;
    expect(await code(service.createUpload('alice', 100))).toBe('resolved');
  });

  it('sweeps deleted, expired and abandoned media from the backend and the store, retrying failures', async () => {
    const kept = await uploaded('alice', 5);
    await service.completeUpload('alice', kept.mediaId);
    const deleted = await uploaded('alice', 5);
    await service.completeUpload('alice', deleted.mediaId);
    await service.delete('alice', deleted.mediaId);
    const expiring = await service.createUpload('alice', 5, 60);
    backend.objects.set(expiring.mediaId, 5);
    await service.completeUpload('alice', expiring.mediaId);
    const abandoned = await uploaded('alice', 5); // uploaded but never completed

    expect(await service.sweep()).toEqual({ removed: 1, failed: 0, partials: 0 });
    expect(backend.deleted).toEqual([deleted.mediaId]);
    clock.advance(3_600_000);
    backend.failDeleteOf.add(abandoned.mediaId);
    expect(await service.sweep()).toEqual({ removed: 1, failed: 1, partials: 0 });
    expect(backend.objects.has(expiring.mediaId)).toBe(false);
    expect(backend.objects.has(abandoned.mediaId)).toBe(true);
    backend.failDeleteOf.clear();
    expect(await service.sweep()).toEqual({ removed: 1, failed: 0, partials: 0 });
    expect(backend.objects.has(abandoned.mediaId)).toBe(false);
    expect([...backend.objects.keys()]).toEqual([kept.mediaId]);
    expect(await store.get(deleted.mediaId)).toBeUndefined();
    expect(await store.listSweepable(clock(), 100)).toEqual([]);
  });

  it('never logs a whole media id (it is a download capability)', async () => {
    const lines: string[] = [];
    const logger = { info: (o: Record<string, unknown>) => lines.push(JSON.stringify(o)), warn: (o: Record<string, unknown>) => lines.push(JSON.stringify(o)) };
    service = new MediaService({ store, backend, config: parseMediaConfig({}), clock, logger });
    const ok = await uploaded('alice', 5);
    await service.completeUpload('alice', ok.mediaId);
    const bad = await uploaded('alice', 5, 6);
    await service.completeUpload('alice', bad.mediaId).catch(() => undefined);
    await service.delete('alice', ok.mediaId);
    backend.failDeleteOf.add(ok.mediaId);
    await service.sweep();
    expect(lines.length).toBeGreaterThanOrEqual(6);
    for (const line of lines) {
      expect(line).not.toContain(ok.mediaId);
      expect(line).not.toContain(bad.mediaId);
    }
    expect(lines.some((line) => line.includes(ok.mediaId.slice(0, 8)))).toBe(true);
  });

  it('sweeps a backlog larger than one batch', async () => {
    build({ sweepBatch: 3, maxPendingUploadsPerAccount: 20 });
    for (let i = 0; i < 10; i++) await uploaded('alice', 1);
    clock.advance(3_600_000);
    expect((await service.sweep()).removed).toBe(10);
    expect(backend.objects.size).toBe(0);
  });
});
