/**
 * The relay's native base64url codec (services/wire-bytes.ts) must accept and produce exactly
 * what the crypto package's portable codec does: same text for the same bytes, and the same
 * inputs refused (padding, foreign characters, non-zero trailing bits, impossible lengths).
 */
import { fromBase64Url, toBase64Url } from '@sealpost/crypto/public';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RelayError } from '../../src/errors.js';
import { decodeField, encodeField } from '../../src/services/wire-bytes.js';

const portableAccepts = (text: string): Uint8Array | null => {
  try {
    return fromBase64Url(text, 'x');
  } catch {
    return null;
  }
};

const nativeAccepts = (text: string): Uint8Array | null => {
  try {
    return decodeField(text, 'x');
  } catch (error) {
    expect(error).toBeInstanceOf(RelayError);
    expect(error).toMatchObject({ code: 'RELAY_ERR_INVALID_ENCODING', details: { field: 'x' } });
    return null;
  }
};

describe('wire-bytes base64url', () => {
  it('encodes like the crypto package, and decodes its output back to the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeField(bytes);
        expect(text).toBe(toBase64Url(bytes));
        expect(decodeField(text, 'x')).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('encodes a view into a larger buffer by its own bytes only', () => {
    const backing = new Uint8Array([9, 1, 2, 3, 9]);
    expect(encodeField(backing.subarray(1, 4))).toBe(toBase64Url(new Uint8Array([1, 2, 3])));
  });

  it('refuses exactly what the crypto package refuses', () => {
    const cases = ['', 'AA', 'AAA', 'AAAA', 'A', 'AB', 'AAE', 'AA==', 'AAA=', 'A+/A', 'AA AA', 'AA\nAA', 'ÿÿ', 'AA.A', '-_-_', 'AQ', 'AR', 'AQI', 'AQJ'];
    for (const text of cases) expect(nativeAccepts(text), text).toEqual(portableAccepts(text));
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'AQgw-_=+/ .Ab9z'.split('')), maxLength: 12 }), (text) => {
        expect(nativeAccepts(text)).toEqual(portableAccepts(text));
      }),
      { numRuns: 2000 },
    );
  });
});
