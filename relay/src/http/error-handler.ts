/**
 * Maps every failure to the one error body `{ error: { code, message, details? } }` with the
 * table's HTTP status (fastify's own parser errors included), sets Retry-After on 429, counts
 * errors by code, and logs 5xx at error and 4xx at info without bodies or headers.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from '../api/common.js';
import { RELAY_ERRORS, RelayError } from '../errors.js';
import type { RelayErrorCode } from '../errors.js';
import type { RelayMetrics } from '../metrics/relay-metrics.js';

/** fastify's content-parser errors, by their FST_ERR code. */
const FASTIFY_CODES: Record<string, RelayErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'RELAY_ERR_MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'RELAY_ERR_MALFORMED_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'RELAY_ERR_BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'RELAY_ERR_UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'RELAY_ERR_INVALID_REQUEST',
};

export function toRelayError(error: unknown): RelayError {
  if (error instanceof RelayError) return error;
  const code = (error as Partial<FastifyError>).code;
  if (typeof code === 'string' && FASTIFY_CODES[code] !== undefined) return new RelayError(FASTIFY_CODES[code]);
  // JSON.parse errors thrown by fastify's parser carry statusCode 400 without an FST code.
  if ((error as Partial<FastifyError>).statusCode === 400 && error instanceof SyntaxError) return new RelayError('RELAY_ERR_MALFORMED_JSON');
  return new RelayError('RELAY_ERR_INTERNAL');
}

export function errorBody(error: RelayError): ErrorBody {
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: { ...error.details } }),
    },
  };
}

export function installErrorHandling(app: FastifyInstance, metrics: RelayMetrics): void {
  app.setErrorHandler((raw: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const error = toRelayError(raw);
    const status = error.httpStatus;
    metrics.errors.inc({ code: error.code });
    if (status >= 500) request.log.error({ err: raw, code: error.code }, 'request failed');
    else request.log.info({ code: error.code, status }, 'request refused');
    const retryAfterMs = error.details?.retryAfterMs;
    if (error.code === 'RELAY_ERR_RATE_LIMITED' && typeof retryAfterMs === 'number') {
      void reply.header('Retry-After', String(Math.max(1, Math.ceil(retryAfterMs / 1000))));
    }
    // A 500 says nothing about its cause to the client; the log has it.
    const body = status >= 500 && error.code === 'RELAY_ERR_INTERNAL' ? { error: { code: error.code, message: RELAY_ERRORS.RELAY_ERR_INTERNAL.message } } : errorBody(error);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    metrics.errors.inc({ code: 'RELAY_ERR_NOT_FOUND' });
    return reply.status(404).send(errorBody(new RelayError('RELAY_ERR_NOT_FOUND')));
  });
}
