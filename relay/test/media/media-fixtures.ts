/**
 * Fixtures for media tests: a settable clock, a local media server (fastify with the relay's error
 * handling + the routes plugin on an ephemeral 127.0.0.1 port over a temp folder), an s3rver on an ephemeral port with a temp
 * folder plus the real minio-backed S3MediaBackend, and small HTTP helpers over fetch (undici).
 */
import { randomBytes } from 'node:crypto';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import S3rver from 's3rver';
import { installErrorHandling } from '../../src/http/error-handler.js';
import { LocalMediaBackend } from '../../src/media/local-media-backend.js';
import { localMediaRoutes } from '../../src/media/local-media-routes.js';
import type { MediaBackend } from '../../src/media/media-backend.js';
import { parseMediaConfig } from '../../src/media/media-config.js';
import { loadOrCreateMediaUrlKey, MediaUrlSigner } from '../../src/media/media-url-signer.js';
import { S3MediaBackend } from '../../src/media/s3-media-backend.js';
import { createRelayMetrics } from '../../src/metrics/relay-metrics.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';

export interface SettableClock {
  (): number;
  advance(ms: number): void;
  set(ms: number): void;
}

export function settableClock(start = Date.now()): SettableClock {
  let now = start;
  const clock = (() => now) as SettableClock;
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}

/** A running backend for a test; `clock` drives URL issuing and (local) URL checking. */
export interface BackendHarness {
  readonly name: 'local' | 's3';
  readonly backend: MediaBackend;
  readonly clock: SettableClock;
  readonly dir: TempDir;
  stop(): Promise<void>;
}

export interface LocalHarness extends BackendHarness {
  readonly name: 'local';
  readonly backend: LocalMediaBackend;
  readonly app: FastifyInstance;
  readonly origin: string;
}

export async function startLocalMedia(clock = settableClock()): Promise<LocalHarness> {
  const dir = makeTempDir('sealpost-media-local-');
  let origin = 'http://127.0.0.1:0';
  const signer = new MediaUrlSigner(loadOrCreateMediaUrlKey(`${dir.path}/media-url.key`));
  const backend = new LocalMediaBackend({ directory: `${dir.path}/media`, signer, origin: () => origin });
  // Close keep-alive sockets at once: a socket still finishing a response when close() looks would
  // otherwise hold the server open for the whole keep-alive timeout.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  // The routes leave error answers to the relay's handler, as inside the relay app.
  installErrorHandling(app, createRelayMetrics());
  await app.register(localMediaRoutes, { backend, clock });
  origin = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  return {
    name: 'local',
    backend,
    clock,
    dir,
    app,
    origin,
    async stop() {
      await app.close();
      dir.remove();
    },
  };
}

export interface S3Harness extends BackendHarness {
  readonly name: 's3';
  readonly backend: S3MediaBackend;
  readonly bucket: string;
  readonly port: number;
}

/** s3rver's built-in credentials. */
const S3RVER_KEY = 'S3RVER';

export async function startS3Media(clock = settableClock()): Promise<S3Harness> {
  const dir = makeTempDir('sealpost-media-s3-');
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir.path });
  const { port } = await server.run();
  const bucket = `media-${randomBytes(4).toString('hex')}`;
  const config = parseMediaConfig({
    backend: 's3',
    s3: { endPoint: '127.0.0.1', port, useSSL: false, bucket, accessKey: S3RVER_KEY, secretKey: S3RVER_KEY, region: 'us-east-1', pathStyle: true },
  });
  const backend = new S3MediaBackend({ config: config.s3, clock });
  await backend.ensureBucket();
  return {
    name: 's3',
    backend,
    clock,
    dir,
    bucket,
    port,
    async stop() {
      await server.close();
      dir.remove();
    },
  };
}

export type HarnessFactory = () => Promise<BackendHarness>;
export const BACKEND_HARNESSES: ReadonlyArray<[string, HarnessFactory]> = [
  ['local', () => startLocalMedia()],
  ['s3 (s3rver + minio client)', () => startS3Media()],
];

export async function put(url: string, body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit & { duplex?: 'half' } = { method: 'PUT', body, headers: { 'content-type': 'application/octet-stream', ...headers } };
  if (!(body instanceof Uint8Array)) init.duplex = 'half';
  return fetch(url, init);
}

export async function getBytes(url: string): Promise<{ status: number; bytes: Uint8Array; headers: Headers }> {
  const response = await fetch(url);
  return { status: response.status, bytes: new Uint8Array(await response.arrayBuffer()), headers: response.headers };
}

/** A body stream of the given pieces (sent chunked, without Content-Length). */
export function streamOf(pieces: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[i++];
      if (piece === undefined) controller.close();
      else controller.enqueue(piece);
    },
  });
}

export function bytesOf(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed * 17) & 0xff;
  return out;
}

/** A fresh id in the service's format (43 base64url characters). */
export function mediaIdForTest(): string {
  return randomBytes(32).toString('base64url');
}
