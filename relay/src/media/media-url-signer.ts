/**
 * Signed, expiring URLs for the local media backend — the same idea as S3's presigned URLs
 * (AWS SigV4 query authentication), made small: the query carries the operation, the declared
 * size (uploads), the expiry in ms and an HMAC-SHA-256 (RFC 2104) over all of them and the media
 * id, under a 32-byte key kept in the data folder. The route can then check a request with no
 * database lookup. The MAC is compared in constant time, before the expiry is looked at, so a
 * tampered expiry is reported as a bad signature.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RelayError } from '../errors.js';

export type MediaUrlOperation = 'put' | 'get';

const KEY_BYTES = 32;
const MAC_BYTES = 32;
/** Domain separation: these MACs can never be confused with session tokens or anything else. */
const LABEL = 'sealpost-media-url-v1';

/**
 * Reads the URL key (64 hex characters) from `file`, creating it with a fresh random key (mode
 * 0600) when it does not exist. Creation uses O_EXCL, so two processes starting together end up
 * with the same key.
 */
export function loadOrCreateMediaUrlKey(file: string): Uint8Array {
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new Error(`media URL key file ${file} must hold 64 hex characters (32 bytes)`);
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

export interface SignedUrlFields {
  readonly op: MediaUrlOperation;
  readonly mediaId: string;
  readonly expiresAt: number;
  /** Declared size; uploads only. */
  readonly size?: number;
}

export class MediaUrlSigner {
  private readonly key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== KEY_BYTES) throw new RangeError(`media URL key must be ${KEY_BYTES} bytes`);
    this.key = Buffer.from(key);
  }

  private mac(fields: SignedUrlFields): Buffer {
    // Newline-separated fields: none of them can contain a newline (ids are base64url, the rest digits).
    const text = [LABEL, fields.op, fields.mediaId, String(fields.expiresAt), fields.size === undefined ? '' : String(fields.size)].join('\n');
    return createHmac('sha256', this.key).update(text).digest();
  }

  /** The query string (without '?') for a URL granting `fields`. */
  query(fields: SignedUrlFields): string {
    const params = new URLSearchParams({ op: fields.op, exp: String(fields.expiresAt) });
    if (fields.size !== undefined) params.set('size', String(fields.size));
    params.set('sig', this.mac(fields).toString('base64url'));
    return params.toString();
  }

  /**
   * Checks a request's query against the operation and media id it is used for, and returns the
   * signed fields. RELAY_ERR_MEDIA_URL_INVALID for anything malformed or a wrong MAC,
   * RELAY_ERR_MEDIA_URL_EXPIRED once `now` reaches the expiry.
   */
  verify(op: MediaUrlOperation, mediaId: string, query: Readonly<Record<string, unknown>>, now: number): SignedUrlFields {
    const { op: qop, exp, size, sig } = query;
    const digits = (v: unknown): v is string => typeof v === 'string' && /^[0-9]{1,16}$/.test(v);
    if (qop !== op || !digits(exp) || typeof sig !== 'string' || (op === 'put' ? !digits(size) : size !== undefined)) {
      throw new RelayError('RELAY_ERR_MEDIA_URL_INVALID', 'malformed query');
    }
    const fields: SignedUrlFields = { op, mediaId, expiresAt: Number(exp), ...(op === 'put' ? { size: Number(size) } : {}) };
    const given = Buffer.from(sig, 'base64url');
    // Constant-time comparison (RFC 2104 §5 on MAC checks) before trusting any field.
    if (given.length !== MAC_BYTES || !timingSafeEqual(given, this.mac(fields))) throw new RelayError('RELAY_ERR_MEDIA_URL_INVALID', 'bad signature');
    if (now >= fields.expiresAt) throw new RelayError('RELAY_ERR_MEDIA_URL_EXPIRED');
    return fields;
  }
}
