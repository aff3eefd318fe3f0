import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity } from '../../src/identity/account.js';
import { signAuthChallenge } from '../../src/identity/auth.js';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { AUTH_NONCE_BYTES, authChallengeMessage, verifyAuthSignature, type AuthChallenge } from '../../src/public/auth.js';
import { SIGNATURE_CONTEXT, signedMessage } from '../../src/public/signature.js';
import { expectCode, flip, seededRandom } from './fixtures.js';

let suite: CryptoSuite;
let device: DeviceKeys;
let otherDevice: DeviceKeys;
let challenge: AuthChallenge;
let signature: Uint8Array;

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('auth') });
  device = createDeviceKeys(suite);
  otherDevice = createDeviceKeys(suite);
  challenge = {
    origin: 'https://relay.example',
    nonce: suite.randomBytes(AUTH_NONCE_BYTES),
    issuedAt: 1_700_000_000_123,
    accountId: createAccountIdentity(suite).accountId,
    deviceId: 2,
  };
  signature = signAuthChallenge(suite, device, challenge);
});

describe('relay auth challenges', () => {
  it('the signed message follows the documented layout', () => {
    const origin = Buffer.from(challenge.origin, 'utf8');
    const account = Buffer.from(challenge.accountId, 'utf8');
    const body = Buffer.alloc(1 + 2 + origin.length + 32 + 8 + 2 + account.length + 4);
    let o = body.writeUInt8(1, 0);
    o = body.writeUInt16BE(origin.length, o);
    o += origin.copy(body, o);
    o += Buffer.from(challenge.nonce).copy(body, o);
    o = body.writeBigUInt64BE(BigInt(challenge.issuedAt), o);
    o = body.writeUInt16BE(account.length, o);
    o += account.copy(body, o);
    body.writeUInt32BE(challenge.deviceId, o);
    expect(authChallengeMessage(challenge)).toEqual(new Uint8Array(Buffer.concat([Buffer.from('Sealpost relay auth v1\0'), body])));
  });

  it('a device answer verifies under its signing key', () => {
    expect(verifyAuthSignature(challenge, signature, device.signingKey)).toBe(true);
  });

  it.each([
    ['another origin', { origin: 'https://relay.example.org' }],
    ['an origin with a trailing slash', { origin: 'https://relay.example/' }],
    ['another nonce', { nonce: new Uint8Array(32).fill(7) }],
    ['another time', { issuedAt: 1_700_000_000_124 }],
    ['another account', { accountId: 'sp1' + 'a'.repeat(37) }],
    ['another device', { deviceId: 3 }],
  ])('fails for %s', (_name, change) => {
    expect(verifyAuthSignature({ ...challenge, ...change }, signature, device.signingKey)).toBe(false);
  });

  it('fails for another nonce bit, another key, and a tampered signature', () => {
    expect(verifyAuthSignature({ ...challenge, nonce: flip(challenge.nonce, 31) }, signature, device.signingKey)).toBe(false);
    expect(verifyAuthSignature(challenge, signature, otherDevice.signingKey)).toBe(false);
    expect(verifyAuthSignature(challenge, flip(signature, 10), device.signingKey)).toBe(false);
  });

  it('returns false (does not throw) for malformed challenges and signatures', () => {
    expect(verifyAuthSignature({ ...challenge, nonce: new Uint8Array(31) }, signature, device.signingKey)).toBe(false);
    expect(verifyAuthSignature({ ...challenge, issuedAt: -1 }, signature, device.signingKey)).toBe(false);
    expect(verifyAuthSignature({ ...challenge, deviceId: 2 ** 32 }, signature, device.signingKey)).toBe(false);
    expect(verifyAuthSignature(challenge, signature.subarray(0, 63), device.signingKey)).toBe(false);
    expect(verifyAuthSignature(challenge, signature, new Uint8Array(0))).toBe(false);
    expectCode(() => authChallengeMessage({ ...challenge, nonce: new Uint8Array(33) }), 'CRYPTO_ERR_INVALID_LENGTH');
  });

  it('a signature over the same body under another context is not an auth answer', () => {
    const body = authChallengeMessage(challenge).subarray(Buffer.byteLength(SIGNATURE_CONTEXT.RELAY_AUTH) + 1);
    const asPrekey = suite.ed25519Sign(device.signingSeed, signedMessage(SIGNATURE_CONTEXT.SIGNED_PREKEY, body));
    expect(verifyAuthSignature(challenge, asPrekey, device.signingKey)).toBe(false);
  });
});
