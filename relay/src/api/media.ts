/**
 * Wire contract of the media routes (docs/api.md "Media", docs/media.md "Lifecycle"): request and
 * response bodies as zod schemas. Request schemas are strict: unknown fields are refused. The
 * upload and download URLs themselves are opaque to clients — they point at the relay's own
 * signed blob route or at an S3 endpoint, depending on `media.backend`.
 */
import { z } from 'zod';

/** Media ids are unpadded base64url; the relay makes 43-character ids from 32 random bytes. */
export const MEDIA_ID_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export const mediaIdSchema = z.string().regex(MEDIA_ID_PATTERN, 'expected a media id (base64url)');

// POST /v1/media
export const mediaUploadRequestSchema = z.strictObject({
  /** Ciphertext bytes that will be PUT (the crypto package's mediaCiphertextSize). */
  size: z.number().int().min(1),
  /** Requested lifetime; default media.defaultTtlSeconds, at most media.maxTtlSeconds. */
  ttlSeconds: z.number().int().min(1).optional(),
});
export type MediaUploadRequest = z.infer<typeof mediaUploadRequestSchema>;

export const mediaUploadResponseSchema = z.strictObject({
  mediaId: mediaIdSchema,
  size: z.number().int(),
  upload: z.strictObject({ url: z.string().url(), method: z.literal('PUT'), headers: z.record(z.string(), z.string()) }),
  uploadExpiresAt: z.number().int(),
  completeBy: z.number().int(),
  expiresAt: z.number().int(),
});
export type MediaUploadResponse = z.infer<typeof mediaUploadResponseSchema>;

// POST /v1/media/:mediaId/complete and GET /v1/media/:mediaId
export const mediaInfoSchema = z.strictObject({
  mediaId: mediaIdSchema,
  size: z.number().int(),
  state: z.enum(['pending', 'stored']),
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type MediaInfoJson = z.infer<typeof mediaInfoSchema>;

// GET /v1/media/:mediaId/download
export const mediaDownloadResponseSchema = z.strictObject({
  mediaId: mediaIdSchema,
  url: z.string().url(),
  size: z.number().int(),
  urlExpiresAt: z.number().int(),
  expiresAt: z.number().int(),
});
export type MediaDownloadResponse = z.infer<typeof mediaDownloadResponseSchema>;

// GET /v1/media
export const mediaUsageSchema = z.strictObject({
  bytes: z.number().int(),
  objects: z.number().int(),
  pending: z.number().int(),
  quotaBytes: z.number().int(),
  maxObjects: z.number().int(),
  maxObjectBytes: z.number().int(),
});
export type MediaUsageJson = z.infer<typeof mediaUsageSchema>;

export const mediaParamsSchema = z.strictObject({ mediaId: mediaIdSchema });
