// Injected media primitives (media-primitives.ts): a host's SHA-256 and RFC 8439 ChaCha20-Poly1305
// must give byte-identical streams and digests to the suite's XChaCha20-Poly1305 and SHA-256, in
// both directions, with every check of the decryptor intact. The injected implementations here
// are noble's (pure) and node:crypto's (OpenSSL, what the CLI injects), so both the assembly of
// XChaCha20 from HChaCha20 + ChaCha20 and the interface contract are exercised.
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/primitives/bytes.js';
import type { Sha256Hasher } from '../../src/primitives/index.js';
import { createMediaDecryptor } from '../../src/media/media-decryptor.js';
import { createMediaEncryptor } from '../../src/media/media-encryptor.js';
import { createChunkCipher, hchacha20, type MediaPrimitives } from '../../src/media/media-primitives.js';
import { chunkNonce } from '../../src/media/stream-keys.js';
import { createMediaDigestVerifier, decryptMediaSource, decryptVerifiedMedia } from '../../src/media/media-verify.js';
import { BACKENDS, suites } from '../primitives/suites.js';
import { C, CT, concat, expectCode, expectCodeAsync, fixedSuite, pattern, referenceEncrypt, splitAt } from './fixtures.js';

const KEY = pattern(32, 5);

/** noble's ChaCha20-Poly1305 and incremental SHA-256, through the injection interface. */
const noblePrimitives: MediaPrimitives = {
  sha256Hasher: (): Sha256Hasher => {
    const hash = sha256.create();
    return { update: (data) => void hash.update(data), digest: () => hash.digest() };
  },
  chacha20poly1305: {
    seal(key, nonce, plaintext) {
      const sealed = chacha20poly1305(key, nonce).encrypt(plaintext);
      return { ciphertext: sealed.subarray(0, plaintext.length), tag: sealed.subarray(plaintext.length) };
    },
    open: (key, nonce, sealed) => chacha20poly1305(key, nonce).decrypt(sealed),
  },
};

/** node:crypto's, as the CLI has them (client-cli/src/session/media-primitives.ts). */
const nodePrimitives: MediaPrimitives = {
  sha256Hasher: (): Sha256Hasher => {
    const hash = createHash('sha256');
    return { update: (data) => void hash.update(data), digest: () => new Uint8Array(hash.digest()) };
  },
  chacha20poly1305: {
    seal(key, nonce, plaintext) {
      const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      const ciphertext = cipher.update(plaintext);
      cipher.final();
      return { ciphertext, tag: cipher.getAuthTag() };
    },
    open(key, nonce, sealed) {
      const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 });
      decipher.setAuthTag(sealed.subarray(sealed.length - 16));
      const plain = decipher.update(sealed.subarray(0, sealed.length - 16));
      decipher.final();
      return plain;
    },
  },
};

const INJECTED = [
  ['noble', noblePrimitives],
  ['node:crypto', nodePrimitives],
] as const;

function encryptWith(primitives: MediaPrimitives | undefined, plaintext: Uint8Array, padded: boolean, cuts: number[] = []): { object: Uint8Array; key: Uint8Array; digest: Uint8Array } {
  const suite = fixed;
  const encryptor = createMediaEncryptor(suite, KEY, { plaintextSize: plaintext.length, padding: padded, primitives });
  const out: Uint8Array[] = [encryptor.header];
  const pieces = splitAt(plaintext, cuts);
  pieces.forEach((piece, i) => out.push(encryptor.push(piece, i === pieces.length - 1)));
  return { object: concat(out), key: encryptor.key, digest: encryptor.digest() };
}

function decryptWith(primitives: MediaPrimitives | undefined, object: Uint8Array, plaintextSize: number, cuts: number[] = []): { plain: Uint8Array; digest: Uint8Array } {
  const decryptor = createMediaDecryptor(fixed, KEY, undefined, { plaintextSize, primitives });
  const out = splitAt(object, cuts).map((piece) => decryptor.push(piece));
  out.push(decryptor.finish());
  return { plain: concat(out), digest: decryptor.digest() };
}

const fixed = await fixedSuite('auto');

describe('HChaCha20', () => {
  it('matches draft-irtf-cfrg-xchacha-03 §2.2.1', () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const input = Uint8Array.from([0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x4a, 0x00, 0x00, 0x00, 0x00, 0x31, 0x41, 0x59, 0x27]);
    expect(toHex(hchacha20(key, input))).toBe('82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc');
  });

  it('reads unaligned views correctly', () => {
    const backing = new Uint8Array(64);
    const key = backing.subarray(1, 33);
    key.set(pattern(32, 3));
    const input = backing.subarray(33, 49);
    input.set(pattern(16, 4));
    expect(toHex(hchacha20(key, input))).toBe(toHex(hchacha20(pattern(32, 3), pattern(16, 4))));
  });
});

