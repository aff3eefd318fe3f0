/**
 * The optional Ed25519 verifier of the public verification APIs (Ed25519Verifier): the client
 * passes its suite's libsodium `ed25519Verify`, the relay passes nothing and keeps noble. These
 * tests check that an injected verifier is the one actually called (with the signature, the
 * domain-separated message and the signer key), that a bad signature is still refused through
 * the libsodium-backed one, and that a verifier that throws or says "no" refuses too. That the
 * two backends agree on every Wycheproof vector is covered by the primitives' Wycheproof suite.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { issueDeviceCertificate, signDeviceList } from '../../src/identity/account-signatures.js';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { verifyPrekeyBundle } from '../../src/identity/prekey-bundle.js';
import { createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import { loadBackend, loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { verifyDeviceCertificate } from '../../src/public/device-certificate.js';
import { verifyDeviceList } from '../../src/public/device-list.js';
import { verifySignedPrekey } from '../../src/public/prekeys.js';
import { SIGNATURE_CONTEXT, signedMessage, verifyEd25519, type Ed25519Verifier } from '../../src/public/signature.js';
import { expectCode, flip, seededRandom } from './fixtures.js';

let suite: CryptoSuite;
let sodiumVerify: Ed25519Verifier;
let account: AccountIdentity;
let device: DeviceKeys;
let list: Uint8Array;

/** A verifier that records its calls and delegates to `inner`. */
function spy(inner: Ed25519Verifier): Ed25519Verifier & { calls: [Uint8Array, Uint8Array, Uint8Array][] } {
  const calls: [Uint8Array, Uint8Array, Uint8Array][] = [];
  const verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean => {
    calls.push([signature.slice(), message.slice(), publicKey.slice()]);
    return inner(signature, message, publicKey);
  };
  return Object.assign(verify, { calls });
}

const refuseAll: Ed25519Verifier = () => false;
const throwing: Ed25519Verifier = () => {
  throw new Error('verifier failure');
};

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('injected-verifier') });
  const libsodium = await loadBackend('libsodium');
  sodiumVerify = (s, m, k) => libsodium.ed25519Verify(s, m, k);
  account = createAccountIdentity(suite);
  device = createDeviceKeys(suite);
  list = signDeviceList(suite, account, { version: 3, issuedAt: 1_700_000_000_000, devices: [{ deviceId: 1, deviceSigningKey: device.signingKey, deviceIdentityKey: device.identityDhKey }] });
});

describe('an injected Ed25519 verifier', () => {
  it('is the one verifyDeviceList calls, with the signature, the domain-separated message and the account key', () => {
    const verify = spy(sodiumVerify);
    const accepted = verifyDeviceList(list, account.accountKey, { verify });
    expect(accepted.version).toBe(3);
    expect(verify.calls).toHaveLength(1);
    const [signature, message, publicKey] = verify.calls[0]!;
    expect(signature).toEqual(list.subarray(list.length - 64));
    expect(message).toEqual(signedMessage(SIGNATURE_CONTEXT.DEVICE_LIST, list.subarray(0, list.length - 64)));
    expect(publicKey).toEqual(account.accountKey);
  });

  it('decides: a valid list is refused when the injected verifier says no (noble is not consulted)', () => {
    expect(verifyDeviceList(list, account.accountKey).version).toBe(3);
    expectCode(() => verifyDeviceList(list, account.accountKey, { verify: refuseAll }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('still refuses a bad signature through the libsodium verifier', () => {
    const verify = spy(sodiumVerify);
    expectCode(() => verifyDeviceList(flip(list, list.length - 1), account.accountKey, { verify }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyDeviceList(flip(list, list.length - 64, 0x80), account.accountKey, { verify }), 'CRYPTO_ERR_BAD_SIGNATURE');
    // A tampered body (the version) must fail the signature, not pass as a different list.
    expectCode(() => verifyDeviceList(flip(list, 42), account.accountKey, { verify }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expect(verify.calls).toHaveLength(3);
  });

  it('turns a throwing verifier into a refusal, and checks sizes before calling it', () => {
    expectCode(() => verifyDeviceList(list, account.accountKey, { verify: throwing }), 'CRYPTO_ERR_BAD_SIGNATURE');
    const verify = spy(sodiumVerify);
    expect(verifyEd25519(new Uint8Array(63), new Uint8Array(1), account.accountKey, verify)).toBe(false);
    expect(verifyEd25519(new Uint8Array(64), new Uint8Array(1), new Uint8Array(31), verify)).toBe(false);
    expect(verify.calls).toHaveLength(0);
  });

  it('is used by verifyDeviceCertificate and verifySignedPrekey', () => {
    const certificate = issueDeviceCertificate(suite, account, 7, device, 1);
    const verify = spy(sodiumVerify);
    expect(verifyDeviceCertificate(certificate, account.accountKey, verify).deviceId).toBe(7);
    expectCode(() => verifyDeviceCertificate(flip(certificate, certificate.length - 1), account.accountKey, verify), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyDeviceCertificate(certificate, account.accountKey, refuseAll), 'CRYPTO_ERR_BAD_SIGNATURE');

    const spk = createSignedX25519Prekey(suite, device, 4);
    expect(verifySignedPrekey(spk.upload, device.signingKey, verify).keyId).toBe(4);
    expectCode(() => verifySignedPrekey(flip(spk.upload, spk.upload.length - 1), device.signingKey, verify), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifySignedPrekey(spk.upload, device.signingKey, refuseAll), 'CRYPTO_ERR_BAD_SIGNATURE');
    expect(verify.calls).toHaveLength(4);
  });

  it('is used by verifyPrekeyBundle for the list and both signed prekeys', () => {
    const deviceList = verifyDeviceList(list, account.accountKey);
    const spk = createSignedX25519Prekey(suite, device, 4);
    const kem = createSignedKemPrekeys(suite, device, 60, 1)[0]!;
    const input = { accountKey: account.accountKey, deviceList, deviceId: 1, signedPrekey: spk.upload, kemPrekey: kem.upload };
    const verify = spy(sodiumVerify);
    expect(verifyPrekeyBundle({ ...input, verify }).deviceId).toBe(1);
    expect(verify.calls.map(([, , key]) => key)).toEqual([account.accountKey, device.signingKey, device.signingKey]);
    expectCode(() => verifyPrekeyBundle({ ...input, kemPrekey: flip(kem.upload, kem.upload.length - 1), verify }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyPrekeyBundle({ ...input, verify: refuseAll }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });
});
