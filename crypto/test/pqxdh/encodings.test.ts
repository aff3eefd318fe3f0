import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { fromHex, toHex } from '../../src/primitives/bytes.js';
import { encodeSessionAssociatedData } from '../../src/pqxdh/associated-data.js';
import { decodePqxdhInitialMessage, encodePqxdhInitialFields, type PqxdhInitialFields } from '../../src/pqxdh/initial-message.js';
import { isCanonicalX25519 } from '../../src/pqxdh/x25519-key.js';
import { ByteReader, ByteWriter } from '../../src/public/bytes-io.js';
import { readDeviceAddress, writeDeviceAddress } from '../../src/pqxdh/address.js';
import { codeOf, flipBit, x25519KeyPair } from './fixtures.js';

let suite: CryptoSuite;
let fields: PqxdhInitialFields;

beforeAll(async () => {
  suite = await loadCrypto();
  fields = {
    identityDhKey: x25519KeyPair(suite).publicKey,
    ephemeralKey: x25519KeyPair(suite).publicKey,
    signedPrekeyId: 7,
    oneTimePrekeyId: 0xfffffffe,
    kemPrekeyId: 501,
    kemCiphertext: suite.randomBytes(1568),
  };
});

describe('session associated data', () => {
  it('has the documented layout', () => {
    const ikA = new Uint8Array(32).fill(0x11);
    const ikB = new Uint8Array(32).fill(0x22);
    const ad = encodeSessionAssociatedData({
      initiator: { accountId: 'ab', deviceId: 1 },
      initiatorIdentityDhKey: ikA,
      responder: { accountId: 'c', deviceId: 0x01020304 },
      responderIdentityDhKey: ikB,
    });
    const expected = '01' + '05' + '11'.repeat(32) + '05' + '22'.repeat(32) + '02' + '6162' + '00000001' + '01' + '63' + '01020304';
    expect(toHex(ad)).toBe(expected);
  });

  it('is unambiguous when account ids shift characters between parties', () => {
    const ik = new Uint8Array(32).fill(0x33);
    const a = encodeSessionAssociatedData({ initiator: { accountId: 'ab', deviceId: 1 }, initiatorIdentityDhKey: ik, responder: { accountId: 'c', deviceId: 1 }, responderIdentityDhKey: ik });
    const b = encodeSessionAssociatedData({ initiator: { accountId: 'a', deviceId: 1 }, initiatorIdentityDhKey: ik, responder: { accountId: 'bc', deviceId: 1 }, responderIdentityDhKey: ik });
    expect(toHex(a)).not.toBe(toHex(b));
  });

  it('refuses empty, over-long and non-u32 addresses', () => {
    const ik = new Uint8Array(32).fill(0x33);
    const make = (accountId: string, deviceId: number) => () =>
      encodeSessionAssociatedData({ initiator: { accountId, deviceId }, initiatorIdentityDhKey: ik, responder: { accountId: 'b', deviceId: 1 }, responderIdentityDhKey: ik });
    expect(make('', 1)).toThrow(/account id/);
    expect(make('x'.repeat(256), 1)).toThrow(/longer than 255/);
    expect(make('x'.repeat(255), 1)).not.toThrow();
    expect(make('a', 2 ** 32)).toThrow(/u32/);
    expect(make('a', 1.5)).toThrow(/u32/);
  });

  it('round-trips device addresses and refuses non-canonical UTF-8', () => {
    const w = new ByteWriter();
    writeDeviceAddress(w, { accountId: 'zoë-😀', deviceId: 9 }, 'peer');
    const bytes = w.finish();
    expect(readDeviceAddress(new ByteReader(bytes, 't'), 'peer')).toEqual({ accountId: 'zoë-😀', deviceId: 9 });
    // An overlong encoding of "/" (0xc0 0xaf) must not decode.
    const overlong = fromHex('02c0af00000001');
    expect(() => readDeviceAddress(new ByteReader(overlong, 't'), 'peer')).toThrow(/UTF-8/);
    const surrogate = fromHex('03eda08000000001');
    expect(() => readDeviceAddress(new ByteReader(surrogate, 't'), 'peer')).toThrow(/UTF-8/);
  });
});

describe('PQXDH initial message', () => {
  it('round-trips with and without a one-time prekey id, keeping the ratchet message after it', () => {
    const tail = Uint8Array.of(9, 8, 7);
    for (const f of [fields, { ...fields, oneTimePrekeyId: undefined }]) {
      const encoded = encodePqxdhInitialFields(f);
      expect(encoded.length).toBe(f.oneTimePrekeyId === undefined ? 1 + 33 + 33 + 4 + 1 + 4 + 1568 : 1 + 33 + 33 + 4 + 1 + 4 + 4 + 1568);
      const decoded = decodePqxdhInitialMessage(new Uint8Array([...encoded, ...tail]));
      expect(decoded.encodedFields).toEqual(encoded);
      expect(decoded.ratchetMessage).toEqual(tail);
      expect(decoded.fields.signedPrekeyId).toBe(7);
      expect(decoded.fields.oneTimePrekeyId).toBe(f.oneTimePrekeyId);
      expect(decoded.fields.kemCiphertext).toEqual(fields.kemCiphertext);
      expect(decoded.fields.ephemeralKey).toEqual(fields.ephemeralKey);
    }
  });

  it('refuses unknown versions, bad flags, wrong key types, non-canonical keys and truncation', async () => {
    const encoded = encodePqxdhInitialFields(fields);
    const version = encoded.slice();
    version[0] = 2;
    expect(await codeOf(() => decodePqxdhInitialMessage(version))).toBe('CRYPTO_ERR_UNSUPPORTED_VERSION');
    const flag = encoded.slice();
    flag[1 + 33 + 33 + 4] = 2;
    expect(await codeOf(() => decodePqxdhInitialMessage(flag))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    const keyType = encoded.slice();
    keyType[1] = 0x01;
    expect(await codeOf(() => decodePqxdhInitialMessage(keyType))).toBe('CRYPTO_ERR_WRONG_KEY_TYPE');
    // Top bit of EK_A: X25519 would ignore it (RFC 7748 §5), so the format refuses it.
    expect(await codeOf(() => decodePqxdhInitialMessage(flipBit(encoded, (1 + 33 + 33) * 8 - 1)))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    for (const cut of [0, 1, 34, 67, 71, 72, 76, encoded.length - 1]) {
      expect(await codeOf(() => decodePqxdhInitialMessage(encoded.subarray(0, cut)))).toBe('CRYPTO_ERR_INVALID_ENCODING');
    }
  });
});

describe('canonical X25519 keys', () => {
  it('accepts values below p with the top bit clear and nothing else', () => {
    const p = fromHex('ed' + 'ff'.repeat(30) + '7f'); // 2^255 - 19, little-endian
    const pMinus1 = fromHex('ec' + 'ff'.repeat(30) + '7f');
    const top = new Uint8Array(32);
    top[31] = 0x80;
    expect(isCanonicalX25519(pMinus1)).toBe(true);
    expect(isCanonicalX25519(p)).toBe(false);
    expect(isCanonicalX25519(fromHex('ff'.repeat(31) + '7f'))).toBe(false);
    expect(isCanonicalX25519(top)).toBe(false);
    expect(isCanonicalX25519(new Uint8Array(32))).toBe(true);
    expect(isCanonicalX25519(new Uint8Array(31))).toBe(false);
    for (let i = 0; i < 20; i++) expect(isCanonicalX25519(x25519KeyPair(suite).publicKey)).toBe(true);
  });
});
