/**
 * The `media` section of the relay configuration (DESIGN.md §4 "Media", §6 "one typed config"):
 * a zod schema in the style of relay/src/config/config-schema.ts — strict objects, a safe default
 * and a doc line for every option — to be mounted there as `media: mediaConfigSchema`.
 */
import { z } from 'zod';

const positiveInt = () => z.number().int().positive();
const MIB = 1024 * 1024;
const DAY_SECONDS = 24 * 3600;
/** Presigned S3 URLs live at most 7 days (AWS SigV4 query auth). */
const MAX_URL_TTL_SECONDS = 7 * DAY_SECONDS;

export const mediaConfigSchema = z
  .strictObject({
    backend: z.enum(['local', 's3']).default('local').describe('Where encrypted media objects live: the relay\'s own disk (local) or an S3 endpoint such as MinIO (s3).'),
    maxObjectBytes: positiveInt().default(100 * MIB).describe('Largest media object (ciphertext bytes, as declared by the uploader).'),
    quotaBytesPerAccount: positiveInt().default(1024 * MIB).describe('Most media bytes one account may hold at once, pending uploads included.'),
    maxObjectsPerAccount: positiveInt().default(10_000).describe('Most media objects one account may hold at once, pending uploads included.'),
    maxPendingUploadsPerAccount: positiveInt().default(20).describe('Most uploads one account may have started and not completed.'),
    uploadUrlTtlSeconds: positiveInt().max(MAX_URL_TTL_SECONDS).default(900).describe('Lifetime of an upload URL; an upload must start before it ends.'),
    downloadUrlTtlSeconds: positiveInt().max(MAX_URL_TTL_SECONDS).default(900).describe('Lifetime of a download URL (never beyond the media\'s own expiry).'),
    pendingTtlSeconds: positiveInt().default(3600).describe('How long an upload may stay incomplete before it is swept and its quota freed; at least uploadUrlTtlSeconds.'),
    defaultTtlSeconds: positiveInt().default(30 * DAY_SECONDS).describe('Lifetime of media uploaded without a requested TTL.'),
    maxTtlSeconds: positiveInt().default(30 * DAY_SECONDS).describe('Longest media lifetime an uploader may ask for.'),
    sweepBatch: positiveInt().default(100).describe('Most expired or deleted media objects removed per sweep step.'),
    local: z
      .strictObject({
        directory: z.string().min(1).default('media').describe('Folder for media objects, relative to dataDir unless absolute.'),
        urlKeyFile: z.string().min(1).default('media-url.key').describe('File holding the HMAC-SHA-256 key (64 hex characters) that signs media URLs, relative to dataDir unless absolute; created if missing.'),
      })
      .prefault({})
      .describe('The local-disk backend (media.backend = local).'),
    s3: z
      .strictObject({
        endPoint: z.string().min(1).nullable().default(null).describe('Host name of the S3 endpoint, e.g. minio.internal or s3.eu-west-1.amazonaws.com (required for media.backend = s3).'),
        port: z.number().int().min(1).max(65535).nullable().default(null).describe('Port of the S3 endpoint; null: 443 with TLS, 80 without.'),
        useSSL: z.boolean().default(true).describe('Use HTTPS to reach the endpoint (and in the URLs handed to clients).'),
        bucket: z.string().min(3).max(63).default('sealpost-media').describe('Bucket for media objects; created if missing.'),
        accessKey: z.string().default('').describe('Access key id.'),
        secretKey: z.string().default('').describe('Secret access key. Keep the config file readable by the relay only.'),
        region: z.string().min(1).default('us-east-1').describe('Bucket region (MinIO accepts any; us-east-1 is its default).'),
        pathStyle: z.boolean().default(true).describe('Path-style URLs (https://host/bucket/key), as MinIO needs; false for virtual-hosted style.'),
      })
      .prefault({})
      .describe('The S3/MinIO backend (media.backend = s3).'),
  })
  .superRefine((media, ctx) => {
    if (media.pendingTtlSeconds < media.uploadUrlTtlSeconds) {
      ctx.addIssue({ code: 'custom', path: ['pendingTtlSeconds'], message: 'must be at least uploadUrlTtlSeconds' });
    }
    if (media.defaultTtlSeconds > media.maxTtlSeconds) {
      ctx.addIssue({ code: 'custom', path: ['defaultTtlSeconds'], message: 'must not exceed maxTtlSeconds' });
    }
    if (media.maxObjectBytes > media.quotaBytesPerAccount) {
      ctx.addIssue({ code: 'custom', path: ['maxObjectBytes'], message: 'must not exceed quotaBytesPerAccount' });
    }
    if (media.backend === 's3' && media.s3.endPoint === null) {
      ctx.addIssue({ code: 'custom', path: ['s3', 'endPoint'], message: 'is required when media.backend is s3' });
    }
  })
  .prefault({})
  .describe('Encrypted media (attachments): backend, sizes, quotas and lifetimes. The relay only ever holds ciphertext.');

export type MediaConfig = z.infer<typeof mediaConfigSchema>;
export type MediaConfigInput = z.input<typeof mediaConfigSchema>;
export type S3MediaConfig = MediaConfig['s3'];

/** The media section with every default filled in. */
export function defaultMediaConfig(): MediaConfig {
  return mediaConfigSchema.parse({});
}

/** Parses a media section (e.g. in tests); throws a zod error listing every problem. */
export function parseMediaConfig(input: MediaConfigInput): MediaConfig {
  return mediaConfigSchema.parse(input);
}
