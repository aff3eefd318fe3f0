/**
 * Signing in to the relay (DESIGN.md §2 "Relay auth"): ask for a challenge, check that it names
 * the relay we meant to reach, sign it with the device signing key, trade it for a session token.
 * The origin check matters: a challenge answered for one relay must be useless at another, so we
 * sign only our own idea of the origin, never whatever the server claims. The token is cached
 * in the (encrypted) store and reused while valid.
 */
import { signAuthChallenge, type CryptoSuite, type DeviceKeys } from '@sealpost/crypto';
import { fromBase64Url } from '@sealpost/crypto/public';
import type { ChallengeResponse } from '@sealpost/relay/api';
import { CliError } from '../errors.js';
import type { SealedStore } from '../store/sealed-store.js';
import type { Authenticator, RelayHttp } from '../transport/relay-http.js';
import { toB64 } from './encoding.js';

export interface SignedChallenge {
  readonly nonce: string;
  readonly signature: string;
}

/** The relay origin as this client reaches it (scheme://host:port). */
export function relayOrigin(relayUrl: string): string {
  return new URL(relayUrl).origin;
}

/** Asks for a challenge and signs it for (accountId, deviceId). */
export async function answerChallenge(http: RelayHttp, suite: CryptoSuite, device: Pick<DeviceKeys, 'signingSeed'>, accountId: string, deviceId: number): Promise<SignedChallenge> {
  const challenge: ChallengeResponse = await http.challenge();
  const origin = relayOrigin(http.baseUrl);
  if (challenge.origin !== origin) {
    throw new CliError('CLI_ERR_RELAY_PROTOCOL', `the relay signs challenges for ${challenge.origin} but was reached as ${origin}; use --relay ${challenge.origin}`);
  }
  const signature = signAuthChallenge(suite, device, { origin, nonce: fromBase64Url(challenge.nonce, 'challenge nonce'), issuedAt: challenge.issuedAt, accountId, deviceId });
  return { nonce: challenge.nonce, signature: toB64(signature) };
}

/** A cached token is reused only while it has at least this long left. */
const TOKEN_MARGIN_MS = 60_000;

export interface SignInIdentity {
  readonly keys: Pick<DeviceKeys, 'signingSeed'>;
  readonly accountId: string;
  readonly deviceId: number;
}

/**
 * The authenticator for this device: the token cached in the store while it is valid, otherwise
 * (or when `fresh`) a new sign-in whose token is cached. Sets the token on `http` too.
 */
export function deviceAuthenticator(suite: CryptoSuite, store: SealedStore, http: RelayHttp, device: SignInIdentity, now: () => number): Authenticator {
  return async (fresh) => {
    if (!fresh) {
      const cached = store.run(() => store.tokens.get());
      if (cached !== undefined && cached.relayUrl === http.baseUrl && cached.expiresAt - now() > TOKEN_MARGIN_MS) {
        http.setToken(cached.token);
        return cached.token;
      }
    }
    const answer = await answerChallenge(http, suite, device.keys, device.accountId, device.deviceId);
    const { token, expiresAt } = await http.session({ accountId: device.accountId, deviceId: device.deviceId, ...answer });
    store.run(() => store.tokens.put({ relayUrl: http.baseUrl, token, expiresAt }));
    http.setToken(token);
    return token;
  };
}
