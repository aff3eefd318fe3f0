import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/primitives/bytes.js';
import { createMediaDecryptor } from '../../src/media/media-decryptor.js';
import { createMediaEncryptor } from '../../src/media/media-encryptor.js';
import { mediaCiphertextSize, paddedMediaSize } from '../../src/media/media-size.js';
import { encryptMedia, encryptMediaSource } from '../../src/media/media-stream.js';
import { decryptMedia } from '../../src/media/media-verify.js';
import { BACKENDS, suites } from '../primitives/suites.js';
import { C, concat, fixedSuite, pattern, referenceEncrypt, splitAt } from './fixtures.js';

const KEY = pattern(32, 99);
const SIZES = [0, 1, C - 1, C, C + 1, 3 * C, 5 * 1024 * 1024 + 777];

/** Encrypts with the incremental API, pushing the given pieces, and returns the whole object. */
function encryptPieces(encryptor: ReturnType<typeof createMediaEncryptor>, pieces: readonly Uint8Array[]): Uint8Array {
  const out: Uint8Array[] = [encryptor.header];
  pieces.forEach((piece, i) => out.push(encryptor.push(piece, i === pieces.length - 1)));
  return concat(out);
}

function decryptPieces(decryptor: ReturnType<typeof createMediaDecryptor>, pieces: readonly Uint8Array[]): Uint8Array {
  const out = pieces.map((piece) => decryptor.push(piece));
  out.push(decryptor.finish());
  return concat(out);
}

describe.each(BACKENDS)('media stream round trips (%s)', (backend) => {
  const suite = suites[backend];

  it.each(SIZES)('%i bytes: exact size, digest, and the plaintext back', (size) => {
    const plaintext = pattern(size, size + 1);
    const encryptor = createMediaEncryptor(suite, undefined, { plaintextSize: size });
    const object = encryptPieces(encryptor, [plaintext]);
    expect(object.length).toBe(mediaCiphertextSize(size));
    expect(encryptor.ciphertextSize).toBe(object.length);
    expect(encryptor.expectedCiphertextSize).toBe(object.length);
    expect(encryptor.plaintextSize).toBe(size);
    expect(toHex(encryptor.digest())).toBe(toHex(suite.sha256(object)));
    // Header passed separately, as the brief's API has it.
    const decryptor = createMediaDecryptor(suite, encryptor.key, object.subarray(0, 18), { plaintextSize: size });
    const back = decryptPieces(decryptor, [object.subarray(18)]);
    expect(back.length).toBe(size);
    expect(toHex(suite.sha256(back))).toBe(toHex(suite.sha256(plaintext)));
    expect(toHex(decryptor.digest())).toBe(toHex(encryptor.digest()));
  });

  it.each([0, 1, 5000, C, 3 * C + 5])('%i bytes padded to the Padmé bucket', (size) => {
    const plaintext = pattern(size, 7);
    const encrypted = encryptMedia(suite, plaintext, { padding: true });
    expect(encrypted.ciphertext.length).toBe(mediaCiphertextSize(size, true));
    expect(encrypted.ciphertext.length).toBe(mediaCiphertextSize(paddedMediaSize(size)));
    expect(encrypted.ciphertext[1]).toBe(0x01);
    const back = decryptMedia(suite, encrypted, encrypted.ciphertext);
    expect(back).toEqual(plaintext);
  });

  it('uses a fresh random key and salt each time', () => {
    const a = createMediaEncryptor(suite);
    const b = createMediaEncryptor(suite);
    expect(toHex(a.key)).not.toBe(toHex(b.key));
    expect(toHex(a.header)).not.toBe(toHex(b.header));
  });
});

