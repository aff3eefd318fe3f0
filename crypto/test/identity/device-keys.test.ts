import { beforeAll, describe, expect, it } from 'vitest';
import { encodeAccountSecret } from '../../src/identity/account.js';
import { createDeviceKeys, decodeDeviceKeys, encodeDeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { expectCode, seededRandom, setByte } from '../public/fixtures.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('device-keys') });
});

describe('device keys', () => {
  it('pair an Ed25519 signing key with an X25519 identity DH key', () => {
    const d = createDeviceKeys(suite);
    expect(d.signingKey).toEqual(suite.ed25519PublicKey(d.signingSeed));
    expect(d.identityDhKey).toEqual(suite.x25519PublicKey(d.identityDhSecret));
    const sig = suite.ed25519Sign(d.signingSeed, Uint8Array.of(1));
    expect(suite.ed25519Verify(sig, Uint8Array.of(1), d.signingKey)).toBe(true);
    const peer = createDeviceKeys(suite);
    expect(suite.x25519(d.identityDhSecret, peer.identityDhKey)).toEqual(suite.x25519(peer.identityDhSecret, d.identityDhKey));
    expect(d.signingSeed).not.toEqual(d.identityDhSecret);
  });

  it('round-trip through the secret record (0x01 || 0x21 || signing seed || DH secret)', () => {
    const d = createDeviceKeys(suite);
    const record = encodeDeviceKeys(d);
    expect(record.length).toBe(66);
    expect(Array.from(record.subarray(0, 2))).toEqual([0x01, 0x21]);
    expect(record.subarray(2, 34)).toEqual(d.signingSeed);
    expect(record.subarray(34)).toEqual(d.identityDhSecret);
    expect(decodeDeviceKeys(suite, record)).toEqual(d);
  });

  it('the decoder is strict', () => {
    const record = encodeDeviceKeys(createDeviceKeys(suite));
    expectCode(() => decodeDeviceKeys(suite, setByte(record, 0, 0)), 'CRYPTO_ERR_UNSUPPORTED_VERSION');
    expectCode(() => decodeDeviceKeys(suite, setByte(record, 1, 0x20)), 'CRYPTO_ERR_INVALID_ENCODING');
    for (let n = 0; n < record.length; n++) expectCode(() => decodeDeviceKeys(suite, record.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => decodeDeviceKeys(suite, Uint8Array.of(...record, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => decodeDeviceKeys(suite, encodeAccountSecret({ accountSeed: new Uint8Array(32) })), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('the encoder refuses secrets of the wrong length', () => {
    expectCode(() => encodeDeviceKeys({ signingSeed: new Uint8Array(32), identityDhSecret: new Uint8Array(16) }), 'CRYPTO_ERR_INVALID_LENGTH');
    expectCode(() => encodeDeviceKeys({ signingSeed: new Uint8Array(33), identityDhSecret: new Uint8Array(32) }), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
