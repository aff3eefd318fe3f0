/**
 * Builds the media backend the `media` config section names (DESIGN.md §4 "Media"): by default
 * the relay's own disk — objects under `<dataDir>/media.local.directory`, URLs signed with the key
 * in `<dataDir>/media.local.urlKeyFile` (created on first start) and served by the relay itself —
 * or an S3/MinIO bucket. Paths are relative to dataDir unless absolute.
 */
import { isAbsolute, join } from 'node:path';
import { LocalMediaBackend } from './local-media-backend.js';
import type { MediaBackend } from './media-backend.js';
import type { MediaConfig } from './media-config.js';
import { loadOrCreateMediaUrlKey, MediaUrlSigner } from './media-url-signer.js';
import { S3MediaBackend } from './s3-media-backend.js';

export interface MediaBackendSetup {
  readonly backend: MediaBackend;
  /** Set for the local backend, whose signed URLs the relay's HTTP app must serve. */
  readonly local: LocalMediaBackend | undefined;
  /** Makes the backend ready to serve (creates a missing S3 bucket); call before listening. */
  prepare(): Promise<void>;
}

export interface MediaBackendOptions {
  readonly media: MediaConfig;
  readonly dataDir: string;
  readonly clock: () => number;
  /** The relay's public origin, for the local backend's URLs (known for sure only once listening). */
  readonly origin: () => string;
}

function inDataDir(dataDir: string, path: string): string {
  return isAbsolute(path) ? path : join(dataDir, path);
}

export function createMediaBackend(options: MediaBackendOptions): MediaBackendSetup {
  const { media, dataDir, clock, origin } = options;
  if (media.backend === 's3') {
    const backend = new S3MediaBackend({ config: media.s3, clock });
    return { backend, local: undefined, prepare: () => backend.ensureBucket() };
  }
  const signer = new MediaUrlSigner(loadOrCreateMediaUrlKey(inDataDir(dataDir, media.local.urlKeyFile)));
  const local = new LocalMediaBackend({ directory: inDataDir(dataDir, media.local.directory), signer, origin });
  return { backend: local, local, prepare: async () => {} };
}
