// Cross-check of the two backends on random inputs (fast-check): noble and libsodium must give
// identical outputs for every operation and the same verdicts, and a single flipped bit anywhere in
// the ciphertext, tag or associated data must be rejected by both.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CryptoError } from '../../src/errors.js';
import { suites } from './suites.js';

const noble = suites.noble;
const sodium = suites.libsodium;

const bytes = (min: number, max: number): fc.Arbitrary<Uint8Array> => fc.uint8Array({ minLength: min, maxLength: max });
const key32 = bytes(32, 32);

/** The result of `fn`, or the CryptoError code it threw (so two backends can be compared). */
function outcome(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CryptoError) return { error: error.code };
    throw error;
  }
}

function flipBit(data: Uint8Array, bit: number): Uint8Array {
  const out = data.slice();
  const index = Math.floor(bit / 8) % out.length;
  out[index] = (out[index] as number) ^ (1 << (bit % 8));
  return out;
}

describe('noble and libsodium agree on random inputs', () => {
  it('X25519: public keys and shared secrets', () => {
    fc.assert(
      fc.property(key32, key32, (a, b) => {
        const pub = noble.x25519PublicKey(b);
        expect(sodium.x25519PublicKey(b)).toEqual(pub);
        expect(sodium.x25519PublicKey(a)).toEqual(noble.x25519PublicKey(a));
        expect(outcome(() => sodium.x25519(a, pub))).toEqual(outcome(() => noble.x25519(a, pub)));
        // An arbitrary 32-byte string as the peer key (twist points, non-canonical u included).
        expect(outcome(() => sodium.x25519(a, b))).toEqual(outcome(() => noble.x25519(a, b)));
      }),
      { numRuns: 40 },
    );
  });

  it('Ed25519: public keys, signatures and verdicts, including on forged signatures', () => {
    fc.assert(
      fc.property(key32, bytes(0, 300), bytes(64, 64), fc.nat(), (seed, message, junk, bit) => {
        const pub = noble.ed25519PublicKey(seed);
        expect(sodium.ed25519PublicKey(seed)).toEqual(pub);
        const sig = noble.ed25519Sign(seed, message);
        expect(sodium.ed25519Sign(seed, message)).toEqual(sig);
        expect(sodium.ed25519Verify(sig, message, pub)).toBe(true);
        expect(noble.ed25519Verify(sig, message, pub)).toBe(true);
        const flipped = flipBit(sig, bit % 512);
        expect(sodium.ed25519Verify(flipped, message, pub)).toBe(false);
        expect(noble.ed25519Verify(flipped, message, pub)).toBe(false);
        expect(sodium.ed25519Verify(junk, message, pub)).toBe(noble.ed25519Verify(junk, message, pub));
      }),
      { numRuns: 40 },
    );
  });

  for (const [name, nonceBytes] of [['xchacha20poly1305', 24], ['chacha20poly1305', 12]] as const) {
    it(`${name}: same ciphertexts, opened by the other backend, and every flipped bit rejected by both`, () => {
      const enc = `${name}Encrypt` as const;
      const dec = `${name}Decrypt` as const;
      fc.assert(
        fc.property(key32, bytes(nonceBytes, nonceBytes), bytes(0, 600), bytes(0, 100), fc.nat(), fc.boolean(), (key, nonce, plaintext, aad, bit, inAad) => {
          const sealed = noble[enc](key, nonce, plaintext, aad);
          expect(sodium[enc](key, nonce, plaintext, aad)).toEqual(sealed);
          expect(sodium[dec](key, nonce, sealed, aad)).toEqual(plaintext);
          expect(noble[dec](key, nonce, sealed, aad)).toEqual(plaintext);
          // One flipped bit in ciphertext-or-tag, or in the associated data when there is any.
          const [ct, ad] = inAad && aad.length > 0 ? [sealed, flipBit(aad, bit)] : [flipBit(sealed, bit), aad];
          for (const backend of [noble, sodium]) {
            expect(outcome(() => backend[dec](key, nonce, ct, ad))).toEqual({ error: 'CRYPTO_ERR_DECRYPT_FAILED' });
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('SHA-256, SHA-512, HMAC-SHA-256 (any key length) and HKDF-SHA-256 (any length)', () => {
    fc.assert(
      fc.property(bytes(0, 2000), bytes(0, 200), bytes(0, 100), bytes(0, 100), fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constantFrom(8160, 8161)), (data, key, salt, info, length) => {
        expect(sodium.sha256(data)).toEqual(noble.sha256(data));
        expect(sodium.sha512(data)).toEqual(noble.sha512(data));
        expect(sodium.hmacSha256(key, data)).toEqual(noble.hmacSha256(key, data));
        // Lengths outside 1..8160 must fail the same way in both.
        expect(outcome(() => sodium.hkdfSha256(data, salt, info, length))).toEqual(outcome(() => noble.hkdfSha256(data, salt, info, length)));
      }),
      { numRuns: 150 },
    );
  });

  it('incremental SHA-256: both hashers equal the one-shot SHA-256 for any chunking', () => {
    fc.assert(
      fc.property(bytes(0, 3000), fc.array(fc.nat({ max: 3000 }), { maxLength: 12 }), (data, cuts) => {
        const expected = noble.sha256(data);
        const bounds = [0, ...cuts.map((cut) => cut % (data.length + 1)).sort((a, b) => a - b), data.length];
        for (const backend of [noble, sodium]) {
          const hasher = backend.sha256Hasher();
          // Empty pieces included: repeated cut points give zero-length updates.
          for (let i = 1; i < bounds.length; i++) hasher.update(data.subarray(bounds[i - 1], bounds[i]));
          expect(hasher.digest()).toEqual(expected);
          // A spent hasher refuses more input and a second digest, the same way in both.
          expect(outcome(() => hasher.update(data))).toEqual({ error: 'CRYPTO_ERR_INVALID_PARAMETER' });
          expect(outcome(() => hasher.digest())).toEqual({ error: 'CRYPTO_ERR_INVALID_PARAMETER' });
        }
        expect(sodium.sha256(data)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('incremental SHA-256 across 64 KiB media-sized pieces and a fresh state per hasher', () => {
    const data = new Uint8Array(200_000).map((_, i) => (i * 31 + 7) & 0xff);
    const expected = noble.sha256(data);
    for (const backend of [noble, sodium]) {
      const a = backend.sha256Hasher();
      const b = backend.sha256Hasher();
      for (let offset = 0; offset < data.length; offset += 65_536) a.update(data.subarray(offset, offset + 65_536));
      b.update(new Uint8Array(0));
      expect(a.digest()).toEqual(expected);
      expect(b.digest()).toEqual(noble.sha256(new Uint8Array(0)));
    }
  });

  it('ML-KEM-1024: key pairs, encapsulations and decapsulations', () => {
    fc.assert(
      fc.property(bytes(64, 64), key32, (seed, m) => {
        const kp = noble.mlkem1024KeyPair(seed);
        expect(sodium.mlkem1024KeyPair(seed)).toEqual(kp);
        const enc = noble.mlkem1024Encapsulate(kp.publicKey, m);
        expect(sodium.mlkem1024Encapsulate(kp.publicKey, m)).toEqual(enc);
        expect(sodium.mlkem1024Decapsulate(enc.ciphertext, kp.secretKey)).toEqual(enc.sharedSecret);
      }),
      { numRuns: 10 },
    );
  });
});