describe.each(INJECTED)('injected ChaCha20-Poly1305 and SHA-256 (%s)', (_name, primitives) => {
  it.each(BACKENDS)('a chunk sealed through it equals the suite XChaCha20-Poly1305 (%s), both ways, even with the counter top byte set', (backend) => {
    const suite = suites[backend];
    const payloadKey = pattern(32, 11);
    const injected = createChunkCipher(suite, payloadKey.slice(), primitives);
    // Indices past 2^56 change nonce byte 15, i.e. the HChaCha20 input: a fresh subkey each.
    for (const index of [0, 1, 2 ** 32 + 7, 2 ** 56, 2 ** 56 + 2 ** 33]) {
      for (const last of [false, true]) {
        const plaintext = pattern(1000 + (index % 97), index % 251);
        const expected = suite.xchacha20poly1305Encrypt(payloadKey, chunkNonce(index, last), plaintext, new Uint8Array(0));
        const sealed = concat(injected.seal(index, last, plaintext));
        expect(toHex(sealed)).toBe(toHex(expected));
        expect(toHex(injected.open(index, last, expected))).toBe(toHex(plaintext));
        expect(() => injected.open(index, !last, expected)).toThrow();
      }
    }
  });

  it.each([0, 1, C - 1, C, C + 1, 3 * C + 5])('%i bytes: the same object and digest as the suite, decrypting across', (size) => {
    const plaintext = pattern(size, size + 3);
    for (const padded of [false, true]) {
      const plain = encryptWith(undefined, plaintext, padded, [7, C + 1]);
      const fast = encryptWith(primitives, plaintext, padded, [C, 2 * C + 9]);
      expect(toHex(fast.object)).toBe(toHex(plain.object));
      expect(toHex(fast.digest)).toBe(toHex(plain.digest));
      // And the independent reference straight from docs/media.md.
      const reference = referenceEncrypt(KEY, new Uint8Array(16).fill(0x5a), plaintext, padded);
      expect(toHex(fast.digest)).toBe(toHex(reference.digest));
      // Encrypted by one, decrypted by the other.
      const back = decryptWith(primitives, plain.object, size, [18, CT + 3]);
      expect(toHex(back.plain)).toBe(toHex(plaintext));
      expect(toHex(back.digest)).toBe(toHex(plain.digest));
      expect(toHex(decryptWith(undefined, fast.object, size).plain)).toBe(toHex(plaintext));
    }
  });

  it('any split of the input gives the same object (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3 * C + 100 }), fc.array(fc.nat(3 * C + 100), { maxLength: 6 }), (size, cuts) => {
        const plaintext = pattern(size, 9);
        expect(toHex(encryptWith(primitives, plaintext, false, cuts).object)).toBe(toHex(encryptWith(undefined, plaintext, false).object));
      }),
      { numRuns: 25 },
    );
  });

  it('pushPieces: the pieces concatenate to what push returns, on both sides', () => {
    const plaintext = pattern(5 * C + 123, 2);
    const a = createMediaEncryptor(fixed, KEY, { plaintextSize: plaintext.length, primitives });
    const b = createMediaEncryptor(fixed, KEY, { plaintextSize: plaintext.length });
    const pieces = [a.header, ...a.pushPieces(plaintext.subarray(0, 3 * C + 1)), ...a.pushPieces(plaintext.subarray(3 * C + 1)), ...a.end()];
    const whole = concat([b.header, b.push(plaintext.subarray(0, 3 * C + 1)), b.push(plaintext.subarray(3 * C + 1), true)]);
    expect(toHex(concat(pieces))).toBe(toHex(whole));
    expect(toHex(a.digest())).toBe(toHex(b.digest()));
    const decryptor = createMediaDecryptor(fixed, KEY, undefined, { plaintextSize: plaintext.length, primitives });
    const out = [...decryptor.pushPieces(whole.subarray(0, 2 * CT + 40)), ...decryptor.pushPieces(whole.subarray(2 * CT + 40)), decryptor.finish()];
    expect(toHex(concat(out))).toBe(toHex(plaintext));
  });

  it('keeps every check: flipped bytes, truncation, trailing data, reordering', () => {
    const plaintext = pattern(3 * C + 10, 4);
    const { object } = encryptWith(undefined, plaintext, false);
    const open = (bytes: Uint8Array, size = plaintext.length): Uint8Array => decryptWith(primitives, bytes, size).plain;
    const flipped = object.slice();
    flipped[18 + CT + 5] = (flipped[18 + CT + 5] as number) ^ 1;
    expectCode(() => open(flipped), 'CRYPTO_ERR_MEDIA_CORRUPT', 'flipped');
    expectCode(() => open(object.subarray(0, 18 + 2 * CT)), 'CRYPTO_ERR_MEDIA_TRUNCATED', 'cut after a chunk');
    expectCode(() => open(concat([object, Uint8Array.of(0)])), 'CRYPTO_ERR_MEDIA_CORRUPT', 'trailing byte');
    const swapped = concat([object.subarray(0, 18), object.subarray(18 + CT, 18 + 2 * CT), object.subarray(18, 18 + CT), object.subarray(18 + 2 * CT)]);
    expectCode(() => open(swapped), 'CRYPTO_ERR_MEDIA_CORRUPT', 'reordered');
    const otherKey = createMediaDecryptor(fixed, pattern(32, 77), undefined, { primitives });
    expectCode(() => otherKey.push(object), 'CRYPTO_ERR_MEDIA_CORRUPT', 'wrong key');
  });

  it('the digest verifier and decryptMediaSource / decryptVerifiedMedia accept it', async () => {
    const plaintext = pattern(2 * C + 99, 8);
    const encryptor = createMediaEncryptor(fixed, KEY, { plaintextSize: plaintext.length, padding: true });
    const object = concat([encryptor.header, encryptor.push(plaintext, true)]);
    const pointer = { key: KEY, digest: encryptor.digest(), plaintextSize: plaintext.length, ciphertextSize: object.length };
    const verifier = createMediaDigestVerifier(fixed, pointer, primitives);
    for (const piece of splitAt(object, [1, C, 2 * C + 3])) verifier.push(piece);
    verifier.finish();
    const bad = createMediaDigestVerifier(fixed, pointer, primitives);
    bad.push(concat([object.subarray(0, 40), Uint8Array.of((object[40] as number) ^ 1), object.subarray(41)]));
    expectCode(() => bad.finish(), 'CRYPTO_ERR_MEDIA_DIGEST_MISMATCH', 'altered');
    const collect = async (source: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
      const out: Uint8Array[] = [];
      for await (const piece of source) out.push(piece);
      return concat(out);
    };
    expect(toHex(await collect(decryptMediaSource(fixed, pointer, [object], primitives)))).toBe(toHex(plaintext));
    expect(toHex(await collect(decryptVerifiedMedia(fixed, pointer, () => [object], primitives)))).toBe(toHex(plaintext));
    await expectCodeAsync(() => collect(decryptVerifiedMedia(fixed, { ...pointer, digest: new Uint8Array(32) }, () => [object], primitives)), 'CRYPTO_ERR_MEDIA_DIGEST_MISMATCH', 'wrong digest');
  });
});

