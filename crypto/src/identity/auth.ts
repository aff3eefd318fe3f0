/**
 * Relay authentication, signing side (DESIGN.md §2): a device answers the relay's challenge with
 * an Ed25519 signature (RFC 8032) by its device signing key over `authChallengeMessage`
 * (public/auth.ts), which binds the relay origin, the nonce, the issue time, the account id and
 * the device id. The relay checks it with `verifyAuthSignature`.
 */
import type { CryptoSuite } from '../primitives/index.js';
import { authChallengeMessage, type AuthChallenge } from '../public/auth.js';
import type { DeviceKeys } from './device-keys.js';

/** Returns the 64-byte signature answering `challenge`. */
export function signAuthChallenge(suite: CryptoSuite, device: Pick<DeviceKeys, 'signingSeed'>, challenge: AuthChallenge): Uint8Array {
  return suite.ed25519Sign(device.signingSeed, authChallengeMessage(challenge));
}