describe('media stream format', () => {
  it.each(BACKENDS)('matches an independent implementation of docs/media.md byte for byte (%s)', async (backend) => {
    const suite = await fixedSuite(backend, 0x33);
    const salt = new Uint8Array(16).fill(0x33);
    for (const size of [0, 1, C - 1, C, C + 1, 2 * C + 5]) {
      for (const padded of [false, true]) {
        const plaintext = pattern(size, size + 3);
        const ours = encryptMedia(suite, plaintext, { key: KEY, padding: padded });
        const reference = referenceEncrypt(KEY, salt, plaintext, padded);
        expect(toHex(ours.ciphertext), `${size} padded=${padded}`).toBe(toHex(reference.object));
        expect(toHex(ours.digest)).toBe(toHex(reference.digest));
      }
    }
  });

  it('yields the whole object from a byte source, header first', async () => {
    const suite = await fixedSuite('auto');
    const plaintext = pattern(3 * C + 10, 4);
    const encryptor = createMediaEncryptor(suite, KEY, { plaintextSize: plaintext.length, padding: true });
    const pieces: Uint8Array[] = [];
    for await (const piece of encryptMediaSource(encryptor, splitAt(plaintext, [100, C, 2 * C + 3]))) pieces.push(piece);
    expect(pieces[0]).toEqual(encryptor.header);
    const whole = concat(pieces);
    expect(toHex(whole)).toBe(toHex(encryptMedia(suite, plaintext, { key: KEY, padding: true }).ciphertext));
    const pointer = encryptor.pointer({ mediaId: 'abc', fileName: 'f.bin', contentType: 'application/octet-stream' });
    expect(pointer.ciphertextSize).toBe(whole.length);
    expect(pointer.plaintextSize).toBe(plaintext.length);
    expect(toHex(pointer.digest)).toBe(toHex(suite.sha256(whole)));
  });

  it('streams padding one chunk at a time from end()', async () => {
    const suite = await fixedSuite('auto');
    const size = 4 * 1024 * 1024 + 1; // Padmé step 128 KiB here: almost two chunks of padding
    const encryptor = createMediaEncryptor(suite, KEY, { plaintextSize: size, padding: true });
    const first = encryptor.push(pattern(size, 2));
    const rest = [...encryptor.end()];
    expect(paddedMediaSize(size) - size).toBeGreaterThan(C);
    expect(rest.length).toBeGreaterThan(1);
    for (const piece of rest) expect(piece.length).toBeLessThanOrEqual(C + 16);
    expect(18 + first.length + rest.reduce((n, p) => n + p.length, 0)).toBe(mediaCiphertextSize(size, true));
  });

  it('output and plaintext do not depend on how input is split (property, random chunkings)', async () => {
    const suite = await fixedSuite('auto');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 3 * C + 300 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        async (size, encCuts, decCuts, padded) => {
          const plaintext = pattern(size, size + 11);
          const expected = encryptMedia(suite, plaintext, { key: KEY, padding: padded });
          const encryptor = createMediaEncryptor(suite, KEY, { plaintextSize: size, padding: padded });
          const object = encryptPieces(encryptor, splitAt(plaintext, encCuts.map((c) => c % (size + 1))));
          expect(toHex(object)).toBe(toHex(expected.ciphertext));
          const decryptor = createMediaDecryptor(suite, KEY, undefined, { plaintextSize: size });
          const back = decryptPieces(decryptor, splitAt(object, decCuts.map((c) => c % (object.length + 1))));
          expect(toHex(back)).toBe(toHex(plaintext));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('releases plaintext as soon as a chunk is known not to be the last one', async () => {
    const suite = await fixedSuite('auto');
    const plaintext = pattern(2 * C + 1, 5);
    const { ciphertext } = encryptMedia(suite, plaintext, { key: KEY });
    const decryptor = createMediaDecryptor(suite, KEY);
    // Header + one full chunk: not released yet (it could be the final one).
    expect(decryptor.push(ciphertext.subarray(0, 18 + C + 16)).length).toBe(0);
    // One more byte shows it is a middle chunk.
    expect(decryptor.push(ciphertext.subarray(18 + C + 16, 18 + C + 17))).toEqual(plaintext.subarray(0, C));
    expect(decryptor.plaintextSize).toBe(C);
    const rest = decryptor.push(ciphertext.subarray(18 + C + 17));
    expect(concat([plaintext.subarray(0, C), rest, decryptor.finish()])).toEqual(plaintext);
  });
});
