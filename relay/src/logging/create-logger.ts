/**
 * The relay's structured logger (pino, JSON lines). Logs must never contain payloads, keys or
 * tokens (DESIGN.md §6): the relay's own log calls pass only ids, counts and codes, and the
 * redaction list below is a second line of defence for anything that slips into a log object.
 */
import { pino } from 'pino';
import type { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

/** Field names whose values are censored wherever they appear (two levels deep). */
const SENSITIVE_FIELDS = [
  'authorization',
  'cookie',
  'token',
  'invite',
  'inviteToken',
  'signature',
  'ciphertext',
  'payload',
  'accountKey',
  'deviceList',
  'signedPrekey',
  'lastResortKem',
  'oneTimeX25519',
  'oneTimeKem',
  'body',
];

const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["sec-websocket-protocol"]',
  ...SENSITIVE_FIELDS,
  ...SENSITIVE_FIELDS.map((field) => `*.${field}`),
];

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'sealpost-relay' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