describe('injected primitives: contract and hygiene', () => {
  it('an injected seal returning a wrong length is refused', () => {
    const broken: MediaPrimitives = { chacha20poly1305: { seal: (_k, _n, p) => ({ ciphertext: p.subarray(1), tag: new Uint8Array(16) }), open: (_k, _n, s) => s.subarray(16) } };
    const encryptor = createMediaEncryptor(fixed, KEY, { primitives: broken });
    expectCode(() => encryptor.push(pattern(10, 1), true), 'CRYPTO_ERR_INVALID_PARAMETER', 'short ciphertext');
  });

  it('only the injected hasher hashes when one is given', () => {
    let updates = 0;
    const counting: MediaPrimitives = {
      sha256Hasher: () => {
        const hash = sha256.create();
        return { update: (data) => void (updates++, hash.update(data)), digest: () => hash.digest() };
      },
    };
    const encryptor = createMediaEncryptor(fixed, KEY, { primitives: counting });
    encryptor.push(pattern(C + 1, 1), true);
    expect(updates).toBeGreaterThan(0);
    expect(toHex(encryptor.digest())).toBe(toHex(encryptWith(undefined, pattern(C + 1, 1), false).digest));
  });

  it("never wipes or aliases the caller's key, even a Node Buffer (whose .slice() is a view)", () => {
    const key = Buffer.from(KEY);
    const encryptor = createMediaEncryptor(fixed, key, { plaintextSize: 100 });
    const object = concat([encryptor.header, encryptor.push(pattern(100, 1), true)]);
    const decryptor = createMediaDecryptor(fixed, key, undefined, { plaintextSize: 100 });
    decryptor.push(object);
    decryptor.finish();
    expect(toHex(key)).toBe(toHex(KEY));
    const failing = createMediaDecryptor(fixed, key);
    expectCode(() => failing.push(new Uint8Array(18)), 'CRYPTO_ERR_UNSUPPORTED_VERSION', 'bad header');
    expect(toHex(key)).toBe(toHex(KEY));
    encryptor.key.fill(0);
    expect(toHex(key)).toBe(toHex(KEY));
  });
});
