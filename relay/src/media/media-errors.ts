/**
 * The media errors, shaped exactly like entries of RELAY_ERRORS (relay/src/errors.ts) so they can
 * be merged into that one table when media is wired into the relay app: a stable
 * `RELAY_ERR_MEDIA_*` code, a message a client can act on, and the HTTP status.
 */

export const MEDIA_ERRORS = {
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
} as const satisfies Record<string, { readonly message: string; readonly httpStatus: number }>;

export type MediaErrorCode = keyof typeof MEDIA_ERRORS;

/** A media failure with a stable code; `details` is a small JSON object safe to send to the client. */
export class MediaError extends Error {
  readonly code: MediaErrorCode;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: MediaErrorCode, detail?: string, details?: Record<string, unknown>) {
    super(detail === undefined ? MEDIA_ERRORS[code].message : `${MEDIA_ERRORS[code].message} (${detail})`);
    this.name = 'MediaError';
    this.code = code;
    this.details = details;
  }

  get httpStatus(): number {
    return MEDIA_ERRORS[this.code].httpStatus;
  }
}

export function isMediaError(error: unknown): error is MediaError {
  return error instanceof MediaError;
}

/** The relay's one error body shape (relay/src/api/common.ts ErrorBody). */
export function mediaErrorBody(error: MediaError): { error: { code: string; message: string; details?: Record<string, unknown> } } {
  return { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: { ...error.details } }) } };
}
