import { beforeAll, describe, expect, it } from 'vitest';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { createLastResortKemPrekey, createOneTimePrekeys, createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { ByteWriter } from '../../src/public/bytes-io.js';
import { KEY_TYPE, encodePublicKey } from '../../src/public/keys.js';
import { decodeOneTimePrekey, encodeOneTimePrekey, encodeSignedPrekeyBody, verifySignedPrekey } from '../../src/public/prekeys.js';
import { SIGNATURE_CONTEXT } from '../../src/public/signature.js';
import { STRUCTURE_TYPE } from '../../src/public/structure.js';
import { expectCode, expectCryptoError, flip, seededRandom, setByte, signBody } from './fixtures.js';

// Documented layouts. Signed: 0x01 || 0x12 || key id (4) || flags (1) || typed key || signature (64).
// One-time: 0x01 || 0x13 || key id (4) || typed X25519 key (33).
const AT = { version: 0, type: 1, keyId: 2, flags: 6, keyType: 7, key: 8 };
const X25519_SIGNED_BYTES = 8 + 32 + 64;
const KEM_SIGNED_BYTES = 8 + 1568 + 64;

let suite: CryptoSuite;
let device: DeviceKeys;
let otherDevice: DeviceKeys;
let spk: Uint8Array;
let kem: Uint8Array;
let lastResort: Uint8Array;
let opk: Uint8Array;

/** A signed prekey body in the documented layout with arbitrary flags and key type, unchecked. */
function rawSignedBody(flags: number, keyType: number, rawKey: Uint8Array): Uint8Array {
  return new ByteWriter().u8(1).u8(STRUCTURE_TYPE.SIGNED_PREKEY).u32(3).u8(flags).u8(keyType).raw(rawKey).finish();
}

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('public-prekeys') });
  device = createDeviceKeys(suite);
  otherDevice = createDeviceKeys(suite);
  spk = createSignedX25519Prekey(suite, device, 11).upload;
  kem = createSignedKemPrekeys(suite, device, 20, 1)[0]!.upload;
  lastResort = createLastResortKemPrekey(suite, device, 99).upload;
  opk = createOneTimePrekeys(suite, 40, 1)[0]!.upload;
});

