/**
 * Verifies the VAPID credentials of a push request (RFC 8292 §3: `Authorization: vapid t=JWT,
 * k=PUBLIC_KEY`) with `jose`, independently of web-push: the ES256 signature against k, the
 * audience (the push service's origin, §2), the expiry (no more than 24 hours ahead, §2) and the
 * subject (§2.1).
 */
import { importJWK, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';

export interface VapidCredentials {
  readonly token: string;
  readonly publicKey: string;
}

export function parseVapidAuthorization(header: string | undefined): VapidCredentials {
  const match = /^vapid t=([A-Za-z0-9_.-]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (match === null || match[1] === undefined || match[2] === undefined) throw new Error(`not a vapid Authorization header: ${header ?? '(none)'}`);
  return { token: match[1], publicKey: match[2] };
}

export async function verifyVapid(header: string | undefined, audience: string): Promise<{ payload: JWTPayload; publicKey: string; header: Record<string, unknown> }> {
  const { token, publicKey } = parseVapidAuthorization(header);
  const point = Buffer.from(publicKey, 'base64url');
  if (point.length !== 65 || point[0] !== 0x04) throw new Error('k is not an uncompressed P-256 point');
  const key = await importJWK({ kty: 'EC', crv: 'P-256', x: point.subarray(1, 33).toString('base64url'), y: point.subarray(33).toString('base64url') }, 'ES256');
  const { payload, protectedHeader } = await jwtVerify(token, key, { audience, algorithms: ['ES256'] });
  return { payload, publicKey, header: protectedHeader as Record<string, unknown> };
}
