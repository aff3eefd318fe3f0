/**
 * Turns what the relay answers (an HTTP error body or a WebSocket error frame, both carrying a
 * RELAY_ERR_* code) and network failures into CLI errors with the right exit code. The relay's
 * own code and message travel along in `details`, so a script can see exactly what it said.
 */
import { CliError, type CliErrorCode } from '../errors.js';

/** Relay codes with a CLI meaning of their own; everything else is "relay refused". */
const BY_RELAY_CODE: Readonly<Record<string, CliErrorCode>> = {
  RELAY_ERR_RATE_LIMITED: 'CLI_ERR_RATE_LIMITED',
  RELAY_ERR_ACCOUNT_NOT_FOUND: 'CLI_ERR_ACCOUNT_NOT_FOUND',
  RELAY_ERR_SHUTTING_DOWN: 'CLI_ERR_RELAY_UNREACHABLE',
  RELAY_ERR_MEDIA_TOO_LARGE: 'CLI_ERR_MEDIA_TOO_LARGE',
  RELAY_ERR_MEDIA_QUOTA_EXCEEDED: 'CLI_ERR_MEDIA_QUOTA_EXCEEDED',
  RELAY_ERR_MEDIA_NOT_FOUND: 'CLI_ERR_MEDIA_NOT_FOUND',
  RELAY_ERR_MEDIA_URL_EXPIRED: 'CLI_ERR_MEDIA_URL_EXPIRED',
  // The relay discarded an upload that ended early (local disk) or stored a short one (S3).
  RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE: 'CLI_ERR_MEDIA_TRUNCATED',
  RELAY_ERR_MEDIA_SIZE_MISMATCH: 'CLI_ERR_MEDIA_TRUNCATED',
  RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED: 'CLI_ERR_PUSH_ENDPOINT_REFUSED',
  // "No such route": a relay without the feature (push or media switched off, or older).
  RELAY_ERR_NOT_FOUND: 'CLI_ERR_FEATURE_UNAVAILABLE',
};

export interface RelayErrorInfo {
  readonly code: string;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
  readonly retryAfterMs?: number | undefined;
}

/** A relay answer that refused a request. Kept as its own class so callers can react to a code. */
export class RelayRefusal extends Error {
  constructor(readonly info: RelayErrorInfo) {
    super(`${info.code}: ${info.message}`);
    this.name = 'RelayRefusal';
  }
}

export function relayRefusalToCliError(info: RelayErrorInfo): CliError {
  const code = BY_RELAY_CODE[info.code] ?? 'CLI_ERR_RELAY_REFUSED';
  const data: Record<string, unknown> = { relayCode: info.code, relayMessage: info.message };
  if (info.retryAfterMs !== undefined) data.retryAfterMs = info.retryAfterMs;
  if (info.details !== undefined) data.relayDetails = info.details;
  return new CliError(code, `${info.code}: ${info.message}`, data);
}

/** A failure to talk to the relay at all (refused, reset, DNS, TLS, timeout). */
export function unreachable(relayUrl: string, error: unknown): CliError {
  const own = (error as { code?: unknown } | undefined)?.code;
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const reason = typeof own === 'string' ? own : typeof cause?.code === 'string' ? cause.code : error instanceof Error ? error.message : String(error);
  return new CliError('CLI_ERR_RELAY_UNREACHABLE', `${relayUrl}: ${reason}`, { relay: relayUrl, reason }, { cause: error });
}
