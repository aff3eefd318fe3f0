/**
 * The two codes of `sealpost link` (docs/cli.md "link"), exchanged by the user between the two
 * devices (QR code or copy and paste), never through the relay:
 *
 *   offer  (old → new): "sealpost-link-offer:" base64url(JSON {v:1, r: relay URL, a: account id,
 *                        d: reserved device id, s: 16-byte pairing secret})
 *   answer (new → old): "sealpost-link-answer:" base64url(signing key (32) || identity DH key (32)
 *                        || HMAC-SHA-256(s, "sealpost link v1" || 0x00 || d (u32) || keys)[0..16])
 *
 * No private key is ever shown: the new device keeps its own keys and shows only their public
 * halves; the MAC under the pairing secret from the offer binds the answer to this linking
 * session, so an answer from anything else — or a mistyped one — is refused.
 */
import type { CryptoSuite, DevicePublicKeys } from '@sealpost/crypto';
import { constantTimeEqual, isAccountId } from '@sealpost/crypto/public';
import { CliError } from '../errors.js';
import { fromB64, toB64 } from './encoding.js';

const OFFER_PREFIX = 'sealpost-link-offer:';
const ANSWER_PREFIX = 'sealpost-link-answer:';
const SECRET_BYTES = 16;
const MAC_BYTES = 16;

export interface LinkOffer {
  readonly relayUrl: string;
  readonly accountId: string;
  readonly deviceId: number;
  readonly secret: Uint8Array;
}

export function newPairingSecret(suite: Pick<CryptoSuite, 'randomBytes'>): Uint8Array {
  return suite.randomBytes(SECRET_BYTES);
}

export function encodeOffer(offer: LinkOffer): string {
  const json = JSON.stringify({ v: 1, r: offer.relayUrl, a: offer.accountId, d: offer.deviceId, s: toB64(offer.secret) });
  return OFFER_PREFIX + Buffer.from(json, 'utf8').toString('base64url');
}

export function decodeOffer(code: string): LinkOffer {
  const bad = (): never => {
    throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'that is not a link code from `sealpost link new`');
  };
  const text = code.trim();
  if (!text.startsWith(OFFER_PREFIX)) bad();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text.slice(OFFER_PREFIX.length), 'base64url').toString('utf8'));
  } catch {
    return bad();
  }
  const o = value as Record<string, unknown>;
  if (o.v !== 1 || typeof o.r !== 'string' || !isAccountId(o.a) || typeof o.d !== 'number' || !Number.isInteger(o.d) || o.d < 1 || typeof o.s !== 'string') bad();
  const secret = fromB64(o.s as string);
  if (secret.length !== SECRET_BYTES) bad();
  let relayUrl: string;
  try {
    relayUrl = new URL(o.r as string).origin;
  } catch {
    return bad();
  }
  return { relayUrl, accountId: o.a as string, deviceId: o.d as number, secret };
}

function mac(suite: Pick<CryptoSuite, 'hmacSha256'>, offer: LinkOffer, keys: DevicePublicKeys): Uint8Array {
  const label = new TextEncoder().encode('sealpost link v1\0');
  const id = new Uint8Array(4);
  new DataView(id.buffer).setUint32(0, offer.deviceId);
  const input = new Uint8Array(label.length + 4 + 64);
  input.set(label, 0);
  input.set(id, label.length);
  input.set(keys.signingKey, label.length + 4);
  input.set(keys.identityDhKey, label.length + 36);
  return suite.hmacSha256(offer.secret, input).subarray(0, MAC_BYTES);
}

export function encodeAnswer(suite: Pick<CryptoSuite, 'hmacSha256'>, offer: LinkOffer, keys: DevicePublicKeys): string {
  const body = new Uint8Array(64 + MAC_BYTES);
  body.set(keys.signingKey, 0);
  body.set(keys.identityDhKey, 32);
  body.set(mac(suite, offer, keys), 64);
  return ANSWER_PREFIX + toB64(body);
}

/** The new device's public keys from its answer; refused unless it answers this very offer. */
export function decodeAnswer(suite: Pick<CryptoSuite, 'hmacSha256'>, offer: LinkOffer, code: string): DevicePublicKeys {
  const text = code.trim();
  const body = text.startsWith(ANSWER_PREFIX) ? fromB64(text.slice(ANSWER_PREFIX.length)) : new Uint8Array(0);
  if (body.length !== 64 + MAC_BYTES) throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'that is not the code `sealpost link accept` shows');
  const keys = { signingKey: body.slice(0, 32), identityDhKey: body.slice(32, 64) };
  if (!constantTimeEqual(mac(suite, offer, keys), body.subarray(64))) {
    throw new CliError('CLI_ERR_INVALID_ARGUMENT', 'the code does not answer this link offer (mistyped, or from another `link new`)');
  }
  return keys;
}
