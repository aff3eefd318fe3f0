/**
 * The HTTP side of the local media backend: PUT and GET on the signed URLs that
 * ./local-media-backend.ts issues (docs/media.md "Local backend"). A fastify plugin, registered
 * with `app.register(localMediaRoutes, { backend, clock })`; fastify's encapsulation keeps its
 * body handling (raw streams of any content type, no JSON parsing, no body limit other than the
 * signed declared size) and its connection handling inside this plugin; the errors themselves
 * (RelayErrors: RELAY_ERR_MEDIA_URL_*, RELAY_ERR_MEDIA_UPLOAD_*, …) go on to the relay's one error
 * handler (relay/src/http/error-handler.ts), like every other route's.
 *
 * Every request is checked before any byte of a body is read: signature first, then expiry
 * (./media-url-signer.ts), then the Content-Length against the signed size.
 */
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RelayError } from '../errors.js';
import { LOCAL_MEDIA_ROUTE } from './local-media-backend.js';
import type { LocalMediaBackend } from './local-media-backend.js';

export interface LocalMediaRoutesOptions {
  readonly backend: LocalMediaBackend;
  /** Milliseconds since the epoch; injected so tests can move time. */
  readonly clock: () => number;
}

interface ObjectRequest {
  Params: { mediaId: string };
  Querystring: Record<string, string | string[] | undefined>;
}

function contentLengthOf(request: FastifyRequest): number | undefined {
  const header = request.headers['content-length'];
  if (header === undefined) return undefined;
  if (!/^[0-9]{1,16}$/.test(header)) throw new RelayError('RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE', 'malformed Content-Length');
  return Number(header);
}

const localMediaRoutesPlugin: FastifyPluginAsync<LocalMediaRoutesOptions> = async (app: FastifyInstance, options) => {
  const { backend, clock } = options;

  // Bodies are raw ciphertext of any declared type: leave the stream unread for the handler.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.setErrorHandler((error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) => {
    // A refused upload whose body was not read: close the connection rather than drain it.
    if (request.method === 'PUT' && !request.raw.complete) void reply.header('connection', 'close');
    // Rethrown, the error reaches the parent scope's handler: the relay's one error mapping.
    throw error;
  });

  app.put<ObjectRequest>(LOCAL_MEDIA_ROUTE, async (request, reply) => {
    const { mediaId } = request.params;
    const { size } = backend.verify('put', mediaId, request.query, clock());
    await backend.write(mediaId, size as number, request.raw, contentLengthOf(request));
    request.log.debug({ event: 'media.object_written', mediaId: mediaId.slice(0, 8), size }, 'media object written');
    return reply.status(204).send();
  });

  app.get<ObjectRequest>(LOCAL_MEDIA_ROUTE, async (request, reply) => {
    const { mediaId } = request.params;
    backend.verify('get', mediaId, request.query, clock());
    const { size, stream } = await backend.read(mediaId);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(size))
      .header('cache-control', 'private, no-store')
      .header('x-content-type-options', 'nosniff')
      .send(stream);
  });
};

/**
 * The plugin. Registered without fastify-plugin on purpose: its parsers and error handler must
 * stay inside its own scope, not leak into the relay's JSON API.
 */
export const localMediaRoutes = localMediaRoutesPlugin;
