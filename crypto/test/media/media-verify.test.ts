import { describe, expect, it } from 'vitest';
import { createMediaDecryptor } from '../../src/media/media-decryptor.js';
import { createMediaDigestVerifier, decryptMedia, decryptMediaSource, decryptVerifiedMedia, verifyMediaCiphertext } from '../../src/media/media-verify.js';
import { encryptMedia } from '../../src/media/media-stream.js';
import { BACKENDS, suites } from '../primitives/suites.js';
import { C, concat, expectCode, expectCodeAsync, pattern, splitAt } from './fixtures.js';

const suite = suites.auto;
const PLAINTEXT = pattern(3 * C + 17, 21);
const good = encryptMedia(suite, PLAINTEXT, { padding: true });
const pointer = { key: good.key, digest: good.digest, plaintextSize: good.plaintextSize, ciphertextSize: good.ciphertextSize };

async function* asyncPieces(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  for (const piece of splitAt(bytes, cuts)) yield piece;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<{ out: Uint8Array[]; error: unknown }> {
  const out: Uint8Array[] = [];
  try {
    for await (const piece of source) out.push(piece);
    return { out, error: undefined };
  } catch (error) {
    return { out, error };
  }
}

describe('media digest verification', () => {
  it('accepts the right bytes in any split and refuses wrong size or digest', async () => {
    await verifyMediaCiphertext(suite, pointer, asyncPieces(good.ciphertext, [1, 500, C + 9]));
    const flipped = good.ciphertext.slice();
    flipped[100] = (flipped[100] as number) ^ 1;
    await expectCodeAsync(() => verifyMediaCiphertext(suite, pointer, [flipped]), 'CRYPTO_ERR_MEDIA_DIGEST_MISMATCH', 'flipped');
    await expectCodeAsync(() => verifyMediaCiphertext(suite, pointer, [good.ciphertext.subarray(1)]), 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH', 'short');
    const verifier = createMediaDigestVerifier(suite, pointer);
    verifier.push(good.ciphertext);
    // One byte past the declared size is refused at once, before the whole download.
    expectCode(() => verifier.push(Uint8Array.of(0)), 'CRYPTO_ERR_MEDIA_SIZE_MISMATCH', 'long');
    expectCode(() => createMediaDigestVerifier(suite, { digest: new Uint8Array(31), ciphertextSize: 1 }), 'CRYPTO_ERR_INVALID_LENGTH', 'digest size');
  });

  it('decryptVerifiedMedia reads twice and yields the plaintext', async () => {
    let opened = 0;
    const { out, error } = await collect(
      decryptVerifiedMedia(suite, pointer, () => {
        opened++;
        return asyncPieces(good.ciphertext, [7, C, 2 * C + 40]);
      }),
    );
    expect(error).toBeUndefined();
    expect(opened).toBe(2);
    expect(concat(out)).toEqual(PLAINTEXT);
  });

  it('releases no plaintext at all when the object does not match the digest', async () => {
    const other = encryptMedia(suite, pattern(PLAINTEXT.length, 5), { key: good.key, padding: true });
    let opened = 0;
    const { out, error } = await collect(
      decryptVerifiedMedia(suite, pointer, () => {
        opened++;
        return [other.ciphertext];
      }),
    );
    expect(out).toEqual([]);
    expect(opened).toBe(1);
    expect((error as { code: string }).code).toBe('CRYPTO_ERR_MEDIA_DIGEST_MISMATCH');
  });

  it('throws at the end when the bytes change between the two reads', async () => {
    const other = encryptMedia(suite, pattern(PLAINTEXT.length, 5), { key: good.key, padding: true });
    let opened = 0;
    const { error } = await collect(decryptVerifiedMedia(suite, pointer, () => (opened++ === 0 ? [good.ciphertext] : [other.ciphertext])));
    expect((error as { code: string }).code).toBe('CRYPTO_ERR_MEDIA_DIGEST_MISMATCH');
  });

  it('decryptMedia (one shot) checks the digest first', () => {
    expect(decryptMedia(suite, pointer, good.ciphertext)).toEqual(PLAINTEXT);
    const flipped = good.ciphertext.slice();
    flipped[good.ciphertext.length - 1] = (flipped[good.ciphertext.length - 1] as number) ^ 0x80;
    expectCode(() => decryptMedia(suite, pointer, flipped), 'CRYPTO_ERR_MEDIA_DIGEST_MISMATCH', 'flipped tag');
  });

  it('decryptMediaSource decrypts verified bytes without hashing them again', async () => {
    const { out, error } = await collect(decryptMediaSource(suite, pointer, asyncPieces(good.ciphertext, [3, C + 1, 2 * C])));
    expect(error).toBeUndefined();
    expect(concat(out)).toEqual(PLAINTEXT);
  });

  it('without the second hash, bytes altered after verification still fail authentication before their plaintext', async () => {
    // Chunk 1 altered: chunk 0's plaintext may come out, chunk 1's never does.
    const altered = good.ciphertext.slice();
    const at = 18 + (C + 16) + 10;
    altered[at] = (altered[at] as number) ^ 1;
    const { out, error } = await collect(decryptMediaSource(suite, pointer, [altered]));
    expect((error as { code: string }).code).toBe('CRYPTO_ERR_MEDIA_CORRUPT');
    expect(concat(out)).toEqual(PLAINTEXT.subarray(0, concat(out).length));
    expect(concat(out).length).toBeLessThanOrEqual(C);
    // Cut short after verification: truncated, not silently shorter.
    const cut = await collect(decryptMediaSource(suite, pointer, [good.ciphertext.subarray(0, 18 + 2 * (C + 16))]));
    expect((cut.error as { code: string }).code).toBe('CRYPTO_ERR_MEDIA_TRUNCATED');
  });

  it("a decryptor created with hashCiphertext: false decrypts the same and refuses digest()", () => {
    const decryptor = createMediaDecryptor(suite, good.key, undefined, { plaintextSize: good.plaintextSize, hashCiphertext: false });
    const plain = concat([decryptor.push(good.ciphertext), decryptor.finish()]);
    expect(plain).toEqual(PLAINTEXT);
    expectCode(() => decryptor.digest(), 'CRYPTO_ERR_INVALID_PARAMETER', 'no digest kept');
    const hashing = createMediaDecryptor(suite, good.key, undefined, { plaintextSize: good.plaintextSize });
    hashing.push(good.ciphertext);
    hashing.finish();
    expect(hashing.digest()).toEqual(good.digest);
  });

  it.each(BACKENDS)('digests are the SHA-256 of the whole object through the suite hasher (%s)', async (backend) => {
    const s = suites[backend];
    const media = encryptMedia(s, PLAINTEXT, { padding: true });
    expect(media.digest).toEqual(s.sha256(media.ciphertext));
    expect(media.digest).toEqual(suites.noble.sha256(media.ciphertext));
    const p = { key: media.key, digest: media.digest, plaintextSize: media.plaintextSize, ciphertextSize: media.ciphertextSize };
    await verifyMediaCiphertext(s, p, asyncPieces(media.ciphertext, [5, C, C + 100]));
    const decryptor = createMediaDecryptor(s, media.key, undefined, { plaintextSize: media.plaintextSize });
    decryptor.push(media.ciphertext);
    decryptor.finish();
    expect(decryptor.digest()).toEqual(media.digest);
  });
});
