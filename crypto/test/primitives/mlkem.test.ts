// ML-KEM-1024 (FIPS 203) through the facade, on every backend choice: deterministic key generation
// from a seed, encapsulation with caller randomness m, decapsulation with implicit rejection, and
// the §7.2/§7.3 input checks on malformed keys. Wycheproof mlkem_1024_test.json runs in
// wycheproof.test.ts.
import { describe, expect, it } from 'vitest';
import {
  MLKEM1024_CIPHERTEXT_BYTES,
  MLKEM1024_PUBLIC_KEY_BYTES,
  MLKEM1024_SECRET_KEY_BYTES,
} from '../../src/primitives/backend.js';
import { CHOICES, expectCode, range, suites } from './suites.js';

const SEED = range(0x10, 64);
const M = range(0xa0, 32);

describe.each(CHOICES)('ML-KEM-1024 on %s', (choice) => {
  const c = suites[choice];
  const { publicKey, secretKey } = c.mlkem1024KeyPair(SEED);

  it('derives the same key pair from the same seed, with FIPS 203 sizes', () => {
    expect(publicKey.length).toBe(MLKEM1024_PUBLIC_KEY_BYTES);
    expect(secretKey.length).toBe(MLKEM1024_SECRET_KEY_BYTES);
    expect(c.mlkem1024KeyPair(SEED)).toEqual({ publicKey, secretKey });
    expect(c.mlkem1024KeyPair(range(0x11, 64)).publicKey).not.toEqual(publicKey);
  });

  it('encapsulates deterministically under m and decapsulates to the same secret', () => {
    const enc = c.mlkem1024Encapsulate(publicKey, M);
    expect(enc.ciphertext.length).toBe(MLKEM1024_CIPHERTEXT_BYTES);
    expect(enc.sharedSecret.length).toBe(32);
    expect(c.mlkem1024Encapsulate(publicKey, M)).toEqual(enc);
    expect(c.mlkem1024Encapsulate(publicKey, range(0xa1, 32)).sharedSecret).not.toEqual(enc.sharedSecret);
    expect(c.mlkem1024Decapsulate(enc.ciphertext, secretKey)).toEqual(enc.sharedSecret);
  });

  it('implicitly rejects a changed ciphertext: a different secret, no error (FIPS 203 §6.3)', () => {
    const enc = c.mlkem1024Encapsulate(publicKey, M);
    const tampered = enc.ciphertext.slice();
    tampered[100] = (tampered[100] as number) ^ 0x01;
    const rejected = c.mlkem1024Decapsulate(tampered, secretKey);
    expect(rejected.length).toBe(32);
    expect(rejected).not.toEqual(enc.sharedSecret);
    // Implicit rejection is deterministic: K-bar = J(z || c).
    expect(c.mlkem1024Decapsulate(tampered, secretKey)).toEqual(rejected);
  });

  it('refuses an encapsulation key with a coefficient >= q (FIPS 203 §7.2 modulus check)', () => {
    const bad = publicKey.slice();
    // The first 12-bit coefficient becomes 0xfff = 4095 >= q = 3329.
    bad[0] = 0xff;
    bad[1] = (bad[1] as number) | 0x0f;
    expectCode(() => c.mlkem1024Encapsulate(bad, M), 'CRYPTO_ERR_KEM_FAILED');
  });

  it('refuses a decapsulation key whose H(ek) does not match its ek (FIPS 203 §7.3 hash check)', () => {
    const enc = c.mlkem1024Encapsulate(publicKey, M);
    const badHash = secretKey.slice();
    badHash[MLKEM1024_SECRET_KEY_BYTES - 64] = (badHash[MLKEM1024_SECRET_KEY_BYTES - 64] as number) ^ 0x01;
    expectCode(() => c.mlkem1024Decapsulate(enc.ciphertext, badHash), 'CRYPTO_ERR_KEM_FAILED');
    const badEk = secretKey.slice();
    badEk[1536 + 7] = (badEk[1536 + 7] as number) ^ 0x01;
    expectCode(() => c.mlkem1024Decapsulate(enc.ciphertext, badEk), 'CRYPTO_ERR_KEM_FAILED');
  });

  it('checks sizes (FIPS 203 §7.2, §7.3 type checks)', () => {
    const enc = c.mlkem1024Encapsulate(publicKey, M);
    expectCode(() => c.mlkem1024KeyPair(SEED.subarray(0, 32)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.mlkem1024Encapsulate(publicKey.subarray(1), M), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.mlkem1024Encapsulate(publicKey, M.subarray(1)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.mlkem1024Decapsulate(enc.ciphertext.subarray(1), secretKey), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.mlkem1024Decapsulate(enc.ciphertext, secretKey.subarray(1)), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
