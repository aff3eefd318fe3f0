import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, decodeAccountSecret, encodeAccountSecret } from '../../src/identity/account.js';
import { encodeDeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { accountIdFromAccountKey, isAccountId } from '../../src/public/account-id.js';
import { expectCode, seededRandom, setByte } from '../public/fixtures.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('account') });
});

describe('account identities', () => {
  it('derive the public key and the account id from a random seed', () => {
    const a = createAccountIdentity(suite);
    expect(a.accountSeed.length).toBe(32);
    expect(a.accountKey).toEqual(suite.ed25519PublicKey(a.accountSeed));
    expect(a.accountId).toBe(accountIdFromAccountKey(a.accountKey));
    expect(isAccountId(a.accountId)).toBe(true);
    const b = createAccountIdentity(suite);
    expect(b.accountKey).not.toEqual(a.accountKey);
    expect(b.accountId).not.toBe(a.accountId);
  });

  it('take their randomness from the suite only (same seed source, same account)', async () => {
    const one = createAccountIdentity(await loadCrypto({ random: seededRandom('same') }));
    const two = createAccountIdentity(await loadCrypto({ random: seededRandom('same') }));
    const three = createAccountIdentity(await loadCrypto({ random: seededRandom('different') }));
    expect(two).toEqual(one);
    expect(three.accountKey).not.toEqual(one.accountKey);
  });

  it('round-trip through the secret record (0x01 || 0x20 || seed)', () => {
    const a = createAccountIdentity(suite);
    const record = encodeAccountSecret(a);
    expect(Array.from(record.subarray(0, 2))).toEqual([0x01, 0x20]);
    expect(record.subarray(2)).toEqual(a.accountSeed);
    expect(decodeAccountSecret(suite, record)).toEqual(a);
  });

  it('the decoder is strict', () => {
    const record = encodeAccountSecret(createAccountIdentity(suite));
    expectCode(() => decodeAccountSecret(suite, setByte(record, 0, 2)), 'CRYPTO_ERR_UNSUPPORTED_VERSION');
    expectCode(() => decodeAccountSecret(suite, setByte(record, 1, 0x21)), 'CRYPTO_ERR_INVALID_ENCODING');
    for (let n = 0; n < record.length; n++) expectCode(() => decodeAccountSecret(suite, record.subarray(0, n)), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => decodeAccountSecret(suite, Uint8Array.of(...record, 0)), 'CRYPTO_ERR_INVALID_ENCODING');
    // Another kind of secret record is never read as an account.
    const deviceRecord = encodeDeviceKeys({ signingSeed: new Uint8Array(32), identityDhSecret: new Uint8Array(32) });
    expectCode(() => decodeAccountSecret(suite, deviceRecord), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('the encoder refuses a seed of the wrong length', () => {
    expectCode(() => encodeAccountSecret({ accountSeed: new Uint8Array(31) }), 'CRYPTO_ERR_INVALID_LENGTH');
  });
});
