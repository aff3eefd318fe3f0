// Every way a media object can be damaged must be refused before the damaged part is released:
// flipped bits, truncation, dropped / duplicated / reordered chunks, trailing data, wrong key,
// wrong header, wrong declared size, and use after the stream ended.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../src/errors.js';
import { createMediaDecryptor } from '../../src/media/media-decryptor.js';
import { createMediaEncryptor } from '../../src/media/media-encryptor.js';
import { encryptMedia } from '../../src/media/media-stream.js';
import { suites } from '../primitives/suites.js';
import { C, CT, concat, expectCode, pattern } from './fixtures.js';

const suite = suites.auto;
const PLAINTEXT = pattern(2 * C + 100, 3); // chunks: full, full, 100 bytes (final)
const good = encryptMedia(suite, PLAINTEXT);
const object = good.ciphertext;
const header = object.subarray(0, 18);
const chunk = (i: number) => object.subarray(18 + i * CT, Math.min(object.length, 18 + (i + 1) * CT));

/** Decrypts `bytes` in one push; returns the plaintext released before any error and the error. */
function attempt(bytes: Uint8Array, key = good.key, plaintextSize?: number): { released: number; error: unknown } {
  const decryptor = createMediaDecryptor(suite, key, undefined, plaintextSize === undefined ? {} : { plaintextSize });
  let released = 0;
  try {
    released += decryptor.push(bytes).length;
    released += decryptor.finish().length;
    return { released, error: undefined };
  } catch (error) {
    return { released, error };
  }
}

function expectRefused(bytes: Uint8Array, code: string, label: string, key = good.key): void {
  const { error } = attempt(bytes, key);
  expect(error, label).toBeInstanceOf(CryptoError);
  expect((error as CryptoError).code, `${label}: ${(error as Error).message}`).toBe(code);
}