describe('signed prekeys', () => {
  it('round-trip X25519, one-time ML-KEM and last-resort ML-KEM keys', () => {
    expect(spk.length).toBe(X25519_SIGNED_BYTES);
    expect(kem.length).toBe(KEM_SIGNED_BYTES);
    const s = verifySignedPrekey(spk, device.signingKey);
    expect([s.kind, s.keyId, s.lastResort, s.publicKey.length]).toEqual(['x25519', 11, false, 32]);
    expect(s.bytes).toEqual(spk);
    expect(encodeSignedPrekeyBody(s)).toEqual(spk.subarray(0, X25519_SIGNED_BYTES - 64));
    const k = verifySignedPrekey(kem, device.signingKey);
    expect([k.kind, k.keyId, k.lastResort, k.publicKey.length]).toEqual(['mlkem1024', 20, false, 1568]);
    const l = verifySignedPrekey(lastResort, device.signingKey);
    expect([l.kind, l.keyId, l.lastResort]).toEqual(['mlkem1024', 99, true]);
    expect(lastResort[AT.flags]).toBe(1);
    expect(kem[AT.flags]).toBe(0);
  });

  it('refuses a prekey signed by another device', () => {
    expectCode(() => verifySignedPrekey(spk, otherDevice.signingKey), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifySignedPrekey(kem, otherDevice.signingKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it.each([
    ['version', AT.version, 'CRYPTO_ERR_UNSUPPORTED_VERSION'],
    ['structure type', AT.type, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['key id', AT.keyId + 3, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['key type', AT.keyType, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['public key', AT.key + 31, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['signature', X25519_SIGNED_BYTES - 1, 'CRYPTO_ERR_BAD_SIGNATURE'],
  ] as const)('tampered %s is refused with %s', (_field, offset, code) => {
    expectCode(() => verifySignedPrekey(flip(spk, offset), device.signingKey), code);
  });

  it('refuses the last-resort flag on an X25519 key (encoder and decoder)', () => {
    expectCode(() => encodeSignedPrekeyBody({ kind: 'x25519', keyId: 1, publicKey: new Uint8Array(32), lastResort: true }), 'CRYPTO_ERR_INVALID_ENCODING');
    // Flipping the flag without re-signing, and a validly signed body that carries it.
    expectCode(() => verifySignedPrekey(setByte(spk, AT.flags, 1), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    const signed = signBody(suite, device.signingSeed, SIGNATURE_CONTEXT.SIGNED_PREKEY, rawSignedBody(1, KEY_TYPE.X25519, new Uint8Array(32).fill(9)));
    expectCode(() => verifySignedPrekey(signed, device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    const control = signBody(suite, device.signingSeed, SIGNATURE_CONTEXT.SIGNED_PREKEY, rawSignedBody(0, KEY_TYPE.X25519, new Uint8Array(32).fill(9)));
    expect(verifySignedPrekey(control, device.signingKey).keyId).toBe(3);
  });

  it('refuses unknown flags and keys of types that are never prekeys, even when signed', () => {
    const sign = (body: Uint8Array) => signBody(suite, device.signingSeed, SIGNATURE_CONTEXT.SIGNED_PREKEY, body);
    expectCode(() => verifySignedPrekey(sign(rawSignedBody(2, KEY_TYPE.X25519, new Uint8Array(32))), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifySignedPrekey(sign(rawSignedBody(0, KEY_TYPE.ACCOUNT_ED25519, new Uint8Array(32))), device.signingKey), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifySignedPrekey(sign(rawSignedBody(0, KEY_TYPE.DEVICE_ED25519, new Uint8Array(32))), device.signingKey), 'CRYPTO_ERR_WRONG_KEY_TYPE');
  });

  it('an X25519 key relabelled as ML-KEM (or back) does not parse', () => {
    expectCode(() => verifySignedPrekey(setByte(spk, AT.keyType, KEY_TYPE.MLKEM1024), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifySignedPrekey(setByte(kem, AT.keyType, KEY_TYPE.X25519), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('any single flipped byte is refused', () => {
    for (let i = 0; i < spk.length; i++) expectCryptoError(() => verifySignedPrekey(flip(spk, i, 0x10), device.signingKey));
  });

  it('refuses every truncation and trailing bytes', () => {
    for (let n = 0; n < spk.length; n++) expectCode(() => verifySignedPrekey(spk.subarray(0, n), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    for (const n of [0, 7, 8, 1575, 1576, KEM_SIGNED_BYTES - 1]) expectCode(() => verifySignedPrekey(kem.subarray(0, n), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifySignedPrekey(Uint8Array.of(...spk, 0), device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses a prekey body signed under another context (e.g. a relay auth answer)', () => {
    const body = spk.subarray(0, X25519_SIGNED_BYTES - 64);
    for (const context of [SIGNATURE_CONTEXT.RELAY_AUTH, SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, SIGNATURE_CONTEXT.DEVICE_LIST]) {
      expectCode(() => verifySignedPrekey(signBody(suite, device.signingSeed, context, body), device.signingKey), 'CRYPTO_ERR_BAD_SIGNATURE');
    }
  });
});

describe('one-time prekeys', () => {
  it('round-trip', () => {
    expect(opk.length).toBe(39);
    const o = decodeOneTimePrekey(opk);
    expect(o.keyId).toBe(40);
    expect(encodeOneTimePrekey(o.keyId, o.publicKey)).toEqual(opk);
    expect(o.bytes).toEqual(opk);
  });

  it('refuses a changed version, structure type or key type, truncation and trailing bytes', () => {
    expectCode(() => decodeOneTimePrekey(setByte(opk, 0, 2)), 'CRYPTO_ERR_UNSUPPORTED_VERSION');
    expectCode(() => decodeOneTimePrekey(setByte(opk, 1, STRUCTURE_TYPE.SIGNED_PREKEY)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => decodeOneTimePrekey(setByte(opk, 6, KEY_TYPE.DEVICE_ED25519)), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    for (let n = 0; n < opk.length; n++) expectCode(() => decodeOneTimePrekey(opk.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => decodeOneTimePrekey(Uint8Array.of(...opk, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('signed and one-time prekeys are never read as each other', () => {
    expectCode(() => decodeOneTimePrekey(spk), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifySignedPrekey(opk, device.signingKey), 'CRYPTO_ERR_INVALID_ENCODING');
    const asOneTime = new ByteWriter().u8(1).u8(STRUCTURE_TYPE.ONE_TIME_PREKEY).u32(1).raw(encodePublicKey(KEY_TYPE.MLKEM1024, new Uint8Array(1568))).finish();
    expectCode(() => decodeOneTimePrekey(asOneTime), 'CRYPTO_ERR_WRONG_KEY_TYPE');
  });
});
