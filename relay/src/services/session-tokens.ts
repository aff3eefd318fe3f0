/**
 * Short-lived, relay-signed session tokens (docs/api.md "Authentication"). After a device
 * answers a challenge it gets `v1.<payload>.<mac>`: payload = base64url JSON {a: account id,
 * d: device id, e: expiry ms}, mac = HMAC-SHA-256 (RFC 2104) under a relay key. Tokens are not
 * stored anywhere — the relay keeps no bearer secret — and each use also checks that the device
 * still exists, so removing a device ends its sessions at once.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { RelayError } from '../errors.js';
import type { DeviceAddress } from '../storage/records.js';

const PREFIX = 'v1';
const MAC_BYTES = 32;

export function loadSessionKey(file: string | null): Uint8Array {
  if (file === null) return new Uint8Array(randomBytes(32));
  let hex: string;
  try {
    hex = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new RelayError('RELAY_ERR_CONFIG_INVALID', `auth.sessionKeyFile ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new RelayError('RELAY_ERR_CONFIG_INVALID', `auth.sessionKeyFile ${file} must hold 64 hex characters (32 bytes)`);
  }
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Tokens whose MAC was checked, kept so a device's next requests skip the HMAC (bounded, oldest out first). */
const VERIFIED_CACHE_SIZE = 10_000;

interface Verified {
  readonly address: DeviceAddress;
  readonly expiresAt: number;
}

export class SessionTokens {
  /**
   * Token text → its claims, only for tokens that passed the MAC check; expiry is still checked
   * on every use. A hit needs the exact token string, so it reveals nothing a caller does not
   * already hold.
   */
  private readonly verified = new Map<string, Verified>();

  constructor(
    private readonly key: Uint8Array,
    private readonly ttlMs: number,
  ) {}

  private mac(payload: string): Buffer {
    return createHmac('sha256', this.key).update(`${PREFIX}.${payload}`).digest();
  }

  mint(address: DeviceAddress, now: number): { token: string; expiresAt: number } {
    const expiresAt = now + this.ttlMs;
    const payload = Buffer.from(JSON.stringify({ a: address.accountId, d: address.deviceId, e: expiresAt })).toString('base64url');
    return { token: `${PREFIX}.${payload}.${this.mac(payload).toString('base64url')}`, expiresAt };
  }

  /** The device a token names; RELAY_ERR_UNAUTHENTICATED or RELAY_ERR_SESSION_EXPIRED otherwise. */
  verify(token: string, now: number): DeviceAddress {
    const known = this.verified.get(token);
    if (known !== undefined) {
      if (now >= known.expiresAt) throw new RelayError('RELAY_ERR_SESSION_EXPIRED');
      return { ...known.address };
    }
    const claims = this.check(token);
    if (now >= claims.expiresAt) throw new RelayError('RELAY_ERR_SESSION_EXPIRED');
    if (this.verified.size >= VERIFIED_CACHE_SIZE) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(token, claims);
    return { ...claims.address };
  }

  /** The claims of a token whose MAC is right; RELAY_ERR_UNAUTHENTICATED otherwise. */
  private check(token: string): Verified {
    const parts = token.split('.');
    if (parts.length !== 3 || parts[0] !== PREFIX) throw new RelayError('RELAY_ERR_UNAUTHENTICATED', 'malformed token');
    const [, payload, macText] = parts as [string, string, string];
    const mac = Buffer.from(macText, 'base64url');
    // Compare MACs in constant time before looking at the payload at all.
    if (mac.length !== MAC_BYTES || !timingSafeEqual(mac, this.mac(payload))) throw new RelayError('RELAY_ERR_UNAUTHENTICATED', 'bad token');
    let claims: unknown;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      throw new RelayError('RELAY_ERR_UNAUTHENTICATED', 'malformed token');
    }
    const { a, d, e } = claims as { a?: unknown; d?: unknown; e?: unknown };
    if (typeof a !== 'string' || typeof d !== 'number' || typeof e !== 'number') throw new RelayError('RELAY_ERR_UNAUTHENTICATED', 'malformed token');
    return { address: { accountId: a, deviceId: d }, expiresAt: e };
  }
}