describe('media tampering', () => {
  it('the untouched object decrypts (control)', () => {
    expect(attempt(object)).toEqual({ released: PLAINTEXT.length, error: undefined });
  });

  it('refuses a flipped bit in every chunk, body and tag', () => {
    for (const offset of [18, 18 + 1000, 18 + CT - 1, 18 + CT, 18 + 2 * CT + 5, object.length - 1]) {
      const bad = object.slice();
      bad[offset] = (bad[offset] as number) ^ 0x01;
      expectRefused(bad, 'CRYPTO_ERR_MEDIA_CORRUPT', `offset ${offset}`);
    }
  });

  it('refuses a bit flipped anywhere (property) and never releases a chunk it could not authenticate', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: object.length - 1 }), fc.integer({ min: 0, max: 7 }), (offset, bit) => {
        const bad = object.slice();
        bad[offset] = (bad[offset] as number) ^ (1 << bit);
        const { released, error } = attempt(bad);
        expect(error).toBeInstanceOf(CryptoError);
        // Chunks before the damaged one may be released; the damaged one and later ones never.
        const damagedChunk = offset < 18 ? 0 : Math.floor((offset - 18) / CT);
        expect(released).toBeLessThanOrEqual(damagedChunk * C);
      }),
      { numRuns: 60 },
    );
  });

  it('refuses header changes: version, unknown flags, padded flag, salt', () => {
    const version = object.slice();
    version[0] = 0x02;
    expectRefused(version, 'CRYPTO_ERR_UNSUPPORTED_VERSION', 'version');
    const flags = object.slice();
    flags[1] = 0x80;
    expectRefused(flags, 'CRYPTO_ERR_INVALID_ENCODING', 'unknown flag');
    const padded = object.slice();
    padded[1] = 0x01;
    expect((attempt(padded, good.key, PLAINTEXT.length).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_CORRUPT');
    expect((attempt(padded).error as CryptoError).code).toBe('CRYPTO_ERR_INVALID_PARAMETER');
    const salt = object.slice();
    salt[10] = (salt[10] as number) ^ 0x40;
    expectRefused(salt, 'CRYPTO_ERR_MEDIA_CORRUPT', 'salt');
  });

  it('refuses the header of another stream under the same key', () => {
    const other = encryptMedia(suite, PLAINTEXT, { key: good.key });
    expect(other.ciphertext.subarray(0, 18)).not.toEqual(header);
    expectRefused(concat([other.ciphertext.subarray(0, 18), object.subarray(18)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'foreign header');
    expectCode(() => createMediaDecryptor(suite, good.key, header.subarray(0, 17)), 'CRYPTO_ERR_INVALID_ENCODING', 'short header');
  });

  it('refuses a wrong key', () => {
    expectRefused(object, 'CRYPTO_ERR_MEDIA_CORRUPT', 'wrong key', pattern(32, 1234));
    expectCode(() => createMediaDecryptor(suite, new Uint8Array(31)), 'CRYPTO_ERR_INVALID_LENGTH', 'short key');
  });

  it('refuses truncation: at every chunk boundary, inside a chunk, inside the header, empty', () => {
    expectRefused(concat([header, chunk(0)]), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'after chunk 0');
    expectRefused(concat([header, chunk(0), chunk(1)]), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'after chunk 1');
    expectRefused(header, 'CRYPTO_ERR_MEDIA_TRUNCATED', 'header only');
    expectRefused(object.subarray(0, 10), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'inside the header');
    expectRefused(new Uint8Array(0), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'empty');
    expectRefused(object.subarray(0, 18 + 2 * CT + 10), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'inside the tag of the last chunk');
    for (const cut of [18 + 1, 18 + CT - 1, 18 + CT + 500, object.length - 1]) {
      const { error } = attempt(object.subarray(0, cut));
      expect(['CRYPTO_ERR_MEDIA_TRUNCATED', 'CRYPTO_ERR_MEDIA_CORRUPT'], `cut at ${cut}`).toContain((error as CryptoError).code);
    }
  });

  it('refuses dropped, duplicated and reordered chunks', () => {
    expectRefused(concat([header, chunk(0), chunk(2)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'dropped middle chunk');
    expectRefused(concat([header, chunk(1), chunk(2)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'dropped first chunk');
    expectRefused(concat([header, chunk(0), chunk(0), chunk(1), chunk(2)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'duplicated chunk');
    expectRefused(concat([header, chunk(1), chunk(0), chunk(2)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'swapped chunks');
    expectRefused(concat([header, chunk(0), chunk(1), chunk(2), chunk(2)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'duplicated final chunk');
  });

  it('refuses data after the final chunk, whether the final chunk is full or short', () => {
    expectRefused(concat([object, Uint8Array.of(0)]), 'CRYPTO_ERR_MEDIA_CORRUPT', 'one byte after a short final chunk');
    const full = encryptMedia(suite, pattern(C, 8));
    const { error } = attempt(concat([full.ciphertext, Uint8Array.of(1, 2, 3)]), full.key);
    expect((error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_CORRUPT');
    expect((error as Error).message).toMatch(/after the final chunk/);
  });

  it('refuses a stream whose size differs from the declared one', () => {
    expect((attempt(object, good.key, PLAINTEXT.length - 1).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_SIZE_MISMATCH');
    expect((attempt(object, good.key, PLAINTEXT.length + 1).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_SIZE_MISMATCH');
    expect(attempt(object, good.key, PLAINTEXT.length).error).toBeUndefined();
  });

  it('refuses a padded stream whose real size is claimed larger or smaller', () => {
    const padded = encryptMedia(suite, pattern(5000, 9), { padding: true });
    expect(attempt(padded.ciphertext, padded.key, 5000).released).toBe(5000);
    // A real size in another bucket: the padded total does not match.
    expect((attempt(padded.ciphertext, padded.key, 6000).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_SIZE_MISMATCH');
    expect((attempt(padded.ciphertext, padded.key, 4000).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_SIZE_MISMATCH');
    // Same bucket but smaller: data bytes would be treated as padding, and they are not zeros.
    expect((attempt(padded.ciphertext, padded.key, 4990).error as CryptoError).code).toBe('CRYPTO_ERR_MEDIA_CORRUPT');
  });

  it('refuses use after the end or after a failure', () => {
    const decryptor = createMediaDecryptor(suite, good.key);
    decryptor.push(object);
    decryptor.finish();
    expectCode(() => decryptor.push(Uint8Array.of(1)), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'push after finish');
    expectCode(() => decryptor.finish(), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'finish twice');
    const failed = createMediaDecryptor(suite, good.key);
    expectCode(() => failed.finish(), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'empty');
    expectCode(() => failed.push(object), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'push after failure');
    expectCode(() => failed.digest(), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'digest after failure');
  });
});

describe('media encryptor misuse', () => {
  it('refuses more or fewer bytes than declared, padding without a size, and use after the end', () => {
    const over = createMediaEncryptor(suite, undefined, { plaintextSize: 10 });
    over.push(new Uint8Array(6));
    expectCode(() => over.push(new Uint8Array(5)), 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH', 'over');
    expectCode(() => over.push(new Uint8Array(0)), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'after failure');
    const under = createMediaEncryptor(suite, undefined, { plaintextSize: 10 });
    expectCode(() => under.push(new Uint8Array(9), true), 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH', 'under');
    expectCode(() => createMediaEncryptor(suite, undefined, { padding: true }), 'CRYPTO_ERR_INVALID_PARAMETER', 'padding without size');
    expectCode(() => createMediaEncryptor(suite, new Uint8Array(16)), 'CRYPTO_ERR_INVALID_LENGTH', 'short key');
    const done = createMediaEncryptor(suite);
    expectCode(() => done.digest(), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'digest before end');
    done.push(Uint8Array.of(1), true);
    expect(done.digest().length).toBe(32);
    expectCode(() => done.push(Uint8Array.of(1)), 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'push after end');
    expectCode(() => [...done.end()], 'CRYPTO_ERR_MEDIA_STREAM_CLOSED', 'end after end');
  });

  it('keeps its own copy of a caller-supplied key', () => {
    const key = pattern(32, 77);
    const encryptor = createMediaEncryptor(suite, key);
    key.fill(0);
    const object = concat([encryptor.header, encryptor.push(PLAINTEXT, true)]);
    expect(attempt(object, encryptor.key).released).toBe(PLAINTEXT.length);
  });
});
