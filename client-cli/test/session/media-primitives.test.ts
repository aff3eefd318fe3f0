// The node:crypto media primitives the CLI injects (src/session/media-primitives.ts) give exactly
// the suite's results: the same SHA-256 for any split, and the same media stream both ways
// (encrypted by one, decrypted by the other), with failures reported as the suite reports them.
import { createMediaDecryptor, createMediaEncryptor, CryptoError, type CryptoSuite } from '@sealpost/crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { nodeMediaPrimitives } from '../../src/session/media-primitives.js';
import { testCrypto } from '../support/store.js';

const C = 64 * 1024;
let suite: CryptoSuite;
beforeAll(async () => {
  suite = await testCrypto();
});

function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const hex = (data: Uint8Array): string => Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');

describe('nodeMediaPrimitives', () => {
  it('SHA-256: the same digest as the suite for any split (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.nat(3000), { maxLength: 5 }), (data, cuts) => {
        const node = nodeMediaPrimitives.sha256Hasher?.();
        const own = suite.sha256Hasher();
        let start = 0;
        for (const cut of [...cuts.map((c) => Math.min(c, data.length)).sort((a, b) => a - b), data.length]) {
          node?.update(data.subarray(start, cut));
          own.update(data.subarray(start, cut));
          start = cut;
        }
        expect(hex(node?.digest() as Uint8Array)).toBe(hex(own.digest()));
      }),
      { numRuns: 50 },
    );
  });

  it('SHA-256: a spent hasher refuses further use as the suite does', () => {
    const hasher = nodeMediaPrimitives.sha256Hasher?.();
    hasher?.update(Uint8Array.of(1));
    hasher?.digest();
    expect(() => hasher?.update(Uint8Array.of(2))).toThrow(CryptoError);
    expect(() => hasher?.digest()).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_INVALID_PARAMETER' }));
  });

  it.each([0, 1, C - 1, C, C + 1, 5 * C + 321])('%i bytes: the same padded stream as the suite, decrypting across', (size) => {
    const key = bytes(32, size + 1);
    const plaintext = bytes(size, size + 2);
    const seal = (primitives: typeof nodeMediaPrimitives | undefined): { object: Uint8Array; digest: Uint8Array } => {
      // The salt comes from the suite's RNG: give both encryptors the same one.
      const fixed = { ...suite, randomBytes: (n: number) => new Uint8Array(n).fill(0x42) } as CryptoSuite;
      const encryptor = createMediaEncryptor(fixed, key, { plaintextSize: size, padding: true, primitives });
      const object = Buffer.concat([encryptor.header, encryptor.push(plaintext, true)]);
      return { object, digest: encryptor.digest() };
    };
    const own = seal(undefined);
    const node = seal(nodeMediaPrimitives);
    expect(hex(node.object)).toBe(hex(own.object));
    expect(hex(node.digest)).toBe(hex(own.digest));
    for (const [primitives, object] of [
      [nodeMediaPrimitives, own.object],
      [undefined, node.object],
    ] as const) {
      const decryptor = createMediaDecryptor(suite, key, undefined, { plaintextSize: size, primitives });
      const back = Buffer.concat([...decryptor.pushPieces(object), decryptor.finish()]);
      expect(hex(back)).toBe(hex(plaintext));
    }
  });

  it('ChaCha20-Poly1305: a wrong tag, a short input or another nonce fail as CRYPTO_ERR_DECRYPT_FAILED', () => {
    const aead = nodeMediaPrimitives.chacha20poly1305;
    if (aead === undefined) throw new Error('no AEAD');
    const key = bytes(32, 1);
    const nonce = bytes(12, 2);
    const { ciphertext, tag } = aead.seal(key, nonce, bytes(100, 3));
    expect(ciphertext.length).toBe(100);
    expect(tag.length).toBe(16);
    const sealed = Buffer.concat([ciphertext, tag]);
    expect(hex(aead.open(key, nonce, sealed))).toBe(hex(bytes(100, 3)));
    const altered = Buffer.from(sealed);
    altered[5] = (altered[5] as number) ^ 1;
    expect(() => aead.open(key, nonce, altered)).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_DECRYPT_FAILED' }));
    expect(() => aead.open(key, nonce, sealed.subarray(0, 15))).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_DECRYPT_FAILED' }));
    expect(() => aead.open(key, bytes(12, 9), sealed)).toThrow(expect.objectContaining({ code: 'CRYPTO_ERR_DECRYPT_FAILED' }));
  });
});
