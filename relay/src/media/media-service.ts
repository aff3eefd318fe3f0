/**
 * MediaService: the relay's media rules (DESIGN.md §4 "Media"; docs/media.md "Lifecycle").
 *
 * 1. createUpload: the uploader declares the ciphertext size (and optionally a lifetime). The
 *    size must be at most media.maxObjectBytes, and the account's live pending + stored media
 *    must stay within its byte, object and pending-upload limits (checked atomically by the
 *    store). The relay picks an unguessable id and returns a short-lived upload URL.
 * 2. completeUpload: the uploader says it is done; the backend's size of the object must equal
 *    the declared size, otherwise the object is deleted and the upload refused. Only then is
 *    the media `stored` and downloadable.
 * 3. createDownload: anyone authenticated who holds the id (it travels inside an end-to-end
 *    encrypted message) gets a short-lived download URL, never valid past the media's expiry.
 * 4. delete: the uploader may delete at any time; downloads stop at once and the sweeper
 *    removes the object.
 * 5. sweep: removes deleted, expired and abandoned objects (./media-sweeper.ts).
 */
import { randomBytes } from 'node:crypto';
import { RelayError } from '../errors.js';
import type { MediaRecord, MediaStore, MediaUsage } from '../storage/media-store.js';
import { isLive } from '../storage/media-store.js';
import type { MediaBackend } from './media-backend.js';
import type { MediaConfig } from './media-config.js';
import { sweepMedia } from './media-sweeper.js';
import type { MediaSweepResult } from './media-sweeper.js';

/** The subset of the relay's pino logger the service uses. */
export interface MediaLogger {
  info(object: Record<string, unknown>, message: string): void;
  warn(object: Record<string, unknown>, message: string): void;
}

export interface MediaServiceDeps {
  readonly store: MediaStore;
  readonly backend: MediaBackend;
  readonly config: MediaConfig;
  /** Milliseconds since the epoch. */
  readonly clock: () => number;
  readonly logger?: MediaLogger;
  /** Id generator (tests); default 32 random bytes as unpadded base64url. */
  readonly newMediaId?: () => string;
}

export interface UploadGrant {
  readonly mediaId: string;
  readonly declaredSize: number;
  readonly upload: { readonly url: string; readonly method: 'PUT'; readonly headers: Readonly<Record<string, string>> };
  /** The upload URL stops working at this time (ms). */
  readonly uploadExpiresAt: number;
  /** The upload must be completed before this time (ms). */
  readonly completeBy: number;
  /** The media expires at this time (ms). */
  readonly expiresAt: number;
}

