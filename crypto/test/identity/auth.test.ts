import { beforeAll, describe, expect, it } from 'vitest';
import { signAuthChallenge } from '../../src/identity/auth.js';
import { createDeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { authChallengeMessage, verifyAuthSignature, type AuthChallenge } from '../../src/public/auth.js';
import { expectCode, seededRandom } from '../public/fixtures.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('identity-auth') });
});

describe('signAuthChallenge', () => {
  it('signs authChallengeMessage with the device signing key', () => {
    const device = createDeviceKeys(suite);
    const challenge: AuthChallenge = { origin: 'http://127.0.0.1:8787', nonce: suite.randomBytes(32), issuedAt: 5, accountId: 'sp1x', deviceId: 1 };
    const signature = signAuthChallenge(suite, device, challenge);
    expect(signature.length).toBe(64);
    expect(suite.ed25519Verify(signature, authChallengeMessage(challenge), device.signingKey)).toBe(true);
    expect(verifyAuthSignature(challenge, signature, device.signingKey)).toBe(true);
    expect(verifyAuthSignature(challenge, signature, createDeviceKeys(suite).signingKey)).toBe(false);
  });

  it('refuses a nonce of the wrong length instead of signing it', () => {
    const device = createDeviceKeys(suite);
    expectCode(() => signAuthChallenge(suite, device, { origin: 'o', nonce: new Uint8Array(16), issuedAt: 5, accountId: 'a', deviceId: 1 }), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
