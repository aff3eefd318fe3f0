import { beforeAll, describe, expect, it } from 'vitest';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { concatBytes, utf8 } from '../../src/primitives/bytes.js';
import { pqxdhInitiate } from '../../src/pqxdh/initiator.js';
import { pqxdhRespond, recordPqxdhAcceptance } from '../../src/pqxdh/responder.js';
import { PQXDH_INFO_LABEL } from '../../src/pqxdh/constants.js';
import type { PqxdhInitialFields } from '../../src/pqxdh/initial-message.js';
import { bundleFor, codeOf, createTestDevice, flipBit, type TestDevice } from './fixtures.js';

let suite: CryptoSuite;
let alice: TestDevice;
let bob: TestDevice;

beforeAll(async () => {
  suite = await loadCrypto();
  alice = createTestDevice(suite, 'alice-account', 1);
  bob = createTestDevice(suite, 'bob-account', 3);
});

function respond(fields: PqxdhInitialFields, expected?: Uint8Array, device: TestDevice = bob) {
  return pqxdhRespond(suite, {
    local: device.identity,
    peer: alice.identity,
    fields,
    store: device.store,
    ...(expected === undefined ? {} : { expectedPeerIdentityDhKey: expected }),
  });
}

describe('PQXDH handshake', () => {
  it('both sides derive the same SK and AD with a one-time prekey and a one-time KEM key', async () => {
    const bundle = bundleFor(bob);
    const init = pqxdhInitiate(suite, alice.identity, bundle);
    expect(init.fields.oneTimePrekeyId).toBe(bundle.oneTimePrekey?.keyId);
    const resp = await respond(init.fields);
    expect(resp.sharedSecret).toEqual(init.sharedSecret);
    expect(resp.sharedSecret).toHaveLength(32);
    expect(resp.associatedData).toEqual(init.associatedData);
    expect(resp.consumedPrekeys).toEqual({ oneTimePrekeyId: bundle.oneTimePrekey?.keyId, oneTimeKemPrekeyId: bundle.kemPrekey.keyId });
    expect(resp.lastResortReplay).toBeUndefined();
    expect(resp.signedPrekeyPair.publicKey).toEqual(init.remoteSignedPrekey);
  });

  it('works without a one-time prekey, on the last-resort KEM key', async () => {
    const bundle = bundleFor(bob, { oneTime: false, oneTimeKem: false });
    const init = pqxdhInitiate(suite, alice.identity, bundle);
    expect(init.fields.oneTimePrekeyId).toBeUndefined();
    const resp = await respond(init.fields);
    expect(resp.sharedSecret).toEqual(init.sharedSecret);
    expect(resp.consumedPrekeys).toEqual({});
    expect(resp.lastResortReplay?.kemPrekeyId).toBe(bob.lastResortKemId);
  });

  it('computes SK = HKDF(F || DH1 || DH2 || DH3 || DH4 || SS) exactly as PQXDH §3.3 says', async () => {
    const draws: Uint8Array[] = [];
    const base = await loadCrypto();
    const recording: CryptoSuite = { ...base, randomBytes: (n) => { const b = base.randomBytes(n); draws.push(b.slice()); return b; } };
    const bundle = bundleFor(bob);
    const init = pqxdhInitiate(recording, alice.identity, bundle);
    const [ek, m] = draws as [Uint8Array, Uint8Array];
    const spk = bob.store.signed.get(bob.signedPrekeyId)!;
    const opk = bob.store.oneTime.get(bundle.oneTimePrekey!.keyId)!;
    const dh1 = base.x25519(alice.identity.identityDhKeyPair.secretKey, spk.publicKey);
    const dh2 = base.x25519(ek, bob.identity.identityDhKeyPair.publicKey);
    const dh3 = base.x25519(ek, spk.publicKey);
    const dh4 = base.x25519(ek, opk.publicKey);
    const { ciphertext, sharedSecret: ss } = base.mlkem1024Encapsulate(bundle.kemPrekey.publicKey, m);
    expect(init.fields.kemCiphertext).toEqual(ciphertext);
    expect(init.fields.ephemeralKey).toEqual(base.x25519PublicKey(ek));
    const ikm = concatBytes(new Uint8Array(32).fill(0xff), dh1, dh2, dh3, dh4, ss);
    expect(init.sharedSecret).toEqual(base.hkdfSha256(ikm, new Uint8Array(32), utf8(PQXDH_INFO_LABEL), 32));
  });

  it('derives a different secret or AD when any initial-message field is altered', async () => {
    const init = pqxdhInitiate(suite, alice.identity, bundleFor(bob));
    const variants: PqxdhInitialFields[] = [
      { ...init.fields, ephemeralKey: flipBit(init.fields.ephemeralKey, 3) },
      { ...init.fields, kemCiphertext: flipBit(init.fields.kemCiphertext, 1000) },
      { ...init.fields, identityDhKey: flipBit(init.fields.identityDhKey, 9) },
    ];
    for (const fields of variants) {
      const resp = await respond(fields);
      const same = Buffer.from(resp.sharedSecret).equals(init.sharedSecret) && Buffer.from(resp.associatedData).equals(init.associatedData);
      expect(same).toBe(false);
    }
  });

  it('refuses an initiator identity other than the expected one', async () => {
    const init = pqxdhInitiate(suite, alice.identity, bundleFor(bob));
    expect(await codeOf(() => respond(init.fields, bob.identity.identityDhKeyPair.publicKey))).toBe('CRYPTO_ERR_UNTRUSTED_IDENTITY');
    expect(await codeOf(() => respond(init.fields, alice.identity.identityDhKeyPair.publicKey))).toBe('ok');
  });

  it('reports unknown signed, one-time and KEM prekey ids', async () => {
    const init = pqxdhInitiate(suite, alice.identity, bundleFor(bob));
    expect(await codeOf(() => respond({ ...init.fields, signedPrekeyId: 8 }))).toBe('CRYPTO_ERR_UNKNOWN_PREKEY');
    expect(await codeOf(() => respond({ ...init.fields, oneTimePrekeyId: 4242 }))).toBe('CRYPTO_ERR_UNKNOWN_PREKEY');
    expect(await codeOf(() => respond({ ...init.fields, kemPrekeyId: 4242 }))).toBe('CRYPTO_ERR_UNKNOWN_PREKEY');
    expect(await codeOf(() => respond(init.fields))).toBe('ok');
  });

  it('refuses a replayed initial message on the last-resort KEM key once it was recorded', async () => {
    const device = createTestDevice(suite, 'bob-account', 4);
    const init = pqxdhInitiate(suite, alice.identity, bundleFor(device, { oneTime: false, oneTimeKem: false }));
    const first = await respond(init.fields, undefined, device);
    // Nothing is recorded before the caller confirms the first message authenticated.
    expect(device.store.accepted.size).toBe(0);
    expect(await codeOf(() => respond(init.fields, undefined, device))).toBe('ok');
    await recordPqxdhAcceptance(device.store, first);
    expect(await codeOf(() => respond(init.fields, undefined, device))).toBe('CRYPTO_ERR_REPLAYED_PREKEY_MESSAGE');
    // A fresh handshake on the same last-resort key is still accepted.
    const again = pqxdhInitiate(suite, alice.identity, bundleFor(device, { oneTime: false, oneTimeKem: false }));
    expect(await codeOf(() => respond(again.fields, undefined, device))).toBe('ok');
  });

  it('binds the account and device ids of both parties into AD', async () => {
    const init = pqxdhInitiate(suite, alice.identity, bundleFor(bob));
    const resp = await pqxdhRespond(suite, { local: bob.identity, peer: { accountId: 'alice-account', deviceId: 2 }, fields: init.fields, store: bob.store });
    expect(resp.sharedSecret).toEqual(init.sharedSecret);
    expect(resp.associatedData).not.toEqual(init.associatedData);
  });

  it('rejects a low-order prekey in the bundle (RFC 7748 §6.1)', () => {
    const bundle = bundleFor(bob);
    const zero = new Uint8Array(32);
    expect(() => pqxdhInitiate(suite, alice.identity, { ...bundle, signedPrekey: { keyId: 7, publicKey: zero } })).toThrow(
      expect.objectContaining({ code: 'CRYPTO_ERR_LOW_ORDER_POINT' }),
    );
  });

  it('rejects malformed bundles', async () => {
    const bundle = bundleFor(bob);
    const top = bundle.identityDhKey.slice();
    top[31] = (top[31] as number) | 0x80;
    const bad = [
      { ...bundle, identityDhKey: top },
      { ...bundle, kemPrekey: { ...bundle.kemPrekey, publicKey: new Uint8Array(100) } },
      { ...bundle, signedPrekey: { ...bundle.signedPrekey, keyId: -1 } },
      { ...bundle, accountId: '' },
      { ...bundle, deviceId: 2 ** 32 },
    ];
    const codes = [];
    for (const b of bad) codes.push(await codeOf(() => pqxdhInitiate(suite, alice.identity, b)));
    expect(codes).toEqual(['CRYPTO_ERR_INVALID_ENCODING', 'CRYPTO_ERR_INVALID_LENGTH', 'CRYPTO_ERR_INVALID_ENCODING', 'CRYPTO_ERR_INVALID_ENCODING', 'CRYPTO_ERR_INVALID_ENCODING']);
  });
});
