/**
 * Validates a Web Push subscription before the relay stores it: the endpoint (RFC 8030 §5 — the
 * push resource the relay will POST to) must be https and must not lead to an internal host, and
 * the keys must be what RFC 8291 §3 needs (a P-256 public key and a 16-byte auth secret).
 *
 * The relay sends to a URL a client chose, so every address the name resolves to is checked
 * (server-side request forgery). A name can resolve differently later (DNS rebinding), so this
 * check at subscribe time is only the first one: guarded-agent.ts repeats it for the exact
 * addresses each connection uses, at send time.
 */
import { createPublicKey } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { MAX_ENDPOINT_LENGTH } from '../api/push.js';
import { classifyAddress, PRIVATE_CLASSES } from './address-ranges.js';
import type { AddressClass } from './address-ranges.js';

export type PushRefusalReason =
  | 'endpoint-invalid'
  | 'endpoint-not-https'
  | 'endpoint-unresolvable'
  | 'endpoint-address-refused'
  | 'p256dh-invalid'
  | 'auth-invalid';

/** A subscription the policy refused; `reason` is a stable code, `message` says why in words. */
export class PushSubscriptionRefusedError extends Error {
  readonly reason: PushRefusalReason;
  readonly addressClass: AddressClass | undefined;

  constructor(reason: PushRefusalReason, message: string, addressClass?: AddressClass) {
    super(message);
    this.name = 'PushSubscriptionRefusedError';
    this.reason = reason;
    this.addressClass = addressClass;
  }
}

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address it has (injected so tests can play DNS rebinding). */
export type Resolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

export const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

export interface SubscriptionInput {
  readonly endpoint: string;
  readonly p256dh: string;
  readonly auth: string;
}

/** A subscription that passed the policy, in canonical form (normalized URL, unpadded base64url). */
export type ValidSubscription = SubscriptionInput;

export interface EndpointPolicyOptions {
  readonly allowPrivateEndpoints: boolean;
  readonly resolve?: Resolver;
}

/** Why an address may not be contacted, or null when it may. */
export function addressRefusal(address: string, allowPrivateEndpoints: boolean): AddressClass | null {
  const cls = classifyAddress(address);
  if (cls === null) return 'reserved'; // not an IP literal: never connect to what we cannot classify
  if (cls === 'public') return null;
  if (allowPrivateEndpoints && PRIVATE_CLASSES.has(cls)) return null;
  return cls;
}

/** The host of a URL as a connect target: IPv6 literals lose their brackets. */
export function hostOf(url: URL): string {
  const host = url.hostname;
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Parses and checks the URL shape (no DNS): https, no credentials, no fragment, bounded length. */
export function parseEndpoint(endpoint: string): URL {
  if (endpoint.length > MAX_ENDPOINT_LENGTH) throw new PushSubscriptionRefusedError('endpoint-invalid', `endpoint longer than ${MAX_ENDPOINT_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new PushSubscriptionRefusedError('endpoint-invalid', 'endpoint is not a URL');
  }
  // RFC 8030 §8.1: push messages travel over HTTP over TLS only; they carry a VAPID token.
  if (url.protocol !== 'https:') throw new PushSubscriptionRefusedError('endpoint-not-https', 'endpoint must be an https: URL');
  if (url.username !== '' || url.password !== '') throw new PushSubscriptionRefusedError('endpoint-invalid', 'endpoint must not carry credentials');
  if (url.hash !== '') throw new PushSubscriptionRefusedError('endpoint-invalid', 'endpoint must not have a fragment');
  if (hostOf(url) === '') throw new PushSubscriptionRefusedError('endpoint-invalid', 'endpoint has no host');
  return url;
}

/**
 * Checks every address of the endpoint's host. IP literals are checked as they are (the WHATWG
 * parser has already turned forms like 0x7f.1 into 127.0.0.1); names are resolved and refused if
 * any address is refused, since a connection may use any of them.
 */
export async function checkEndpointAddresses(url: URL, options: EndpointPolicyOptions): Promise<void> {
  const host = hostOf(url);
  const literal = classifyAddress(host);
  const addresses: readonly ResolvedAddress[] =
    literal !== null
      ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
      : await (options.resolve ?? systemResolver)(host).catch(() => {
          throw new PushSubscriptionRefusedError('endpoint-unresolvable', 'endpoint host does not resolve');
        });
  if (addresses.length === 0) throw new PushSubscriptionRefusedError('endpoint-unresolvable', 'endpoint host does not resolve');
  for (const { address } of addresses) {
    const refused = addressRefusal(address, options.allowPrivateEndpoints);
    if (refused !== null) {
      throw new PushSubscriptionRefusedError('endpoint-address-refused', `endpoint resolves to a ${refused} address; the relay does not contact internal hosts (push.allowPrivateEndpoints)`, refused);
    }
  }
}

/** Strict base64url (RFC 4648 §5), padding tolerated on input; null when malformed. */
function decodeBase64Url(text: string): Buffer | null {
  const bare = text.replace(/={1,2}$/, '');
  if (!/^[A-Za-z0-9_-]*$/.test(bare)) return null;
  const bytes = Buffer.from(bare, 'base64url');
  // Reject non-canonical encodings (stray low bits), so one key has one stored form.
  return bytes.toString('base64url') === bare ? bytes : null;
}

/** RFC 8291 §3.1: the user agent's key is an uncompressed P-256 point (0x04 || X || Y). */
export function canonicalP256dh(text: string): string {
  const bytes = decodeBase64Url(text);
  if (bytes === null || bytes.length !== 65 || bytes[0] !== 0x04) {
    throw new PushSubscriptionRefusedError('p256dh-invalid', 'p256dh must be a 65-byte uncompressed P-256 point in base64url');
  }
  try {
    // Point-on-curve check (RFC 8291 §3.1 relies on ECDH with a valid point, SEC 1 §3.2.2).
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: bytes.subarray(1, 33).toString('base64url'), y: bytes.subarray(33).toString('base64url') }, format: 'jwk' });
  } catch {
    throw new PushSubscriptionRefusedError('p256dh-invalid', 'p256dh is not a point on P-256');
  }
  return bytes.toString('base64url');
}

/** RFC 8291 §3.2: the authentication secret is 16 bytes. */
export function canonicalAuth(text: string): string {
  const bytes = decodeBase64Url(text);
  if (bytes === null || bytes.length !== 16) throw new PushSubscriptionRefusedError('auth-invalid', 'auth must be 16 bytes in base64url');
  return bytes.toString('base64url');
}

/** Validates a whole subscription; resolves to its canonical form or throws PushSubscriptionRefusedError. */
export async function validateSubscription(input: SubscriptionInput, options: EndpointPolicyOptions): Promise<ValidSubscription> {
  const p256dh = canonicalP256dh(input.p256dh);
  const auth = canonicalAuth(input.auth);
  const url = parseEndpoint(input.endpoint);
  await checkEndpointAddresses(url, options);
  return { endpoint: url.href, p256dh, auth };
}
