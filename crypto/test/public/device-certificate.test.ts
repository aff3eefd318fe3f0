import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { issueDeviceCertificate } from '../../src/identity/account-signatures.js';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { encodeDeviceCertificateBody, verifyDeviceCertificate } from '../../src/public/device-certificate.js';
import { KEY_TYPE } from '../../src/public/keys.js';
import { SIGNATURE_CONTEXT } from '../../src/public/signature.js';
import { STRUCTURE_TYPE } from '../../src/public/structure.js';
import { expectCode, expectCryptoError, flip, seededRandom, setByte, signBody } from './fixtures.js';

// Offsets from the documented layout: 0x01 || 0x10 || account key (33) || device id (4) ||
// signing key (33) || identity DH key (33) || issued at (8) || signature (64).
const AT = { version: 0, type: 1, accountKey: 2, deviceId: 35, signingKey: 39, identityKey: 72, issuedAt: 105, signature: 113, end: 177 };

let suite: CryptoSuite;
let account: AccountIdentity;
let other: AccountIdentity;
let device: DeviceKeys;
let cert: Uint8Array;
const ISSUED_AT = 1_700_000_000_000;

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('device-certificate') });
  account = createAccountIdentity(suite);
  other = createAccountIdentity(suite);
  device = createDeviceKeys(suite);
  cert = issueDeviceCertificate(suite, account, 7, device, ISSUED_AT);
});

describe('device certificates', () => {
  it('round-trip every field and have the documented length', () => {
    expect(cert.length).toBe(AT.end);
    const c = verifyDeviceCertificate(cert, account.accountKey);
    expect(c.accountKey).toEqual(account.accountKey);
    expect(c.deviceId).toBe(7);
    expect(c.deviceSigningKey).toEqual(device.signingKey);
    expect(c.deviceIdentityKey).toEqual(device.identityDhKey);
    expect(c.issuedAt).toBe(ISSUED_AT);
    expect(c.bytes).toEqual(cert);
    expect(c.signature).toEqual(cert.subarray(AT.signature));
    expect(encodeDeviceCertificateBody(c)).toEqual(cert.subarray(0, AT.signature));
    expect(cert[AT.accountKey]).toBe(KEY_TYPE.ACCOUNT_ED25519);
    expect(cert[AT.signingKey]).toBe(KEY_TYPE.DEVICE_ED25519);
    expect(cert[AT.identityKey]).toBe(KEY_TYPE.X25519);
  });

  it('verifies without an expected account and refuses another account', () => {
    expect(verifyDeviceCertificate(cert).deviceId).toBe(7);
    expectCode(() => verifyDeviceCertificate(cert, other.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it.each([
    ['version', AT.version, 'CRYPTO_ERR_UNSUPPORTED_VERSION'],
    ['structure type', AT.type, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['account key type', AT.accountKey, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['account key', AT.accountKey + 5, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['device id', AT.deviceId + 3, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['signing key type', AT.signingKey, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['signing key', AT.signingKey + 1, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['identity key type', AT.identityKey, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['identity key', AT.identityKey + 32, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['issued at', AT.issuedAt + 7, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['issued at beyond 2^53', AT.issuedAt, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['signature R', AT.signature, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['signature S', AT.end - 1, 'CRYPTO_ERR_BAD_SIGNATURE'],
  ] as const)('tampered %s is refused with %s', (_field, offset, code) => {
    expectCode(() => verifyDeviceCertificate(flip(cert, offset)), code);
  });

  it('refuses the type bytes of other structures and keys in each slot', () => {
    expectCode(() => verifyDeviceCertificate(setByte(cert, AT.type, STRUCTURE_TYPE.DEVICE_LIST)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyDeviceCertificate(setByte(cert, AT.accountKey, KEY_TYPE.DEVICE_ED25519)), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifyDeviceCertificate(setByte(cert, AT.signingKey, KEY_TYPE.ACCOUNT_ED25519)), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifyDeviceCertificate(setByte(cert, AT.identityKey, KEY_TYPE.DEVICE_ED25519)), 'CRYPTO_ERR_WRONG_KEY_TYPE');
  });

  it('any single flipped byte is refused', () => {
    for (let i = 0; i < cert.length; i++) expectCryptoError(() => verifyDeviceCertificate(flip(cert, i, 0x80)));
  });

  it('refuses every truncation and trailing bytes', () => {
    for (let n = 0; n < cert.length; n++) expectCode(() => verifyDeviceCertificate(cert.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyDeviceCertificate(Uint8Array.of(...cert, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses a certificate body signed under another context or by another key', () => {
    const body = cert.subarray(0, AT.signature);
    expectCode(() => verifyDeviceCertificate(signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.DEVICE_LIST, body)), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyDeviceCertificate(signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.SIGNED_PREKEY, body)), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyDeviceCertificate(signBody(suite, other.accountSeed, SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, body)), 'CRYPTO_ERR_BAD_SIGNATURE');
    // The control: the same body signed properly verifies, so the refusals above are about the signature.
    expect(verifyDeviceCertificate(signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, body)).deviceId).toBe(7);
  });
});
