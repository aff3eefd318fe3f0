// ChaCha20-Poly1305 (RFC 8439) and XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha-03) through the
// facade, on every backend choice: the published vectors, verify-then-decrypt and input checks.
// Wycheproof (x)chacha20_poly1305_test.json run in wycheproof.test.ts.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/primitives/bytes.js';
import { ascii, CHOICES, expectCode, hex, range, suites } from './suites.js';

const SUNSCREEN = ascii(
  "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.",
);
const KEY = range(0x80, 32);
const AAD = hex('50515253c0c1c2c3c4c5c6c7');

// RFC 8439 §2.8.2, Example and Test Vector for AEAD_CHACHA20_POLY1305.
const RFC8439_2_8_2 = {
  nonce: hex('070000004041424344454647'),
  ciphertext: hex(
    'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b' +
      '1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
      '3ff4def08e4b7a9de576d26586cec64b6116',
  ),
  tag: hex('1ae10b594f09e26a7e902ecbd0600691'),
};

// draft-irtf-cfrg-xchacha-03 §A.3.1, Example and Test Vector for AEAD_XCHACHA20_POLY1305.
const XCHACHA_A_3_1 = {
  nonce: hex('404142434445464748494a4b4c4d4e4f5051525354555657'),
  ciphertext: hex(
    'bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb731c7f1b0b4aa6440bf3a82f4eda7e39' +
      'ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9' +
      '21f9664c97637da9768812f615c68b13b52e',
  ),
  tag: hex('c0875924c1c7987947deafd8780acf49'),
};

describe.each(CHOICES)('AEADs on %s', (choice) => {
  const c = suites[choice];

  it('ChaCha20-Poly1305 matches RFC 8439 §2.8.2', () => {
    const v = RFC8439_2_8_2;
    const sealed = concatBytes(v.ciphertext, v.tag);
    expect(c.chacha20poly1305Encrypt(KEY, v.nonce, SUNSCREEN, AAD)).toEqual(sealed);
    expect(c.chacha20poly1305Decrypt(KEY, v.nonce, sealed, AAD)).toEqual(SUNSCREEN);
  });

  it('XChaCha20-Poly1305 matches draft-irtf-cfrg-xchacha-03 §A.3.1', () => {
    const v = XCHACHA_A_3_1;
    const sealed = concatBytes(v.ciphertext, v.tag);
    expect(c.xchacha20poly1305Encrypt(KEY, v.nonce, SUNSCREEN, AAD)).toEqual(sealed);
    expect(c.xchacha20poly1305Decrypt(KEY, v.nonce, sealed, AAD)).toEqual(SUNSCREEN);
  });

  it('authenticates before releasing anything: a changed ciphertext, tag, AAD, key or nonce fails', () => {
    const v = XCHACHA_A_3_1;
    const sealed = concatBytes(v.ciphertext, v.tag);
    const fail = (k: Uint8Array, n: Uint8Array, ct: Uint8Array, aad: Uint8Array, label: string): void =>
      expectCode(() => c.xchacha20poly1305Decrypt(k, n, ct, aad), 'CRYPTO_ERR_DECRYPT_FAILED', label);
    const flip = (bytes: Uint8Array, index: number): Uint8Array => {
      const out = bytes.slice();
      out[index] = (out[index] as number) ^ 0x80;
      return out;
    };
    fail(KEY, v.nonce, flip(sealed, 0), AAD, 'ciphertext');
    fail(KEY, v.nonce, flip(sealed, sealed.length - 1), AAD, 'tag');
    fail(KEY, v.nonce, sealed, flip(AAD, 3), 'aad');
    fail(KEY, v.nonce, sealed, new Uint8Array(), 'missing aad');
    fail(flip(KEY, 31), v.nonce, sealed, AAD, 'key');
    fail(KEY, flip(v.nonce, 23), sealed, AAD, 'nonce');
    fail(KEY, v.nonce, sealed.subarray(0, 15), AAD, 'shorter than the tag');
    fail(KEY, v.nonce, sealed.subarray(0, sealed.length - 1), AAD, 'truncated');
    const cSealed = concatBytes(RFC8439_2_8_2.ciphertext, RFC8439_2_8_2.tag);
    expectCode(() => c.chacha20poly1305Decrypt(KEY, RFC8439_2_8_2.nonce, flip(cSealed, 5), AAD), 'CRYPTO_ERR_DECRYPT_FAILED');
  });

  it('seals and opens an empty plaintext (tag only)', () => {
    const nonce = range(1, 24);
    const sealed = c.xchacha20poly1305Encrypt(KEY, nonce, new Uint8Array(), AAD);
    expect(sealed.length).toBe(16);
    expect(c.xchacha20poly1305Decrypt(KEY, nonce, sealed, AAD)).toEqual(new Uint8Array());
  });

  it('checks key and nonce sizes', () => {
    const pt = new Uint8Array(3);
    expectCode(() => c.xchacha20poly1305Encrypt(KEY.subarray(1), range(0, 24), pt, AAD), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.xchacha20poly1305Encrypt(KEY, range(0, 12), pt, AAD), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.xchacha20poly1305Decrypt(KEY, range(0, 23), new Uint8Array(16), AAD), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.chacha20poly1305Encrypt(KEY, range(0, 24), pt, AAD), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.chacha20poly1305Decrypt(new Uint8Array(33), range(0, 12), new Uint8Array(16), AAD), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
