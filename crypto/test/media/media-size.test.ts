import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mediaChunkCount, mediaCiphertextSize, paddedMediaSize } from '../../src/media/media-size.js';
import { expectCode, referencePadme } from './fixtures.js';

describe('media sizes', () => {
  it('gives the exact ciphertext size: 18-byte header, plaintext, 16 bytes per chunk', () => {
    expect(mediaCiphertextSize(0)).toBe(18 + 16);
    expect(mediaCiphertextSize(1)).toBe(18 + 1 + 16);
    expect(mediaCiphertextSize(65_535)).toBe(18 + 65_535 + 16);
    expect(mediaCiphertextSize(65_536)).toBe(18 + 65_536 + 16);
    expect(mediaCiphertextSize(65_537)).toBe(18 + 65_537 + 32);
    expect(mediaCiphertextSize(100 * 1024 * 1024)).toBe(18 + 100 * 1024 * 1024 + 1600 * 16);
    expect(mediaChunkCount(0)).toBe(1);
    expect(mediaChunkCount(131_072)).toBe(2);
    expect(mediaChunkCount(131_073)).toBe(3);
  });

  it('pads with Padmé: hand-computed buckets', () => {
    expect(paddedMediaSize(0)).toBe(4096);
    expect(paddedMediaSize(4096)).toBe(4096);
    // 5000: E = 12, S = 4, step 2^8 -> 20 * 256
    expect(paddedMediaSize(5000)).toBe(5120);
    // 100 MiB = 50 * 2 MiB is its own bucket (E = 26, S = 5, step 2^21); one byte more is the next.
    expect(paddedMediaSize(100 * 1024 * 1024)).toBe(100 * 1024 * 1024);
    expect(paddedMediaSize(100 * 1024 * 1024 + 1)).toBe(51 * 2 * 1024 * 1024);
    expect(mediaCiphertextSize(5000, true)).toBe(18 + 5120 + 16);
  });

  it('matches an independent Padmé, never shrinks, is idempotent and costs at most 6.25 % (3.125 % from 64 KiB)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (length) => {
        const padded = paddedMediaSize(length);
        expect(padded).toBe(referencePadme(length));
        expect(padded).toBeGreaterThanOrEqual(length);
        expect(paddedMediaSize(padded)).toBe(padded);
        if (length > 4096) expect((padded - length) / length).toBeLessThanOrEqual(0.0625);
        if (length >= 65_536) expect((padded - length) / length).toBeLessThanOrEqual(0.03125);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses sizes that are negative, fractional or above 2^48', () => {
    for (const bad of [-1, 1.5, 2 ** 48 + 1, Number.NaN]) {
      expectCode(() => mediaCiphertextSize(bad), 'CRYPTO_ERR_INVALID_PARAMETER', String(bad));
      expectCode(() => paddedMediaSize(bad), 'CRYPTO_ERR_INVALID_PARAMETER', String(bad));
    }
    expect(mediaCiphertextSize(2 ** 48)).toBe(18 + 2 ** 48 + 16 * 2 ** 32);
  });
});