export interface MediaInfo {
  readonly mediaId: string;
  readonly size: number;
  readonly state: 'pending' | 'stored';
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface DownloadGrant {
  readonly mediaId: string;
  readonly url: string;
  readonly size: number;
  /** The download URL stops working at this time (ms). */
  readonly urlExpiresAt: number;
  readonly expiresAt: number;
}

/**
 * What logs say about a media id: its first 8 characters. The full id lets any account download
 * the object, so it is treated like a token and never logged whole (DESIGN.md §6).
 */
export function mediaLogId(mediaId: string): string {
  return mediaId.slice(0, 8);
}

/** An error's code for logs; its message may hold a file path or URL with the whole id. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'unknown';
}

export function newMediaId(): string {
  return randomBytes(32).toString('base64url');
}

export class MediaService {
  private readonly store: MediaStore;
  private readonly backend: MediaBackend;
  private readonly config: MediaConfig;
  private readonly clock: () => number;
  private readonly logger: MediaLogger | undefined;
  private readonly makeId: () => string;

  constructor(deps: MediaServiceDeps) {
    this.store = deps.store;
    this.backend = deps.backend;
    this.config = deps.config;
    this.clock = deps.clock;
    this.logger = deps.logger;
    this.makeId = deps.newMediaId ?? newMediaId;
  }

  async createUpload(owner: string, declaredSize: number, ttlSeconds?: number): Promise<UploadGrant> {
    const { config } = this;
    if (!Number.isSafeInteger(declaredSize) || declaredSize < 1) throw new RelayError('RELAY_ERR_MEDIA_SIZE_INVALID');
    if (declaredSize > config.maxObjectBytes) {
      throw new RelayError('RELAY_ERR_MEDIA_TOO_LARGE', `${declaredSize} > ${config.maxObjectBytes}`, { maxObjectBytes: config.maxObjectBytes });
    }
    const ttl = ttlSeconds ?? config.defaultTtlSeconds;
    if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > config.maxTtlSeconds) {
      throw new RelayError('RELAY_ERR_MEDIA_TTL_TOO_LONG', undefined, { maxTtlSeconds: config.maxTtlSeconds });
    }
    const now = this.clock();
    const record: MediaRecord = {
      mediaId: this.makeId(),
      owner,
      declaredSize,
      state: 'pending',
      createdAt: now,
      pendingUntil: now + config.pendingTtlSeconds * 1000,
      expiresAt: now + ttl * 1000,
      storedAt: null,
    };
    const limits = { maxBytes: config.quotaBytesPerAccount, maxObjects: config.maxObjectsPerAccount, maxPending: config.maxPendingUploadsPerAccount };
    const outcome = await this.store.insertWithinLimits(record, limits, now);
    if (outcome === 'too-many-pending') throw new RelayError('RELAY_ERR_MEDIA_TOO_MANY_PENDING', undefined, { maxPendingUploads: limits.maxPending });
    if (outcome === 'quota-objects') throw new RelayError('RELAY_ERR_MEDIA_QUOTA_EXCEEDED', 'objects', { maxObjects: limits.maxObjects });
    if (outcome === 'quota-bytes') throw new RelayError('RELAY_ERR_MEDIA_QUOTA_EXCEEDED', 'bytes', { quotaBytes: limits.maxBytes });

    const uploadExpiresAt = Math.min(now + config.uploadUrlTtlSeconds * 1000, record.pendingUntil);
    let upload;
    try {
      upload = await this.backend.createUpload(record.mediaId, declaredSize, uploadExpiresAt);
    } catch (error) {
      // Give the quota back at once; the sweeper forgets the record.
      await this.store.markDeleted(record.mediaId);
      throw error instanceof RelayError ? error : new RelayError('RELAY_ERR_MEDIA_BACKEND', 'create upload URL');
    }
    this.logger?.info({ event: 'media.upload_granted', mediaId: mediaLogId(record.mediaId), owner, size: declaredSize }, 'media upload granted');
    return {
      mediaId: record.mediaId,
      declaredSize,
      upload: { url: upload.url, method: upload.method, headers: { ...upload.headers } },
      uploadExpiresAt,
      completeBy: record.pendingUntil,
      expiresAt: record.expiresAt,
    };
  }

  /** The record if it is live, RELAY_ERR_MEDIA_NOT_FOUND otherwise (unknown, deleted or expired look alike). */
  private async live(mediaId: string, now: number): Promise<MediaRecord> {
    const record = await this.store.get(mediaId);
    if (record === undefined || !isLive(record, now)) throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND');
    return record;
  }

  private async sizeOf(mediaId: string): Promise<number | undefined> {
    try {
      return await this.backend.stat(mediaId);
    } catch (error) {
      throw error instanceof RelayError ? error : new RelayError('RELAY_ERR_MEDIA_BACKEND', 'stat');
    }
  }

