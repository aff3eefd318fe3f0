/**
 * The media API for clients (docs/media.md "HTTP API"): grant an upload, complete it, get a
 * download URL, read info and usage, delete. A fastify plugin:
 *
 *   app.register(mediaApiRoutes, { service, maxObjectBytes, authenticate: ctx.authenticate })
 *
 * `authenticate` is the relay's session-token check (relay/src/http/route-context.ts); its
 * RelayErrors, and request validation failures, go on to the relay's own error handler. Media
 * failures are answered here with their MEDIA_ERRORS code and status, until those codes join
 * RELAY_ERRORS.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { RelayError } from '../errors.js';
import { isMediaError, mediaErrorBody } from './media-errors.js';
import type { MediaConfig } from './media-config.js';
import type { MediaService } from './media-service.js';
import { mediaParamsSchema, mediaUploadRequestSchema } from './media-wire.js';
import type { MediaDownloadResponse, MediaInfoJson, MediaUploadResponse, MediaUsageJson } from './media-wire.js';

export interface MediaApiRoutesOptions {
  readonly service: MediaService;
  readonly config: Pick<MediaConfig, 'quotaBytesPerAccount' | 'maxObjectsPerAccount' | 'maxObjectBytes'>;
  /** The account a request's session token speaks for; throws RELAY_ERR_UNAUTHENTICATED otherwise. */
  readonly authenticate: (request: FastifyRequest) => Promise<{ readonly accountId: string }>;
}

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Paths and reasons only, never the values (the same rule as relay/src/http/parse-input.ts).
    const issues = result.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.map(String).join('.') || '(root)', message: issue.message }));
    throw new RelayError('RELAY_ERR_INVALID_REQUEST', what, { issues });
  }
  return result.data;
}

export const mediaApiRoutes: FastifyPluginAsync<MediaApiRoutesOptions> = async (app, options) => {
  const { service, config, authenticate } = options;

  app.setErrorHandler((error, request, reply) => {
    if (!isMediaError(error)) throw error; // the relay's handler maps everything else
    request.log.info({ code: error.code, status: error.httpStatus }, 'media request refused');
    return reply.status(error.httpStatus).send(mediaErrorBody(error));
  });

  app.post('/v1/media', async (request, reply) => {
    const { accountId } = await authenticate(request);
    const body = parse(mediaUploadRequestSchema, request.body, 'media upload');
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
    const { mediaId } = parse(mediaParamsSchema, request.params, 'path');
    return { ...(await service.completeUpload(accountId, mediaId)) };
  });

  app.get('/v1/media/:mediaId', async (request): Promise<MediaInfoJson> => {
    const { accountId } = await authenticate(request);
    const { mediaId } = parse(mediaParamsSchema, request.params, 'path');
    return { ...(await service.info(accountId, mediaId)) };
  });

  // Any authenticated account holding the id may download: the id travels only inside
  // end-to-end encrypted messages, and the object is ciphertext under a key the relay never sees.
  app.get('/v1/media/:mediaId/download', async (request): Promise<MediaDownloadResponse> => {
    await authenticate(request);
    const { mediaId } = parse(mediaParamsSchema, request.params, 'path');
    return { ...(await service.createDownload(mediaId)) };
  });

  app.delete('/v1/media/:mediaId', async (request, reply) => {
    const { accountId } = await authenticate(request);
    const { mediaId } = parse(mediaParamsSchema, request.params, 'path');
    await service.delete(accountId, mediaId);
    return reply.status(204).send();
  });
};
