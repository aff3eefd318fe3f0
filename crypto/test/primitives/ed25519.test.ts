// Ed25519 (RFC 8032) through the facade, on every backend choice: the RFC §7.1 vectors, strict
// verification (non-canonical S, wrong sizes) and input checks. Wycheproof ed25519_test.json runs
// in wycheproof.test.ts.
import { describe, expect, it } from 'vitest';
import { CHOICES, expectCode, hex, suites } from './suites.js';

// RFC 8032 §7.1: TEST 1, TEST 2, TEST 3 and TEST SHA(abc) (secret key = 32-byte seed).
const RFC8032_7_1 = [
  {
    name: 'TEST 1',
    secret: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    public: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    message: '',
    signature: 'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
  },
  {
    name: 'TEST 2',
    secret: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    public: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    message: '72',
    signature: '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00',
  },
  {
    name: 'TEST 3',
    secret: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    public: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    message: 'af82',
    signature: '6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a',
  },
  {
    name: 'TEST SHA(abc)',
    secret: '833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42',
    public: 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf',
    message: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f',
    signature: 'dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704',
  },
];

// The group order L (RFC 8032 §5.1), little-endian, to build a non-canonical S' = S + L.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

function addLToS(signature: Uint8Array): Uint8Array {
  let s = 0n;
  for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(signature[i] as number);
  s += L;
  const out = signature.slice();
  for (let i = 32; i < 64; i++) {
    out[i] = Number(s & 0xffn);
    s >>= 8n;
  }
  // S + L < 2^256 for any canonical S, so the encoding stays 32 bytes and only the S < L check
  // can tell it apart.
  if (s !== 0n) throw new Error('S + L overflowed 256 bits');
  return out;
}

describe.each(CHOICES)('Ed25519 on %s', (choice) => {
  const c = suites[choice];

  it.each(RFC8032_7_1)('matches RFC 8032 §7.1 $name: public key, signature, verification', (v) => {
    expect(c.ed25519PublicKey(hex(v.secret))).toEqual(hex(v.public));
    expect(c.ed25519Sign(hex(v.secret), hex(v.message))).toEqual(hex(v.signature));
    expect(c.ed25519Verify(hex(v.signature), hex(v.message), hex(v.public))).toBe(true);
  });

  it('rejects a changed message, signature or key', () => {
    const v = RFC8032_7_1[2]!;
    const sig = hex(v.signature);
    const msg = hex(v.message);
    const pk = hex(v.public);
    expect(c.ed25519Verify(sig, hex('af83'), pk)).toBe(false);
    const badSig = sig.slice();
    badSig[10] = (badSig[10] as number) ^ 0x01;
    expect(c.ed25519Verify(badSig, msg, pk)).toBe(false);
    expect(c.ed25519Verify(sig, msg, hex(RFC8032_7_1[0]!.public))).toBe(false);
  });

  it('is strict: S + L (non-canonical S) is refused (RFC 8032 §5.1.7, S < L)', () => {
    for (const v of RFC8032_7_1) {
      const malleated = addLToS(hex(v.signature));
      expect(malleated.subarray(32)).not.toEqual(hex(v.signature).subarray(32));
      expect(c.ed25519Verify(malleated, hex(v.message), hex(v.public))).toBe(false);
    }
  });

  it('returns false for wrong-sized signatures or keys and throws for a wrong-sized seed', () => {
    const v = RFC8032_7_1[0]!;
    const sig = hex(v.signature);
    const pk = hex(v.public);
    expect(c.ed25519Verify(sig.subarray(0, 63), new Uint8Array(), pk)).toBe(false);
    expect(c.ed25519Verify(new Uint8Array([...sig, 0]), new Uint8Array(), pk)).toBe(false);
    expect(c.ed25519Verify(sig, new Uint8Array(), pk.subarray(0, 31))).toBe(false);
    expectCode(() => c.ed25519Sign(new Uint8Array(31), new Uint8Array()), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => c.ed25519PublicKey(new Uint8Array(64)), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
