/**
 * The one table of relay errors (DESIGN.md §6).
 *
 * Every failure a client can see carries a stable `RELAY_ERR_*` code from this table. Errors
 * answered over HTTP carry `httpStatus`; errors that end a WebSocket carry `closeCode`; errors
 * sent as a WebSocket `error` frame (the connection stays open) carry neither or only the status
 * the same condition has over HTTP; errors an operator sees (configuration, database, admin
 * commands) carry neither. docs/errors.md is generated from this table and
 * docs/close-codes.md explains the close-code ranges:
 *   4000–4499  do not reconnect until something changes (re-authenticate, fix the client)
 *   4500–4999  transient: reconnect with backoff
 */

export interface RelayErrorInfo {
  readonly message: string;
  readonly httpStatus?: number;
  readonly closeCode?: number;
}

export const RELAY_ERRORS = {
  // --- Input validation (every body and frame) ---
  RELAY_ERR_MALFORMED_JSON: { message: 'The body or frame is not valid JSON.', httpStatus: 400 },
  RELAY_ERR_INVALID_REQUEST: { message: 'The body, query or frame does not match its schema.', httpStatus: 400 },
  RELAY_ERR_UNSUPPORTED_MEDIA_TYPE: { message: 'Request bodies must be application/json.', httpStatus: 415 },
  RELAY_ERR_BODY_TOO_LARGE: { message: 'The request body exceeds server.bodyLimitBytes.', httpStatus: 413 },
  RELAY_ERR_INVALID_ENCODING: { message: 'A key, signature or signed structure is malformed.', httpStatus: 400 },
  RELAY_ERR_BAD_SIGNATURE: { message: 'A signature does not verify.', httpStatus: 422 },
  RELAY_ERR_UNKNOWN_FRAME_TYPE: { message: 'The frame type is not one this relay knows.' },
  RELAY_ERR_UNSUPPORTED_VERSION: { message: 'The frame version is not supported; this relay speaks v1.' },
  RELAY_ERR_BINARY_FRAME: { message: 'Binary frames are not accepted; frames are UTF-8 JSON text.' },
  RELAY_ERR_FRAME_TOO_LARGE: { message: 'A WebSocket frame exceeds limits.maxFrameBytes.', closeCode: 1009 },
  RELAY_ERR_TOO_MANY_BAD_FRAMES: { message: 'Too many invalid frames on this connection.', closeCode: 4002 },
  RELAY_ERR_NOT_FOUND: { message: 'No such route.', httpStatus: 404 },

  // --- Authentication (challenge, session token, WebSocket upgrade) ---
  RELAY_ERR_UNAUTHENTICATED: { message: 'This route needs a valid session token (Authorization: Bearer).', httpStatus: 401 },
  RELAY_ERR_SESSION_EXPIRED: { message: 'The session token has expired; sign a new challenge.', httpStatus: 401 },
  RELAY_ERR_CHALLENGE_INVALID: { message: 'The challenge is unknown or was already used.', httpStatus: 401 },
  RELAY_ERR_CHALLENGE_EXPIRED: { message: 'The challenge is too old; request a new one.', httpStatus: 401 },
  RELAY_ERR_FORBIDDEN: { message: 'This device may not do that.', httpStatus: 403 },

  // --- Accounts and devices ---
  RELAY_ERR_REGISTRATION_CLOSED: { message: 'This relay does not accept new accounts.', httpStatus: 403 },
  RELAY_ERR_INVITE_INVALID: { message: 'The invite token is unknown, used or expired.', httpStatus: 403 },
  RELAY_ERR_ACCOUNT_EXISTS: { message: 'An account with this identity key already exists.', httpStatus: 409 },
  RELAY_ERR_USERNAME_INVALID: { message: 'Usernames are 3-32 characters: a-z, 0-9, "_", "." and "-", starting with a letter or digit.', httpStatus: 400 },
  RELAY_ERR_USERNAME_TAKEN: { message: 'The username is taken (usernames are case-insensitive).', httpStatus: 409 },
  RELAY_ERR_ACCOUNT_NOT_FOUND: { message: 'No such account.', httpStatus: 404 },
  RELAY_ERR_DEVICE_NOT_FOUND: { message: 'No such device.', httpStatus: 404 },
  RELAY_ERR_DEVICE_LIST_INVALID: { message: 'The device list does not fit this request (wrong account, or the registering device is not on it).', httpStatus: 422 },
  RELAY_ERR_DEVICE_LIST_VERSION: { message: 'The device list version must be greater than the stored one.', httpStatus: 409 },
  RELAY_ERR_TOO_MANY_DEVICES: { message: 'The device list has more devices than limits.maxDevicesPerAccount.', httpStatus: 422 },

  // --- Prekeys and bundles ---
  RELAY_ERR_PREKEY_INVALID: { message: 'A prekey has the wrong kind or flags for where it was uploaded.', httpStatus: 422 },
  RELAY_ERR_TOO_MANY_PREKEYS: { message: 'The upload or the resulting pool exceeds the prekey limits.', httpStatus: 413 },

  // --- Messages ---
  RELAY_ERR_DEVICE_MISMATCH: { message: 'The copies do not match the current device lists; see missing, extra and stale.', httpStatus: 409 },
  RELAY_ERR_ENVELOPE_TOO_LARGE: { message: 'A ciphertext exceeds limits.maxEnvelopeBytes.', httpStatus: 413 },
  RELAY_ERR_TTL_TOO_LONG: { message: 'The requested TTL exceeds limits.maxTtlSeconds.', httpStatus: 400 },
  RELAY_ERR_QUEUE_FULL: { message: 'A recipient device queue is full (limits.maxQueueMessages or maxQueueBytes); nothing was stored.', httpStatus: 507 },
  RELAY_ERR_NOT_RECIPIENT: { message: 'This account did not receive that message.', httpStatus: 403 },

  // --- Presence ---
  RELAY_ERR_PRESENCE_NOT_ALLOWED: { message: 'That account has not shared its presence with you.', httpStatus: 403 },

  // --- Provisioning (linking a new device through a short-lived mailbox) ---
  RELAY_ERR_PROVISIONING_NOT_FOUND: { message: 'No such provisioning channel, or it expired (provisioning.ttlSeconds); start linking again.', httpStatus: 404 },
  RELAY_ERR_PROVISIONING_TOO_LARGE: { message: 'A provisioning message exceeds provisioning.maxMessageBytes.', httpStatus: 413 },
  RELAY_ERR_PROVISIONING_FULL: { message: 'The other party has not collected its earlier messages yet (provisioning.maxMessagesPerRole).', httpStatus: 507 },
  RELAY_ERR_PROVISIONING_BUSY: { message: 'The relay holds too many provisioning channels or bytes right now; retry later.', httpStatus: 503 },

  // --- Media (encrypted attachments, docs/media.md) ---
  RELAY_ERR_MEDIA_TOO_LARGE: { message: 'The declared media size exceeds media.maxObjectBytes.', httpStatus: 413 },
  RELAY_ERR_MEDIA_SIZE_INVALID: { message: 'The declared media size must be a whole number of bytes, at least 1.', httpStatus: 400 },
  RELAY_ERR_MEDIA_TTL_TOO_LONG: { message: 'The requested media lifetime exceeds media.maxTtlSeconds.', httpStatus: 400 },
  RELAY_ERR_MEDIA_QUOTA_EXCEEDED: { message: "The upload would exceed the account's media quota (media.quotaBytesPerAccount or media.maxObjectsPerAccount).", httpStatus: 507 },
  RELAY_ERR_MEDIA_TOO_MANY_PENDING: { message: 'Too many unfinished uploads (media.maxPendingUploadsPerAccount); complete them or let them expire.', httpStatus: 429 },
  RELAY_ERR_MEDIA_NOT_FOUND: { message: 'No such media: it is unknown, deleted or expired.', httpStatus: 404 },
  RELAY_ERR_MEDIA_NOT_OWNER: { message: 'Only the account that uploaded this media may do that.', httpStatus: 403 },
  RELAY_ERR_MEDIA_NOT_READY: { message: 'The media upload has not been completed yet.', httpStatus: 409 },
  RELAY_ERR_MEDIA_NOT_UPLOADED: { message: 'No uploaded object was found; PUT it to the issued URL, then complete the upload.', httpStatus: 409 },
  RELAY_ERR_MEDIA_SIZE_MISMATCH: { message: 'The uploaded object does not have the declared size, so it was deleted; upload it again.', httpStatus: 409 },
  RELAY_ERR_MEDIA_URL_EXPIRED: { message: 'The media URL has expired; ask the relay for a new one.', httpStatus: 403 },
  RELAY_ERR_MEDIA_URL_INVALID: { message: 'The media URL is malformed or its signature does not verify.', httpStatus: 403 },
  RELAY_ERR_MEDIA_UPLOAD_TOO_LARGE: { message: 'The upload body is larger than the size declared for it; nothing was stored.', httpStatus: 413 },
  RELAY_ERR_MEDIA_UPLOAD_INCOMPLETE: { message: 'The upload body is smaller than the size declared for it; nothing was stored.', httpStatus: 400 },
  RELAY_ERR_MEDIA_ALREADY_UPLOADED: { message: 'This media object was already uploaded and cannot be replaced.', httpStatus: 409 },
  RELAY_ERR_MEDIA_BACKEND: { message: 'The media storage backend failed; try again later.', httpStatus: 502 },

  // --- Web Push (docs/push.md) ---
  RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED: { message: 'The push subscription was refused (details.reason says why: endpoint or keys).', httpStatus: 422 },

  // --- Limits and connection health ---
  RELAY_ERR_RATE_LIMITED: { message: 'Too many requests; retry after the given delay.', httpStatus: 429 },
  RELAY_ERR_SLOW_CONSUMER: { message: 'The connection did not read fast enough and was closed; reconnect.', closeCode: 4500 },
  RELAY_ERR_HEARTBEAT_TIMEOUT: { message: 'No pong within the heartbeat interval; the peer is presumed dead.', closeCode: 4501 },
  RELAY_ERR_CONNECTION_REPLACED: { message: 'The same device opened a newer connection.', closeCode: 4009 },
  RELAY_ERR_DEVICE_REMOVED: { message: 'This device is no longer on its account device list, was removed by the operator, or its account was deleted.', closeCode: 4003 },

  // --- Server ---
  RELAY_ERR_SHUTTING_DOWN: { message: 'The relay is shutting down; reconnect shortly.', httpStatus: 503, closeCode: 1001 },
  RELAY_ERR_INTERNAL: { message: 'Internal relay error.', httpStatus: 500, closeCode: 1011 },
  // --- Operator side (start, check-config, admin commands): printed, never sent to a client ---
  RELAY_ERR_CONFIG_INVALID: { message: 'The relay configuration is invalid.' },
  RELAY_ERR_DATABASE_MISSING: { message: 'There is no relay database at the configured path; check --data-dir and --config (the relay creates it on first start).' },
  RELAY_ERR_DATABASE_VERSION: { message: 'The database schema version does not match this relay build.' },
} as const satisfies Record<string, RelayErrorInfo>;

export type RelayErrorCode = keyof typeof RELAY_ERRORS;

/** An error with a stable code; `details` is a small JSON object safe to send to the client. */
export class RelayError extends Error {
  readonly code: RelayErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: RelayErrorCode, detail?: string, details?: Record<string, unknown>) {
    super(detail === undefined ? RELAY_ERRORS[code].message : `${RELAY_ERRORS[code].message} (${detail})`);
    this.name = 'RelayError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    const info: RelayErrorInfo = RELAY_ERRORS[this.code];
    return info.httpStatus ?? 400;
  }
}

export function isRelayError(error: unknown): error is RelayError {
  return error instanceof RelayError;
}
