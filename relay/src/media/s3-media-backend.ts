/**
 * S3MediaBackend: media objects in an S3 bucket — MinIO or any S3-compatible endpoint — through
 * the `minio` client (DESIGN.md §1: only relay/src/media imports it). Clients upload and download
 * with presigned URLs (AWS Signature Version 4 query authentication, at most 7 days). A presigned
 * PUT cannot bind the body size, so the service checks it with `stat` before the media counts as
 * stored, and deletes an object of the wrong size (./media-service.ts).
 *
 * Presigning takes its date from the relay's injected clock, so URL expiry follows the same time
 * as everything else the relay decides.
 */
import { Client } from 'minio';
import { RelayError } from '../errors.js';
import type { DownloadTarget, MediaBackend, UploadTarget } from './media-backend.js';
import { isMediaId } from './media-backend.js';
import type { S3MediaConfig } from './media-config.js';

/** SigV4 query authentication allows at most 7 days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface S3MediaBackendOptions {
  readonly config: S3MediaConfig;
  readonly clock: () => number;
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** A backend failure, without the client's message (it may carry endpoints or request details). */
function backendError(operation: string, error: unknown): RelayError {
  if (error instanceof RelayError) return error;
  return new RelayError('RELAY_ERR_MEDIA_BACKEND', `${operation}: ${codeOf(error) ?? 'request failed'}`);
}

export class S3MediaBackend implements MediaBackend {
  readonly kind = 's3';
  private readonly client: Client;
  private readonly bucket: string;
  private readonly region: string;
  private readonly clock: () => number;

  constructor(options: S3MediaBackendOptions) {
    const { config } = options;
    if (config.endPoint === null) throw new RelayError('RELAY_ERR_MEDIA_BACKEND', 'media.s3.endPoint is not set');
    this.client = new Client({
      endPoint: config.endPoint,
      ...(config.port === null ? {} : { port: config.port }),
      useSSL: config.useSSL,
      accessKey: config.accessKey,
      secretKey: config.secretKey,
      region: config.region,
      pathStyle: config.pathStyle,
    });
    this.bucket = config.bucket;
    this.region = config.region;
    this.clock = options.clock;
  }

  /** Creates the bucket when it is missing (call once at start; safe to repeat or race). */
  async ensureBucket(): Promise<void> {
    try {
      if (await this.client.bucketExists(this.bucket)) return;
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      // Another relay created it in between.
      if (codeOf(error) === 'BucketAlreadyOwnedByYou') return;
      throw backendError('create bucket', error);
    }
  }

  private objectName(mediaId: string): string {
    if (!isMediaId(mediaId)) throw new RelayError('RELAY_ERR_MEDIA_NOT_FOUND', 'malformed media id');
    return mediaId;
  }

  /** Presigns `method` so the URL stops working at `expiresAt` (whole seconds, rounded up). */
  private async presign(method: 'PUT' | 'GET', mediaId: string, expiresAt: number): Promise<string> {
    const name = this.objectName(mediaId);
    const now = this.clock();
    const seconds = Math.min(MAX_PRESIGN_SECONDS, Math.max(1, Math.ceil((expiresAt - now) / 1000)));
    try {
      return await this.client.presignedUrl(method, this.bucket, name, seconds, {}, new Date(now));
    } catch (error) {
      throw backendError(`presign ${method}`, error);
    }
  }

  async createUpload(mediaId: string, _declaredSize: number, expiresAt: number): Promise<UploadTarget> {
    return { url: await this.presign('PUT', mediaId, expiresAt), method: 'PUT', headers: { 'content-type': 'application/octet-stream' } };
  }

  async createDownload(mediaId: string, expiresAt: number): Promise<DownloadTarget> {
    return { url: await this.presign('GET', mediaId, expiresAt) };
  }

  async stat(mediaId: string): Promise<number | undefined> {
    const name = this.objectName(mediaId);
    try {
      return (await this.client.statObject(this.bucket, name)).size;
    } catch (error) {
      const code = codeOf(error);
      if (code === 'NotFound' || code === 'NoSuchKey') return undefined;
      throw backendError('stat', error);
    }
  }

  async delete(mediaId: string): Promise<void> {
    const name = this.objectName(mediaId);
    try {
      // S3 DELETE succeeds for a missing key, which is what the interface promises.
      await this.client.removeObject(this.bucket, name);
    } catch (error) {
      if (codeOf(error) === 'NoSuchKey') return;
      throw backendError('delete', error);
    }
  }
}
