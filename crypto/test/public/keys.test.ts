import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_TYPE, decodePublicKey, encodePublicKey, encodedKeyLength, fromBase64Url, toBase64Url, type KeyType } from '../../src/public/keys.js';
import { expectCode } from './fixtures.js';

const TYPES: readonly [KeyType, number][] = [
  [KEY_TYPE.ACCOUNT_ED25519, 32],
  [KEY_TYPE.DEVICE_ED25519, 32],
  [KEY_TYPE.X25519, 32],
  [KEY_TYPE.MLKEM1024, 1568],
];

describe('typed public keys', () => {
  it('type bytes are distinct', () => {
    expect(new Set(TYPES.map(([t]) => t)).size).toBe(TYPES.length);
  });

  it.each(TYPES)('round-trips type 0x%s with a leading type byte', (type, rawLength) => {
    const raw = Uint8Array.from({ length: rawLength }, (_, i) => (i * 7 + type) & 0xff);
    const encoded = encodePublicKey(type, raw);
    expect(encoded.length).toBe(rawLength + 1);
    expect(encodedKeyLength(type)).toBe(rawLength + 1);
    expect(encoded[0]).toBe(type);
    expect(decodePublicKey(type, encoded)).toEqual(raw);
  });

  it('refuses a key of every other type where one type is expected', () => {
    for (const [expected] of TYPES) {
      for (const [actual, rawLength] of TYPES) {
        if (actual === expected) continue;
        expectCode(() => decodePublicKey(expected, encodePublicKey(actual, new Uint8Array(rawLength))), 'CRYPTO_ERR_WRONG_KEY_TYPE');
      }
    }
  });

  it('refuses wrong lengths and empty input', () => {
    const good = encodePublicKey(KEY_TYPE.X25519, new Uint8Array(32));
    expectCode(() => decodePublicKey(KEY_TYPE.X25519, good.subarray(0, 32)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => decodePublicKey(KEY_TYPE.X25519, Uint8Array.of(...good, 0)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => decodePublicKey(KEY_TYPE.X25519, new Uint8Array(0)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => encodePublicKey(KEY_TYPE.MLKEM1024, new Uint8Array(32)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, new Uint8Array(33)), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});

describe('base64url', () => {
  it('round-trips any bytes and agrees with Node (second implementation)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
    );
  });

  it('accepts a string only if it is the one canonical encoding of its value', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 24 }).map((a) => a.join('')), (text) => {
        let decoded: Uint8Array | undefined;
        try {
          decoded = fromBase64Url(text);
        } catch {
          decoded = undefined;
        }
        if (decoded !== undefined) expect(toBase64Url(decoded)).toBe(text);
        else expect(text.length % 4 === 1 || Buffer.from(Buffer.from(text, 'base64url')).toString('base64url') !== text).toBe(true);
      }),
    );
  });

  it.each([
    ['padding', 'AA=='],
    ['standard alphabet +', 'ab+c'],
    ['standard alphabet /', 'ab/c'],
    ['one leftover letter', 'AAAAA'],
    ['non-zero spare bits (1 byte)', 'AB'],
    ['non-zero spare bits (2 bytes)', 'AAB'],
    ['whitespace', 'AA AA'],
    ['non-ASCII', 'AAé'],
  ])('rejects %s', (_name, text) => {
    expectCode(() => fromBase64Url(text), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('decodes the empty string to no bytes', () => {
    expect(fromBase64Url('')).toEqual(new Uint8Array(0));
    expect(toBase64Url(new Uint8Array(0))).toBe('');
  });
});
