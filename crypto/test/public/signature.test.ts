import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { SIGNATURE_CONTEXT, signedMessage, verifyEd25519 } from '../../src/public/signature.js';
import { seededRandom } from './fixtures.js';

const CONTEXTS = Object.values(SIGNATURE_CONTEXT);
// Ed25519 group order L, little-endian, for building a non-canonical S.
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('signature') });
});

describe('signature contexts', () => {
  it('are distinct, free of NUL and none is a prefix of another', () => {
    expect(new Set(CONTEXTS).size).toBe(CONTEXTS.length);
    for (const a of CONTEXTS) {
      expect(a.includes('\0')).toBe(false);
      for (const b of CONTEXTS) if (a !== b) expect(b.startsWith(a)).toBe(false);
    }
  });

  it('the signed message is context || 0x00 || body', () => {
    const body = Uint8Array.of(1, 2, 3);
    const msg = signedMessage(SIGNATURE_CONTEXT.DEVICE_LIST, body);
    expect(Buffer.from(msg).toString('latin1')).toBe('Sealpost device list v1\0\x01\x02\x03');
  });

  it('a signature made under one context never verifies under another', () => {
    const seed = suite.randomBytes(32);
    const pub = suite.ed25519PublicKey(seed);
    const body = suite.randomBytes(40);
    for (const signedUnder of CONTEXTS) {
      const sig = suite.ed25519Sign(seed, signedMessage(signedUnder, body));
      for (const checkedUnder of CONTEXTS) {
        expect(verifyEd25519(sig, signedMessage(checkedUnder, body), pub), `${signedUnder} as ${checkedUnder}`).toBe(signedUnder === checkedUnder);
      }
    }
  });
});

describe('verifyEd25519 (strict RFC 8032)', () => {
  it('returns false, never throws, for malformed input', () => {
    const seed = suite.randomBytes(32);
    const pub = suite.ed25519PublicKey(seed);
    const sig = suite.ed25519Sign(seed, Uint8Array.of(7));
    expect(verifyEd25519(sig, Uint8Array.of(7), pub)).toBe(true);
    expect(verifyEd25519(sig.subarray(0, 63), Uint8Array.of(7), pub)).toBe(false);
    expect(verifyEd25519(sig, Uint8Array.of(7), pub.subarray(0, 31))).toBe(false);
    expect(verifyEd25519(sig, Uint8Array.of(7), new Uint8Array(32).fill(0xff))).toBe(false);
  });

  it('refuses a non-canonical S (S + L)', () => {
    const seed = suite.randomBytes(32);
    const pub = suite.ed25519PublicKey(seed);
    const sig = suite.ed25519Sign(seed, Uint8Array.of(8));
    let s = 0n;
    for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i] as number);
    s += L;
    const forged = sig.slice();
    for (let i = 0; i < 32; i++) forged[32 + i] = Number((s >> BigInt(8 * i)) & 0xffn);
    expect(s < 2n ** 256n).toBe(true);
    expect(verifyEd25519(forged, Uint8Array.of(8), pub)).toBe(false);
  });

  it('refuses the small-order identity key that verifies anything under ZIP-215', () => {
    const identity = new Uint8Array(32);
    identity[0] = 1;
    const sig = new Uint8Array(64);
    sig[0] = 1; // R = identity, S = 0: [0]B == R + [k]A holds for every message
    expect(verifyEd25519(sig, signedMessage(SIGNATURE_CONTEXT.DEVICE_LIST, Uint8Array.of(1)), identity)).toBe(false);
  });
});
