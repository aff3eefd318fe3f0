// Wycheproof vectors (C2SP/wycheproof testvectors_v1, read from ../shared/vectors/wycheproof/)
// through the facade, on both backends. Every `valid` case must pass, every `invalid` one must be
// rejected, and each `acceptable` case gets an explicit decision, written next to it. Each suite
// also checks that it ran exactly `numberOfTests` cases, so a skipped group cannot go unnoticed.
import { expect, it } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../../src/errors.js';
import { constantTimeEqual, concatBytes, isAllZero } from '../../src/primitives/bytes.js';
import {
  describeWycheproof,
  loadWycheproof,
  type AeadGroup,
  type EddsaGroup,
  type HkdfGroup,
  type MacGroup,
  type MlKemGroup,
  type WycheproofCase,
  type XdhGroup,
} from '../vectors/wycheproof.js';
import { BACKENDS, hex, suites } from './suites.js';

/** The CryptoError code `fn` throws, or undefined when it returns. */
function errorCode(fn: () => unknown): CryptoErrorCode | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    if (error instanceof CryptoError) return error.code;
    throw error;
  }
}

const label = (file: string, t: WycheproofCase): string => `${file} tcId ${t.tcId} (${t.result}${t.comment ? `: ${t.comment}` : ''})`;

describeWycheproof('Wycheproof', () => {
  for (const backend of BACKENDS) {
    const c = suites[backend];

    it(`x25519_test.json on ${backend}`, () => {
      const file = loadWycheproof<XdhGroup>('x25519_test.json');
      let ran = 0;
      for (const group of file.testGroups) {
        expect(group.curve).toBe('curve25519');
        for (const t of group.tests) {
          ran++;
          const name = label('x25519', t);
          const shared = hex(t.shared);
          const result = (): Uint8Array => c.x25519(hex(t.private), hex(t.public));
          if (t.result === 'invalid') {
            expect(errorCode(result), name).toBeDefined();
          } else if (isAllZero(shared)) {
            // Decision for 'acceptable' low-order peer keys (flag ZeroSharedSecret): the all-zero
            // secret is refused, as RFC 7748 §6.1 allows and Sealpost requires.
            expect(t.flags, name).toContain('ZeroSharedSecret');
            expect(errorCode(result), name).toBe('CRYPTO_ERR_LOW_ORDER_POINT');
          } else {
            // 'valid', and the 'acceptable' twist, non-canonical and special-form public keys
            // with a non-zero secret: computed exactly as RFC 7748 §5 defines (high bit masked,
            // u reduced mod p), which is what §7 recommends.
            expect(result(), name).toEqual(shared);
          }
        }
      }
      expect(ran).toBe(file.numberOfTests);
    });

    it(`ed25519_test.json on ${backend}`, () => {
      const file = loadWycheproof<EddsaGroup>('ed25519_test.json');
      let ran = 0;
      for (const group of file.testGroups) {
        const pk = hex(group.publicKey.pk);
        for (const t of group.tests) {
          ran++;
          // No 'acceptable' cases exist; if one appears it must be decided here, so it fails.
          expect(t.result, label('ed25519', t)).not.toBe('acceptable');
          expect(c.ed25519Verify(hex(t.sig), hex(t.msg), pk), label('ed25519', t)).toBe(t.result === 'valid');
        }
      }
      expect(ran).toBe(file.numberOfTests);
    });

    for (const [fileName, kind] of [
      ['chacha20_poly1305_test.json', 'chacha20poly1305'],
      ['xchacha20_poly1305_test.json', 'xchacha20poly1305'],
    ] as const) {
      it(`${fileName} on ${backend}`, () => {
        const file = loadWycheproof<AeadGroup>(fileName);
        const encrypt = c[`${kind}Encrypt`];
        const decrypt = c[`${kind}Decrypt`];
        let ran = 0;
        for (const group of file.testGroups) {
          for (const t of group.tests) {
            ran++;
            const name = label(fileName, t);
            const [key, iv, aad, msg] = [hex(t.key), hex(t.iv), hex(t.aad), hex(t.msg)];
            const sealed = concatBytes(hex(t.ct), hex(t.tag));
            expect(t.result, name).not.toBe('acceptable');
            if (t.result === 'valid') {
              expect(encrypt(key, iv, msg, aad), name).toEqual(sealed);
              expect(decrypt(key, iv, sealed, aad), name).toEqual(msg);
            } else if (t.flags?.includes('InvalidNonceSize')) {
              // RFC 8439 §2.8 fixes the nonce at 96 bits (XChaCha: 192); other sizes are refused
              // as inputs, on both directions.
              expect(errorCode(() => encrypt(key, iv, msg, aad)), name).toBe('CRYPTO_ERR_INVALID_LENGTH');
              expect(errorCode(() => decrypt(key, iv, sealed, aad)), name).toBe('CRYPTO_ERR_INVALID_LENGTH');
            } else {
              expect(errorCode(() => decrypt(key, iv, sealed, aad)), name).toBe('CRYPTO_ERR_DECRYPT_FAILED');
            }
          }
        }
        expect(ran).toBe(file.numberOfTests);
      });
    }

    it(`hkdf_sha256_test.json on ${backend}`, () => {
      const file = loadWycheproof<HkdfGroup>('hkdf_sha256_test.json');
      let ran = 0;
      for (const group of file.testGroups) {
        for (const t of group.tests) {
          ran++;
          const name = label('hkdf', t);
          const derive = (): Uint8Array => c.hkdfSha256(hex(t.ikm), hex(t.salt), hex(t.info), t.size);
          expect(t.result, name).not.toBe('acceptable');
          if (t.result === 'valid') expect(derive(), name).toEqual(hex(t.okm));
          // The invalid cases ask for more than 255 * HashLen bytes (RFC 5869 §2.3).
          else expect(errorCode(derive), name).toBe('CRYPTO_ERR_INVALID_LENGTH');
        }
      }
      expect(ran).toBe(file.numberOfTests);
    });

    it(`hmac_sha256_test.json on ${backend}`, () => {
      const file = loadWycheproof<MacGroup>('hmac_sha256_test.json');
      let ran = 0;
      for (const group of file.testGroups) {
        for (const t of group.tests) {
          ran++;
          const name = label('hmac', t);
          // Groups with tagSize 128 compare the truncated tag (RFC 2104 §5).
          const mac = c.hmacSha256(hex(t.key), hex(t.msg)).subarray(0, group.tagSize / 8);
          expect(t.result, name).not.toBe('acceptable');
          expect(constantTimeEqual(mac, hex(t.tag)), name).toBe(t.result === 'valid');
        }
      }
      expect(ran).toBe(file.numberOfTests);
    });

    it(`mlkem_1024_test.json on ${backend}`, () => {
      // The file holds decapsulation tests: a key-generation seed (d || z), the expected
      // encapsulation key, a ciphertext and the shared secret K, which is the real one or the
      // implicit-rejection value (FIPS 203 §6.3) for modified, random and "strcmp" ciphertexts.
      // Invalid cases are malformed inputs: seeds ("private keys") and ciphertexts of the wrong
      // size. Encapsulation with a given m has no vectors here; mlkem.test.ts and the
      // cross-check cover it.
      const file = loadWycheproof<MlKemGroup>('mlkem_1024_test.json');
      let ran = 0;
      for (const group of file.testGroups) {
        expect(group.parameterSet).toBe('ML-KEM-1024');
        for (const t of group.tests) {
          ran++;
          const name = label('mlkem', t);
          expect(t.result, name).not.toBe('acceptable');
          const seed = hex(t.seed);
          const c0 = hex(t.c);
          const keygen = errorCode(() => c.mlkem1024KeyPair(seed));
          if (keygen !== undefined) {
            // FIPS 203 §7.1: the seed is exactly 64 bytes.
            expect(t.result, name).toBe('invalid');
            expect(keygen, name).toBe('CRYPTO_ERR_INVALID_LENGTH');
            continue;
          }
          const { publicKey, secretKey } = c.mlkem1024KeyPair(seed);
          if (t.ek !== undefined) expect(publicKey, name).toEqual(hex(t.ek));
          if (t.result === 'valid') {
            expect(c.mlkem1024Decapsulate(c0, secretKey), name).toEqual(hex(t.K));
          } else {
            // FIPS 203 §7.3 input check 1: the ciphertext has the wrong size.
            expect(errorCode(() => c.mlkem1024Decapsulate(c0, secretKey)), name).toBe('CRYPTO_ERR_INVALID_LENGTH');
          }
        }
      }
      expect(ran).toBe(file.numberOfTests);
    });
  }
});
