// SHA-256/512 (FIPS 180-4), HMAC-SHA-256 (RFC 4231) and HKDF-SHA-256 (RFC 5869) through the
// facade, on every backend choice. Wycheproof hmac_sha256_test.json and hkdf_sha256_test.json run
// in wycheproof.test.ts.
import { describe, expect, it } from 'vitest';
import { HKDF_SHA256_MAX_LENGTH } from '../../src/primitives/checks.js';
import { ascii, CHOICES, expectCode, hex, range, repeat, suites } from './suites.js';

// FIPS 180-4 examples (NIST CSRC "Example Algorithms": SHA256.pdf, SHA512.pdf).
const SHA_VECTORS = [
  {
    input: ascii('abc'),
    sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    sha512: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
  },
  {
    input: ascii(''),
    sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    sha512: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e',
  },
];
// FIPS 180-4 two-block examples.
const SHA256_TWO_BLOCK = {
  input: ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'),
  digest: '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
};
const SHA512_TWO_BLOCK = {
  input: ascii('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'),
  digest: '8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909',
};

// RFC 4231 §4.2–4.8, HMAC-SHA-256 results. §4.6 (test case 5) is truncated to 128 bits.
const RFC4231 = [
  { section: '4.2', key: repeat(0x0b, 20), data: ascii('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { section: '4.3', key: ascii('Jefe'), data: ascii('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { section: '4.4', key: repeat(0xaa, 20), data: repeat(0xdd, 50), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { section: '4.5', key: range(0x01, 25), data: repeat(0xcd, 50), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { section: '4.6', key: repeat(0x0c, 20), data: ascii('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  { section: '4.7', key: repeat(0xaa, 131), data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  {
    section: '4.8',
    key: repeat(0xaa, 131),
    data: ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

// RFC 5869 Appendix A.1–A.3 (the SHA-256 cases).
const RFC5869 = [
  {
    section: 'A.1',
    ikm: repeat(0x0b, 22),
    salt: range(0x00, 13),
    info: range(0xf0, 10),
    length: 42,
    okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
  },
  {
    section: 'A.2',
    ikm: range(0x00, 80),
    salt: range(0x60, 80),
    info: range(0xb0, 80),
    length: 82,
    okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87',
  },
  {
    section: 'A.3',
    ikm: repeat(0x0b, 22),
    salt: new Uint8Array(),
    info: new Uint8Array(),
    length: 42,
    okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
  },
];

describe.each(CHOICES)('hashes on %s', (choice) => {
  const c = suites[choice];

  it('SHA-256 and SHA-512 match the FIPS 180-4 examples', () => {
    for (const v of SHA_VECTORS) {
      expect(c.sha256(v.input)).toEqual(hex(v.sha256));
      expect(c.sha512(v.input)).toEqual(hex(v.sha512));
    }
    expect(c.sha256(SHA256_TWO_BLOCK.input)).toEqual(hex(SHA256_TWO_BLOCK.digest));
    expect(c.sha512(SHA512_TWO_BLOCK.input)).toEqual(hex(SHA512_TWO_BLOCK.digest));
  });

  it.each(RFC4231)('HMAC-SHA-256 matches RFC 4231 §$section', (v) => {
    const mac = hex(v.mac);
    // §4.6 publishes only the first 128 bits; the others publish the full 256.
    expect(c.hmacSha256(v.key, v.data).subarray(0, mac.length)).toEqual(mac);
    expect(c.hmacSha256(v.key, v.data).length).toBe(32);
  });

  it('HMAC-SHA-256 takes an empty key (zero-padded, RFC 2104 §2) and a 32-byte key alike', () => {
    expect(c.hmacSha256(new Uint8Array(), ascii('x'))).toEqual(c.hmacSha256(new Uint8Array(32), ascii('x')));
    expect(c.hmacSha256(new Uint8Array(32), ascii('x'))).not.toEqual(c.hmacSha256(new Uint8Array(32), ascii('y')));
  });

  it.each(RFC5869)('HKDF-SHA-256 matches RFC 5869 §$section', (v) => {
    expect(c.hkdfSha256(v.ikm, v.salt, v.info, v.length)).toEqual(hex(v.okm));
  });

  it('HKDF-SHA-256 treats an empty salt as HashLen zero bytes (RFC 5869 §2.2)', () => {
    const ikm = range(1, 32);
    expect(c.hkdfSha256(ikm, new Uint8Array(), ascii('info'), 64)).toEqual(c.hkdfSha256(ikm, new Uint8Array(32), ascii('info'), 64));
  });

  it('HKDF-SHA-256 output length is 1..255*32 (RFC 5869 §2.3)', () => {
    const ikm = range(1, 32);
    expect(c.hkdfSha256(ikm, new Uint8Array(), new Uint8Array(), HKDF_SHA256_MAX_LENGTH).length).toBe(8160);
    expect(c.hkdfSha256(ikm, new Uint8Array(), new Uint8Array(), 1).length).toBe(1);
    for (const bad of [0, -1, 8161, 1.5, Number.NaN]) {
      expectCode(() => c.hkdfSha256(ikm, new Uint8Array(), new Uint8Array(), bad), 'CRYPTO_ERR_INVALID_LENGTH', String(bad));
    }
  });

  it('refuses inputs that are not bytes', () => {
    const notBytes = 'abc' as unknown as Uint8Array;
    expectCode(() => c.sha256(notBytes), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.hmacSha256(notBytes, new Uint8Array()), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.hkdfSha256(new Uint8Array(), notBytes, new Uint8Array(), 32), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
