/**
 * The media API for clients (docs/api.md "Media", docs/media.md "Lifecycle"): grant an upload,
 * complete it, get a download URL, read info and usage, delete. A fastify plugin:
 *
 *   app.register(mediaApiRoutes, { service, config: config.media, authenticate: ctx.authenticate })
 *
 * `authenticate` is the relay's session-token check (relay/src/http/route-context.ts). Every
 * failure — authentication, validation, and the RELAY_ERR_MEDIA_* refusals the service throws —
 * is a RelayError answered by the relay's one error handler.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { mediaParamsSchema, mediaUploadRequestSchema } from '../api/media.js';
import type { MediaDownloadResponse, MediaInfoJson, MediaUploadResponse, MediaUsageJson } from '../api/media.js';
import { parseInput } from '../http/parse-input.js';
import type { MediaConfig } from './media-config.js';
import type { MediaService } from './media-service.js';

export interface MediaApiRoutesOptions {
  readonly service: MediaService;
  readonly config: Pick<MediaConfig, 'quotaBytesPerAccount' | 'maxObjectsPerAccount' | 'maxObjectBytes'>;
  /** The account a request's session token speaks for; throws RELAY_ERR_UNAUTHENTICATED otherwise. */
  readonly authenticate: (request: FastifyRequest) => Promise<{ readonly accountId: string }>;
}

export const mediaApiRoutes: FastifyPluginAsync<MediaApiRoutesOptions> = async (app, options) => {
  const { service, config, authenticate } = options;

  app.post('/v1/media', async (request, reply) => {
    const { accountId } = await authenticate(request);
    const body = parseInput(mediaUploadRequestSchema, request.body, 'media upload');
    const grant = await service.createUpload(accountId, body.size, body.ttlSeconds);
    const response: MediaUploadResponse = {
      mediaId: grant.mediaId,
      size: grant.declaredSize,
      upload: { url: grant.upload.url, method: grant.upload.method, headers: { ...grant.upload.headers } },
      uploadExpiresAt: grant.uploadExpiresAt,
      completeBy: grant.completeBy,
      expiresAt: grant.expiresAt,
    };
    return reply.status(201).send(response);
  });

  app.get('/v1/media', async (request): Promise<MediaUsageJson> => {
    const { accountId } = await authenticate(request);
    const usage = await service.usage(accountId);
    return { ...usage, quotaBytes: config.quotaBytesPerAccount, maxObjects: config.maxObjectsPerAccount, maxObjectBytes: config.maxObjectBytes };
  });

  app.post('/v1/media/:mediaId/complete', async (request): Promise<MediaInfoJson> => {
    const { accountId } = await authenticate(request);
    const { mediaId } = parseInput(mediaParamsSchema, request.params, 'path');
    return { ...(await service.completeUpload(accountId, mediaId)) };
  });

  app.get('/v1/media/:mediaId', async (request): Promise<MediaInfoJson> => {
    const { accountId } = await authenticate(request);
    const { mediaId } = parseInput(mediaParamsSchema, request.params, 'path');
    return { ...(await service.info(accountId, mediaId)) };
  });

  // Any authenticated account holding the id may download: the id travels only inside
  // end-to-end encrypted messages, and the object is ciphertext under a key the relay never sees.
  app.get('/v1/media/:mediaId/download', async (request): Promise<MediaDownloadResponse> => {
    await authenticate(request);
    const { mediaId } = parseInput(mediaParamsSchema, request.params, 'path');
    return { ...(await service.createDownload(mediaId)) };
  });

  app.delete('/v1/media/:mediaId', async (request, reply) => {
    const { accountId } = await authenticate(request);
    const { mediaId } = parseInput(mediaParamsSchema, request.params, 'path');
    await service.delete(accountId, mediaId);
    return reply.status(204).send();
  });
};
