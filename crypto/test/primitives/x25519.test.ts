// X25519 (RFC 7748) through the facade, on every backend choice: the RFC's own vectors, the §6.1
// all-zero check and the input checks. Wycheproof x25519_test.json runs in wycheproof.test.ts.
import { describe, expect, it } from 'vitest';
import { CHOICES, expectCode, hex, suites } from './suites.js';

// RFC 7748 §5.2, the two single-step test vectors (scalar, u-coordinate, output).
const RFC7748_5_2 = [
  {
    scalar: 'a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4',
    u: 'e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c',
    out: 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552',
  },
  {
    scalar: '4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d',
    u: 'e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493',
    out: '95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957',
  },
];

// RFC 7748 §5.2, the iterated test: k = u = 9, then (k, u) = (X25519(k, u), k); the results after
// 1 and 1,000 iterations (the 1,000,000 one is too slow for a unit test).
const RFC7748_5_2_ITERATED = {
  1: '422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079',
  1000: '684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51',
};

// RFC 7748 §6.1 Diffie-Hellman example.
const RFC7748_6_1 = {
  alicePrivate: '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a',
  alicePublic: '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
  bobPrivate: '5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb',
  bobPublic: 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f',
  shared: '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742',
};

describe.each(CHOICES)('X25519 on %s', (choice) => {
  const c = suites[choice];

  it('matches RFC 7748 §5.2 single-step vectors', () => {
    for (const v of RFC7748_5_2) expect(c.x25519(hex(v.scalar), hex(v.u))).toEqual(hex(v.out));
  });

  it('matches RFC 7748 §5.2 iterated vectors (1 and 1,000 iterations)', () => {
    let k: Uint8Array = new Uint8Array(32);
    k[0] = 9;
    let u: Uint8Array = k.slice();
    for (let i = 1; i <= 1000; i++) {
      const next = c.x25519(k, u);
      u = k;
      k = next;
      if (i === 1) expect(k).toEqual(hex(RFC7748_5_2_ITERATED[1]));
    }
    expect(k).toEqual(hex(RFC7748_5_2_ITERATED[1000]));
  });

  it('matches the RFC 7748 §6.1 key agreement both ways', () => {
    const v = RFC7748_6_1;
    expect(c.x25519PublicKey(hex(v.alicePrivate))).toEqual(hex(v.alicePublic));
    expect(c.x25519PublicKey(hex(v.bobPrivate))).toEqual(hex(v.bobPublic));
    expect(c.x25519(hex(v.alicePrivate), hex(v.bobPublic))).toEqual(hex(v.shared));
    expect(c.x25519(hex(v.bobPrivate), hex(v.alicePublic))).toEqual(hex(v.shared));
  });

  it('rejects low-order peer keys that give an all-zero secret (RFC 7748 §6.1)', () => {
    const sk = hex(RFC7748_6_1.alicePrivate);
    // u = 0 and u = 1 are points of order 1 and 4; u = p (non-canonical 0) reduces to 0.
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
      // A point of order 8 (listed in the Curve25519 low-order blacklist of libsodium and others).
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    ];
    for (const u of lowOrder) expectCode(() => c.x25519(sk, hex(u)), 'CRYPTO_ERR_LOW_ORDER_POINT', u);
  });

  it('checks input lengths', () => {
    const k = hex(RFC7748_6_1.alicePrivate);
    expectCode(() => c.x25519(k.subarray(0, 31), k), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.x25519(k, new Uint8Array(33)), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.x25519PublicKey(new Uint8Array(0)), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
