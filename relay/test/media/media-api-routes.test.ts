/**
 * The media API plugin mounted beside the local blob routes on one fastify app with the relay's
 * error handling, as the relay mounts them: the whole flow over real HTTP, and media refusals,
 * authentication and validation failures all answered by the one error handler with their codes.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mediaDownloadResponseSchema, mediaInfoSchema, mediaUploadResponseSchema, mediaUsageSchema } from '../../src/api/media.js';
import { RelayError } from '../../src/errors.js';
import { installErrorHandling } from '../../src/http/error-handler.js';
import { LocalMediaBackend } from '../../src/media/local-media-backend.js';
import { localMediaRoutes } from '../../src/media/local-media-routes.js';
import { mediaApiRoutes } from '../../src/media/media-api-routes.js';
import { parseMediaConfig } from '../../src/media/media-config.js';
import { MediaService } from '../../src/media/media-service.js';
import { loadOrCreateMediaUrlKey, MediaUrlSigner } from '../../src/media/media-url-signer.js';
import { createRelayMetrics } from '../../src/metrics/relay-metrics.js';
import { InMemoryMediaStore } from '../../src/storage/memory/in-memory-media-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { bytesOf, getBytes, put, settableClock } from './media-fixtures.js';

let app: FastifyInstance;
let base: string;
let dir: TempDir;

beforeEach(async () => {
  dir = makeTempDir('sealpost-media-api-');
  const clock = settableClock();
  const config = parseMediaConfig({ maxObjectBytes: 1000, quotaBytesPerAccount: 1500 });
  let origin = '';
  const backend = new LocalMediaBackend({ directory: `${dir.path}/media`, signer: new MediaUrlSigner(loadOrCreateMediaUrlKey(`${dir.path}/k`)), origin: () => origin });
  const service = new MediaService({ store: new InMemoryMediaStore(), backend, config, clock });
  app = Fastify({ logger: false, forceCloseConnections: true });
  installErrorHandling(app, createRelayMetrics());
  const authenticate = async (request: { headers: Record<string, unknown> }) => {
    const account = request.headers['x-test-account'];
    if (typeof account !== 'string') throw new RelayError('RELAY_ERR_UNAUTHENTICATED');
    return { accountId: account };
  };
  await app.register(localMediaRoutes, { backend, clock });
  await app.register(mediaApiRoutes, { service, config, authenticate });
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  origin = base;
});
afterEach(async () => {
  await app.close();
  dir.remove();
});

async function call(method: string, path: string, account?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const headers: Record<string, string> = account === undefined ? {} : { 'x-test-account': account };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, json: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

const codeOf = (r: { json: Record<string, unknown> }) => (r.json.error as { code: string } | undefined)?.code;

describe('media API routes', () => {
  it('grants, uploads, completes, downloads and deletes over HTTP', async () => {
    const grant = await call('POST', '/v1/media', 'alice', { size: 700 });
    expect(grant.status).toBe(201);
    const upload = mediaUploadResponseSchema.parse(grant.json);
    expect((await put(upload.upload.url, bytesOf(700), upload.upload.headers)).status).toBe(204);
    const done = await call('POST', `/v1/media/${upload.mediaId}/complete`, 'alice');
    expect(done.status).toBe(200);
    expect(mediaInfoSchema.parse(done.json).state).toBe('stored');
    const download = await call('GET', `/v1/media/${upload.mediaId}/download`, 'bob');
    expect(download.status).toBe(200);
    const got = await getBytes(mediaDownloadResponseSchema.parse(download.json).url);
    expect(got.bytes).toEqual(bytesOf(700));
    const usage = mediaUsageSchema.parse((await call('GET', '/v1/media', 'alice')).json);
    expect(usage).toEqual({ bytes: 700, objects: 1, pending: 0, quotaBytes: 1500, maxObjects: 10_000, maxObjectBytes: 1000 });
    expect((await call('DELETE', `/v1/media/${upload.mediaId}`, 'bob')).status).toBe(403);
    expect((await call('DELETE', `/v1/media/${upload.mediaId}`, 'alice')).status).toBe(204);
    const gone = await call('GET', `/v1/media/${upload.mediaId}/download`, 'bob');
    expect(gone.status).toBe(404);
    expect(codeOf(gone)).toBe('RELAY_ERR_MEDIA_NOT_FOUND');
  });

  it('answers media refusals with their codes and statuses', async () => {
    const tooLarge = await call('POST', '/v1/media', 'alice', { size: 1001 });
    expect([tooLarge.status, codeOf(tooLarge)]).toEqual([413, 'RELAY_ERR_MEDIA_TOO_LARGE']);
    await call('POST', '/v1/media', 'alice', { size: 1000 });
    const quota = await call('POST', '/v1/media', 'alice', { size: 501 });
    expect([quota.status, codeOf(quota)]).toEqual([507, 'RELAY_ERR_MEDIA_QUOTA_EXCEEDED']);
    const pendingMedia = mediaUploadResponseSchema.parse((await call('POST', '/v1/media', 'bob', { size: 10 })).json);
    const notUploaded = await call('POST', `/v1/media/${pendingMedia.mediaId}/complete`, 'bob');
    expect([notUploaded.status, codeOf(notUploaded)]).toEqual([409, 'RELAY_ERR_MEDIA_NOT_UPLOADED']);
    const notReady = await call('GET', `/v1/media/${pendingMedia.mediaId}/download`, 'alice');
    expect([notReady.status, codeOf(notReady)]).toEqual([409, 'RELAY_ERR_MEDIA_NOT_READY']);
  });

  it('answers authentication and validation failures with their codes', async () => {
    const anonymous = await call('POST', '/v1/media', undefined, { size: 10 });
    expect([anonymous.status, codeOf(anonymous)]).toEqual([401, 'RELAY_ERR_UNAUTHENTICATED']);
    for (const body of [{ size: 0 }, { size: 1.5 }, { size: '10' }, { size: 10, extra: true }, { size: 10, ttlSeconds: 0 }]) {
      const bad = await call('POST', '/v1/media', 'alice', body);
      expect([bad.status, codeOf(bad)], JSON.stringify(body)).toEqual([400, 'RELAY_ERR_INVALID_REQUEST']);
    }
    const badId = await call('GET', '/v1/media/not*an*id/download', 'alice');
    expect([badId.status, codeOf(badId)]).toEqual([400, 'RELAY_ERR_INVALID_REQUEST']);
  });
});
