import { beforeAll, describe, expect, it } from 'vitest';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { createLastResortKemPrekey, createOneTimePrekeys, createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { decodeOneTimePrekey, verifySignedPrekey } from '../../src/public/prekeys.js';
import { expectCode, seededRandom } from '../public/fixtures.js';

let suite: CryptoSuite;
let device: DeviceKeys;
let otherDevice: DeviceKeys;

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('prekey-creation') });
  device = createDeviceKeys(suite);
  otherDevice = createDeviceKeys(suite);
});

describe('createSignedX25519Prekey', () => {
  it('uploads a signed X25519 key whose secret the device keeps', () => {
    const { upload, secret } = createSignedX25519Prekey(suite, device, 7);
    const spk = verifySignedPrekey(upload, device.signingKey);
    expect([spk.kind, spk.keyId, spk.lastResort]).toEqual(['x25519', 7, false]);
    expect(spk.publicKey).toEqual(secret.publicKey);
    expect(secret.keyId).toBe(7);
    expect(suite.x25519PublicKey(secret.secretKey)).toEqual(secret.publicKey);
    // The kept secret agrees with the published key in a DH.
    const peer = createDeviceKeys(suite);
    expect(suite.x25519(secret.secretKey, peer.identityDhKey)).toEqual(suite.x25519(peer.identityDhSecret, spk.publicKey));
    expectCode(() => verifySignedPrekey(upload, otherDevice.signingKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('draws a fresh key every time', () => {
    expect(createSignedX25519Prekey(suite, device, 7).secret.secretKey).not.toEqual(createSignedX25519Prekey(suite, device, 7).secret.secretKey);
  });
});

describe('createOneTimePrekeys', () => {
  it('makes `count` unsigned keys with consecutive ids', () => {
    const pool = createOneTimePrekeys(suite, 100, 5);
    expect(pool).toHaveLength(5);
    expect(pool.map((p) => p.secret.keyId)).toEqual([100, 101, 102, 103, 104]);
    for (const { upload, secret } of pool) {
      const opk = decodeOneTimePrekey(upload);
      expect(opk.keyId).toBe(secret.keyId);
      expect(opk.publicKey).toEqual(suite.x25519PublicKey(secret.secretKey));
    }
    expect(new Set(pool.map((p) => Buffer.from(p.secret.publicKey).toString('hex'))).size).toBe(5);
  });

  it('handles an empty batch and the top of the u32 range, and refuses to wrap', () => {
    expect(createOneTimePrekeys(suite, 0, 0)).toEqual([]);
    expect(createOneTimePrekeys(suite, 0xfffffffe, 2).map((p) => p.secret.keyId)).toEqual([0xfffffffe, 0xffffffff]);
    expect(() => createOneTimePrekeys(suite, 0xfffffffe, 3)).toThrow(RangeError);
    expect(() => createOneTimePrekeys(suite, -1, 1)).toThrow(RangeError);
    expect(() => createOneTimePrekeys(suite, 1.5, 1)).toThrow(RangeError);
    expect(() => createOneTimePrekeys(suite, 0, -1)).toThrow(RangeError);
    expect(() => createSignedX25519Prekey(suite, device, 2 ** 32)).toThrow(RangeError);
    expect(() => createLastResortKemPrekey(suite, device, -1)).toThrow(RangeError);
  });
});

describe('ML-KEM-1024 prekeys', () => {
  it('signed one-time KEM prekeys encapsulate to a key the kept secret decapsulates', () => {
    const pool = createSignedKemPrekeys(suite, device, 50, 2);
    expect(pool.map((p) => p.secret.keyId)).toEqual([50, 51]);
    for (const { upload, secret } of pool) {
      const kem = verifySignedPrekey(upload, device.signingKey);
      expect([kem.kind, kem.keyId, kem.lastResort]).toEqual(['mlkem1024', secret.keyId, false]);
      expect(secret.lastResort).toBe(false);
      expect(kem.publicKey).toEqual(secret.publicKey);
      expect(suite.mlkem1024KeyPair(secret.seed).publicKey).toEqual(secret.publicKey);
      const { ciphertext, sharedSecret } = suite.mlkem1024Encapsulate(kem.publicKey, suite.randomBytes(32));
      expect(suite.mlkem1024Decapsulate(ciphertext, secret.secretKey)).toEqual(sharedSecret);
    }
    expectCode(() => verifySignedPrekey(pool[0]!.upload, otherDevice.signingKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('the last-resort key is signed with the last-resort flag', () => {
    const { upload, secret } = createLastResortKemPrekey(suite, device, 9);
    const kem = verifySignedPrekey(upload, device.signingKey);
    expect([kem.kind, kem.keyId, kem.lastResort]).toEqual(['mlkem1024', 9, true]);
    expect(secret.lastResort).toBe(true);
    expect(kem.publicKey).toEqual(secret.publicKey);
  });
});