  async completeUpload(owner: string, mediaId: string): Promise<MediaInfo> {
    const now = this.clock();
    const record = await this.live(mediaId, now);
    if (record.owner !== owner) throw new RelayError('RELAY_ERR_MEDIA_NOT_OWNER');
    // Completing twice answers the same: a client retrying after a lost response is not an error.
    if (record.state === 'stored') return info(record);
    const size = await this.sizeOf(mediaId);
    if (size === undefined) throw new RelayError('RELAY_ERR_MEDIA_NOT_UPLOADED');
    if (size !== record.declaredSize) {
      // An S3 presigned PUT cannot bind the body size; this is where a wrong size is caught.
      await this.backend.delete(mediaId).catch((error: unknown) => this.logger?.warn({ event: 'media.delete_failed', mediaId: mediaLogId(mediaId), code: errorCode(error) }, 'could not delete mismatched media'));
      this.logger?.info({ event: 'media.size_mismatch', mediaId: mediaLogId(mediaId), declared: record.declaredSize, uploaded: size }, 'media size mismatch');
      throw new RelayError('RELAY_ERR_MEDIA_SIZE_MISMATCH', `${size} != ${record.declaredSize}`, { declaredSize: record.declaredSize, uploadedSize: size });
    }
    if (!(await this.store.markStored(mediaId, now))) throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND');
    this.logger?.info({ event: 'media.stored', mediaId: mediaLogId(mediaId), owner, size }, 'media stored');
    return info({ ...record, state: 'stored', storedAt: now });
  }

  async createDownload(mediaId: string): Promise<DownloadGrant> {
    const now = this.clock();
    const record = await this.live(mediaId, now);
    if (record.state !== 'stored') throw new RelayError('RELAY_ERR_MEDIA_NOT_READY');
    const urlExpiresAt = Math.min(now + this.config.downloadUrlTtlSeconds * 1000, record.expiresAt);
    let target;
    try {
      target = await this.backend.createDownload(mediaId, urlExpiresAt);
    } catch (error) {
      throw error instanceof RelayError ? error : new RelayError('RELAY_ERR_MEDIA_BACKEND', 'create download URL');
    }
    return { mediaId, url: target.url, size: record.declaredSize, urlExpiresAt, expiresAt: record.expiresAt };
  }

  /** The media's public facts, for its uploader. */
  async info(owner: string, mediaId: string): Promise<MediaInfo> {
    const record = await this.live(mediaId, this.clock());
    if (record.owner !== owner) throw new RelayError('RELAY_ERR_MEDIA_NOT_OWNER');
    return info(record);
  }

  async delete(owner: string, mediaId: string): Promise<void> {
    const record = await this.store.get(mediaId);
    if (record === undefined || record.state === 'deleted') throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND');
    if (record.owner !== owner) throw new RelayError('RELAY_ERR_MEDIA_NOT_OWNER');
    // An expired record may still be deleted by its owner: the sweeper would remove it anyway.
    await this.store.markDeleted(mediaId);
    this.logger?.info({ event: 'media.deleted', mediaId: mediaLogId(mediaId), owner }, 'media deleted');
  }

  usage(owner: string): Promise<MediaUsage> {
    return this.store.usage(owner, this.clock());
  }

  /** One sweep (call it from the relay's housekeeping timer). */
  async sweep(): Promise<MediaSweepResult> {
    const now = this.clock();
    const result = await sweepMedia({
      store: this.store,
      backend: this.backend,
      now,
      batch: this.config.sweepBatch,
      incompleteBefore: now - this.config.pendingTtlSeconds * 1000,
      onError: (mediaId, error) => this.logger?.warn({ event: 'media.sweep_failed', mediaId: mediaLogId(mediaId), code: errorCode(error) }, 'media sweep could not delete an object'),
    });
    if (result.removed + result.failed + result.partials > 0) this.logger?.info({ event: 'media.swept', ...result }, 'media swept');
    return result;
  }
}

function info(record: MediaRecord): MediaInfo {
  return { mediaId: record.mediaId, size: record.declaredSize, state: record.state === 'stored' ? 'stored' : 'pending', createdAt: record.createdAt, expiresAt: record.expiresAt };
}
