/**
 * Media wired into a relay built by createRelay, over real sockets: with the default local
 * backend, an authenticated upload grant, a PUT to the issued URL on the relay itself (larger
 * than server.bodyLimitBytes, which does not apply to blobs), completion, a download URL for
 * another account, the bytes back, owner-only info and delete, usage, every refusal answered by
 * the relay's one error handler (and counted), the housekeeping sweep and account deletion; then
 * the same flow with `media.backend = s3` against s3rver, the bucket created by listen(), and a
 * start that fails cleanly when the S3 endpoint is unreachable.
 */
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import S3rver from 's3rver';
import { afterEach, describe, expect, it } from 'vitest';
import { mediaDownloadResponseSchema, mediaInfoSchema, mediaUploadResponseSchema, mediaUsageSchema } from '../../src/api/index.js';
import { runRelayCli } from '../../src/cli/relay-cli.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { registerAccount } from '../support/test-accounts.js';
import { bytesOf, getBytes, put } from './media-fixtures.js';

const codeOf = (body: unknown) => (body as { error?: { code?: string } }).error?.code;

let h: Harness | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await h?.stop();
  h = undefined;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function errorCount(url: string, code: string): Promise<number> {
  const text = (await request<string>(url, 'GET', '/metrics')).body;
  const line = text.split('\n').find((l) => l.startsWith(`sealpost_relay_errors_total{code="${code}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

/** The whole client flow against whichever backend the relay was started with. */
async function uploadShareDelete(relay: Harness, size: number): Promise<{ mediaId: string; uploadUrl: string; downloadUrl: string }> {
  const alice = await registerAccount(relay.url);
  const bob = await registerAccount(relay.url);
  const body = bytesOf(size, 3);

  const grant = await request(relay.url, 'POST', '/v1/media', { token: alice.token(), json: { size, ttlSeconds: 3600 } });
  expect(grant.status, JSON.stringify(grant.body)).toBe(201);
  const upload = mediaUploadResponseSchema.parse(grant.body);
  expect(upload.size).toBe(size);
  const early = await request(relay.url, 'GET', `/v1/media/${upload.mediaId}/download`, { token: bob.token() });
  expect([early.status, codeOf(early.body)]).toEqual([409, 'RELAY_ERR_MEDIA_NOT_READY']);

  const putResponse = await put(upload.upload.url, body, upload.upload.headers);
  expect(putResponse.ok, `PUT answered ${putResponse.status}`).toBe(true);
  const done = await request(relay.url, 'POST', `/v1/media/${upload.mediaId}/complete`, { token: alice.token() });
  expect(done.status, JSON.stringify(done.body)).toBe(200);
  expect(mediaInfoSchema.parse(done.body)).toMatchObject({ mediaId: upload.mediaId, size, state: 'stored' });

  // Any authenticated account holding the id may download; only the uploader sees info or deletes.
  const download = await request(relay.url, 'GET', `/v1/media/${upload.mediaId}/download`, { token: bob.token() });
  expect(download.status).toBe(200);
  const grantDown = mediaDownloadResponseSchema.parse(download.body);
  const got = await getBytes(grantDown.url);
  expect(got.status).toBe(200);
  expect(Buffer.from(got.bytes).equals(Buffer.from(body))).toBe(true);
  expect(mediaInfoSchema.parse((await request(relay.url, 'GET', `/v1/media/${upload.mediaId}`, { token: alice.token() })).body).state).toBe('stored');
  const notOwner = await request(relay.url, 'GET', `/v1/media/${upload.mediaId}`, { token: bob.token() });
  expect([notOwner.status, codeOf(notOwner.body)]).toEqual([403, 'RELAY_ERR_MEDIA_NOT_OWNER']);
  const usage = mediaUsageSchema.parse((await request(relay.url, 'GET', '/v1/media', { token: alice.token() })).body);
  expect(usage).toMatchObject({ bytes: size, objects: 1, pending: 0 });

  expect((await request(relay.url, 'DELETE', `/v1/media/${upload.mediaId}`, { token: bob.token() })).status).toBe(403);
  expect((await request(relay.url, 'DELETE', `/v1/media/${upload.mediaId}`, { token: alice.token() })).status).toBe(204);
  const gone = await request(relay.url, 'GET', `/v1/media/${upload.mediaId}/download`, { token: bob.token() });
  expect([gone.status, codeOf(gone.body)]).toEqual([404, 'RELAY_ERR_MEDIA_NOT_FOUND']);
  expect(mediaUsageSchema.parse((await request(relay.url, 'GET', '/v1/media', { token: alice.token() })).body)).toMatchObject({ bytes: 0, objects: 0 });

  // The sweep on the housekeeping timer removes the object from the backend.
  expect(await relay.relay.services.deps.mediaBackend.stat(upload.mediaId)).toBe(size);
  await relay.relay.services.housekeeping.runOnce();
  expect(await relay.relay.services.deps.mediaBackend.stat(upload.mediaId)).toBeUndefined();
  return { mediaId: upload.mediaId, uploadUrl: upload.upload.url, downloadUrl: grantDown.url };
}

describe('media in the relay (local backend, the default)', () => {
  it('carries an upload from one account to another through URLs on the relay itself', async () => {
    h = await startRelay({ server: { bodyLimitBytes: 4_096 } });
    const size = 100_000; // well over bodyLimitBytes: blobs are bounded by their signed size only
    const { mediaId, uploadUrl, downloadUrl } = await uploadShareDelete(h, size);
    for (const url of [uploadUrl, downloadUrl]) {
      expect(new URL(url).origin).toBe(h.url);
      expect(new URL(url).pathname).toBe(`/v1/media/blob/${mediaId}`);
    }
    // Objects and the URL key live in the data folder; the key file is private.
    expect(existsSync(join(h.dir.path, 'media'))).toBe(true);
    expect(statSync(join(h.dir.path, 'media-url.key')).mode & 0o077).toBe(0);
    expect(await errorCount(h.url, 'RELAY_ERR_MEDIA_NOT_FOUND')).toBe(1);
  });

  it('answers refusals of the blob routes and the API with their codes through the relay error handler', async () => {
    h = await startRelay({ media: { maxObjectBytes: 1_000, quotaBytesPerAccount: 1_500 } });
    const alice = await registerAccount(h.url);
    const grant = mediaUploadResponseSchema.parse((await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 10 } })).body);
    const tooBig = await put(grant.upload.url, bytesOf(11));
    expect([tooBig.status, codeOf(await tooBig.json())]).toEqual([413, 'RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE']);
    const tampered = await put(grant.upload.url.replace('size=10', 'size=11'), bytesOf(11));
    expect([tampered.status, codeOf(await tampered.json())]).toEqual([403, 'RELAY_ERR_MEDIA_URL_INVALID']);
    const notUploaded = await request(h.url, 'POST', `/v1/media/${grant.mediaId}/complete`, { token: alice.token() });
    expect([notUploaded.status, codeOf(notUploaded.body)]).toEqual([409, 'RELAY_ERR_MEDIA_NOT_UPLOADED']);
    const large = await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 1_001 } });
    expect([large.status, codeOf(large.body)]).toEqual([413, 'RELAY_ERR_MEDIA_TOO_LARGE']);
    await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 1_000 } });
    const quota = await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 491 } });
    expect([quota.status, codeOf(quota.body)]).toEqual([507, 'RELAY_ERR_MEDIA_QUOTA_EXCEEDED']);
    const anonymous = await request(h.url, 'POST', '/v1/media', { json: { size: 10 } });
    expect([anonymous.status, codeOf(anonymous.body)]).toEqual([401, 'RELAY_ERR_UNAUTHENTICATED']);
    const invalid = await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 0 } });
    expect([invalid.status, codeOf(invalid.body)]).toEqual([400, 'RELAY_ERR_INVALID_REQUEST']);
    for (const code of ['RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE', 'RELAY_ERR_MEDIA_URL_INVALID', 'RELAY_ERR_MEDIA_QUOTA_EXCEEDED']) expect(await errorCount(h.url, code), code).toBe(1);
  });

  it('marks an account\'s media deleted when the operator deletes the account, and the sweep removes it', async () => {
    h = await startRelay();
    const alice = await registerAccount(h.url);
    const grant = mediaUploadResponseSchema.parse((await request(h.url, 'POST', '/v1/media', { token: alice.token(), json: { size: 50 } })).body);
    expect((await put(grant.upload.url, bytesOf(50))).status).toBe(204);
    expect((await request(h.url, 'POST', `/v1/media/${grant.mediaId}/complete`, { token: alice.token() })).status).toBe(200);
    const download = mediaDownloadResponseSchema.parse((await request(h.url, 'GET', `/v1/media/${grant.mediaId}/download`, { token: alice.token() })).body);
    expect((await getBytes(download.url)).status).toBe(200);
    const deleted = await h.relay.services.admin.deleteAccount(alice.accountId);
    expect(deleted.media).toBe(1);
    expect(await h.relay.services.deps.mediaBackend.stat(grant.mediaId)).toBe(50);
    await h.relay.services.housekeeping.runOnce();
    expect(await h.relay.services.deps.mediaBackend.stat(grant.mediaId)).toBeUndefined();
    // A download URL issued before still verifies, but finds nothing.
    expect((await getBytes(download.url)).status).toBe(404);
  });
});

describe('media in the relay (S3 backend on s3rver)', () => {
  async function s3rver(): Promise<number> {
    const dir: TempDir = makeTempDir('sealpost-relay-s3-');
    const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir.path });
    const { port } = await server.run();
    cleanups.push(async () => {
      await server.close();
      dir.remove();
    });
    return port;
  }

  const s3Config = (port: number) => ({
    backend: 's3' as const,
    s3: { endPoint: '127.0.0.1', port, useSSL: false, bucket: 'relay-media', accessKey: 'S3RVER', secretKey: 'S3RVER' },
  });

  it('creates the bucket at listen and carries an upload through presigned URLs', async () => {
    const port = await s3rver();
    h = await startRelay({ media: s3Config(port) });
    const { mediaId, uploadUrl, downloadUrl } = await uploadShareDelete(h, 70_000);
    for (const url of [uploadUrl, downloadUrl]) {
      const parsed = new URL(url);
      expect(parsed.origin).toBe(`http://127.0.0.1:${port}`);
      expect(parsed.pathname).toBe(`/relay-media/${mediaId}`);
      expect(parsed.searchParams.get('X-Amz-Algorithm')).toBe('AWS4-HMAC-SHA256');
    }
    // No blob routes on the relay when objects live in S3, and no media folder in the data folder.
    expect((await request(h.url, 'GET', `/v1/media/blob/${mediaId}`)).status).toBe(404);
    expect(existsSync(join(h.dir.path, 'media'))).toBe(false);
  });

  it('refuses to start, exit code 1, when the S3 endpoint cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dir = makeTempDir();
    cleanups.push(() => dir.remove());
    let stderr = '';
    const code = await runRelayCli(['start', '--data-dir', dir.path, '--port', '0', '--log-level', 'silent'], {
      env: { SEALPOST_RELAY_MEDIA__BACKEND: 's3', SEALPOST_RELAY_MEDIA__S3__END_POINT: '127.0.0.1', SEALPOST_RELAY_MEDIA__S3__PORT: String(port), SEALPOST_RELAY_MEDIA__S3__USE_SSL: 'false' },
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      stopSignal: () => new Promise(() => {}),
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^RELAY_ERR_MEDIA_BACKEND: /);
  });
});
