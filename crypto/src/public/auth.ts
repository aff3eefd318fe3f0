/**
 * Relay authentication: a device proves possession of its signing key by signing a challenge the
 * relay issued. The signed message binds the relay origin (so a signature for one relay is useless
 * at another), the relay's fresh 32-byte nonce (single use, enforced by the relay), the time the
 * relay issued it (the relay refuses stale ones), and which account and device are logging in.
 *
 * Signed message: "Sealpost relay auth v1" || 0x00 || version (u8 = 1) || origin (u16 length ||
 * UTF-8) || nonce (32) || issued at (u64 ms) || account id (u16 length || UTF-8) || device id (u32).
 */
import { CryptoError } from '../errors.js';
import { utf8 } from '../primitives/bytes.js';
import { ByteWriter } from './bytes-io.js';
import { SIGNATURE_CONTEXT, signedMessage, verifyEd25519 } from './signature.js';

export const AUTH_NONCE_BYTES = 32;
const AUTH_VERSION = 1;

export interface AuthChallenge {
  /** The relay's origin as clients reach it, e.g. "https://relay.example" (no trailing slash). */
  readonly origin: string;
  /** 32 random bytes chosen by the relay. */
  readonly nonce: Uint8Array;
  /** When the relay issued the challenge, ms since the Unix epoch. */
  readonly issuedAt: number;
  readonly accountId: string;
  readonly deviceId: number;
}

/** The exact bytes a device signs to answer a challenge. */
export function authChallengeMessage(challenge: AuthChallenge): Uint8Array {
  if (challenge.nonce.length !== AUTH_NONCE_BYTES) {
    throw new CryptoError('CRYPTO_ERR_INVALID_LENGTH', `auth nonce: expected ${AUTH_NONCE_BYTES} bytes, got ${challenge.nonce.length}`);
  }
  const body = new ByteWriter()
    .u8(AUTH_VERSION)
    .bytes16(utf8(challenge.origin))
    .raw(challenge.nonce)
    .u64(challenge.issuedAt)
    .bytes16(utf8(challenge.accountId))
    .u32(challenge.deviceId)
    .finish();
  return signedMessage(SIGNATURE_CONTEXT.RELAY_AUTH, body);
}

/** True when `signature` answers `challenge` under the device's raw Ed25519 signing key. */
export function verifyAuthSignature(challenge: AuthChallenge, signature: Uint8Array, deviceSigningKey: Uint8Array): boolean {
  let message: Uint8Array;
  try {
    message = authChallengeMessage(challenge);
  } catch {
    return false;
  }
  return verifyEd25519(signature, message, deviceSigningKey);
}
