import { beforeAll, describe, expect, it } from 'vitest';
import { createDeviceKeys } from '../../src/identity/device-keys.js';
import { createLastResortKemPrekey, createOneTimePrekeys, createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import {
  decodeKemPrekeySecret,
  decodeOneTimePrekeySecret,
  decodeSignedPrekeySecret,
  encodeKemPrekeySecret,
  encodeOneTimePrekeySecret,
  encodeSignedPrekeySecret,
} from '../../src/identity/prekey-secrets.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { expectCode, flip, seededRandom, setByte } from '../public/fixtures.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('prekey-secrets') });
});

describe('prekey secret records', () => {
  it('signed X25519 prekey: 0x01 || 0x22 || key id || secret, round trip', () => {
    const { secret } = createSignedX25519Prekey(suite, createDeviceKeys(suite), 0x01020304);
    const record = encodeSignedPrekeySecret(secret);
    expect(Array.from(record.subarray(0, 6))).toEqual([0x01, 0x22, 1, 2, 3, 4]);
    expect(record.subarray(6)).toEqual(secret.secretKey);
    expect(decodeSignedPrekeySecret(suite, record)).toEqual(secret);
  });

  it('one-time X25519 prekey: 0x01 || 0x23 || key id || secret, round trip', () => {
    const { secret } = createOneTimePrekeys(suite, 77, 1)[0]!;
    const record = encodeOneTimePrekeySecret(secret);
    expect(Array.from(record.subarray(0, 2))).toEqual([0x01, 0x23]);
    expect(record.length).toBe(38);
    expect(decodeOneTimePrekeySecret(suite, record)).toEqual(secret);
  });

  it('ML-KEM prekeys: 0x01 || 0x24 || key id || flags || 64-byte seed, round trip with the key pair re-derived', () => {
    const device = createDeviceKeys(suite);
    for (const { secret } of [createSignedKemPrekeys(suite, device, 5, 1)[0]!, createLastResortKemPrekey(suite, device, 6)]) {
      const record = encodeKemPrekeySecret(secret);
      expect(record.length).toBe(2 + 4 + 1 + 64);
      expect(record[6]).toBe(secret.lastResort ? 1 : 0);
      expect(record.subarray(7)).toEqual(secret.seed);
      const decoded = decodeKemPrekeySecret(suite, record);
      expect(decoded).toEqual(secret);
    }
  });

  it('decoders refuse unknown versions, other record types, truncation and trailing bytes', () => {
    const spk = encodeSignedPrekeySecret(createSignedX25519Prekey(suite, createDeviceKeys(suite), 1).secret);
    const opk = encodeOneTimePrekeySecret(createOneTimePrekeys(suite, 1, 1)[0]!.secret);
    const kem = encodeKemPrekeySecret(createLastResortKemPrekey(suite, createDeviceKeys(suite), 1).secret);
    const cases = [
      [spk, (b: Uint8Array) => decodeSignedPrekeySecret(suite, b)],
      [opk, (b: Uint8Array) => decodeOneTimePrekeySecret(suite, b)],
      [kem, (b: Uint8Array) => decodeKemPrekeySecret(suite, b)],
    ] as const;
    for (const [record, decode] of cases) {
      expect(() => decode(record)).not.toThrow(); // control
      expectCode(() => decode(setByte(record, 0, 2)), 'CRYPTO_ERR_UNSUPPORTED_VERSION');
      for (let n = 0; n < record.length; n++) expectCode(() => decode(record.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING');
      expectCode(() => decode(Uint8Array.of(...record, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
      // Every other kind of record is refused by its type byte.
      for (const [otherRecord] of cases) if (otherRecord !== record) expectCode(() => decode(otherRecord), 'CRYPTO_ERR_INVALID_ENCODING');
    }
    // Same length, only the type byte differs: a signed prekey secret is never read as a one-time one.
    expectCode(() => decodeOneTimePrekeySecret(suite, setByte(opk, 1, 0x22)), 'CRYPTO_ERR_INVALID_ENCODING');
    expect(decodeSignedPrekeySecret(suite, setByte(opk, 1, 0x22)).keyId).toBe(1);
  });

  it('refuses unknown KEM flags', () => {
    const kem = encodeKemPrekeySecret(createSignedKemPrekeys(suite, createDeviceKeys(suite), 1, 1)[0]!.secret);
    expectCode(() => decodeKemPrekeySecret(suite, flip(kem, 6, 0x02)), 'CRYPTO_ERR_INVALID_ENCODING');
    expect(decodeKemPrekeySecret(suite, flip(kem, 6, 0x01)).lastResort).toBe(true);
  });

  it('encoders refuse secrets of the wrong length', () => {
    expectCode(() => encodeSignedPrekeySecret({ keyId: 1, secretKey: new Uint8Array(31) }), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => encodeOneTimePrekeySecret({ keyId: 1, secretKey: new Uint8Array(33) }), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => encodeKemPrekeySecret({ keyId: 1, lastResort: false, seed: new Uint8Array(32) }), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
