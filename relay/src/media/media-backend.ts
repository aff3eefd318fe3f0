/**
 * MediaBackend: where encrypted media objects live (DESIGN.md §1: local disk or MinIO/S3). The
 * relay never proxies media through its services; it hands out short-lived URLs that the client
 * uses directly, and later asks the backend how big the stored object is. Implementations:
 * ./local-media-backend.ts (default) and ./s3-media-backend.ts. Contract:
 * relay/test/media/media-backend-contract.ts.
 */
import { MEDIA_ID_PATTERN } from '../api/media.js';

export interface UploadTarget {
  readonly url: string;
  readonly method: 'PUT';
  /** Headers the client should send with the PUT. */
  readonly headers?: Readonly<Record<string, string>>;
}

export interface DownloadTarget {
  readonly url: string;
}

export interface MediaBackend {
  readonly kind: 'local' | 's3';
  /** A URL the uploader PUTs exactly `declaredSize` bytes to, valid until `expiresAt` (ms). */
  createUpload(mediaId: string, declaredSize: number, expiresAt: number): Promise<UploadTarget>;
  /** A URL anyone holding it may GET the object from, valid until `expiresAt` (ms). */
  createDownload(mediaId: string, expiresAt: number): Promise<DownloadTarget>;
  /** Size of the stored object in bytes, or undefined when there is none. */
  stat(mediaId: string): Promise<number | undefined>;
  /** Removes the object; succeeds when there is none. */
  delete(mediaId: string): Promise<void>;
  /** Removes leftovers of uploads that never finished, older than `before` (ms), if the backend keeps any. */
  purgeIncomplete?(before: number): Promise<number>;
}

export function isMediaId(value: unknown): value is string {
  return typeof value === 'string' && MEDIA_ID_PATTERN.test(value);
}
