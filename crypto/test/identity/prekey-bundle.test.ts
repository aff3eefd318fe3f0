import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { signDeviceList } from '../../src/identity/account-signatures.js';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { verifyPrekeyBundle, type PrekeyBundleInput } from '../../src/identity/prekey-bundle.js';
import { createLastResortKemPrekey, createOneTimePrekeys, createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { verifyDeviceList, type DeviceList, type DeviceListEntry } from '../../src/public/device-list.js';
import { expectCode, flip, seededRandom } from '../public/fixtures.js';

let suite: CryptoSuite;
let alice: AccountIdentity;
let mallory: AccountIdentity;
let phone: DeviceKeys;
let laptop: DeviceKeys;
let stranger: DeviceKeys;
let list: DeviceList;
let good: PrekeyBundleInput;
let spk: ReturnType<typeof createSignedX25519Prekey>;
let opk: ReturnType<typeof createOneTimePrekeys>[number];
let kem: ReturnType<typeof createSignedKemPrekeys>[number];

const entryOf = (deviceId: number, keys: DeviceKeys): DeviceListEntry => ({ deviceId, deviceSigningKey: keys.signingKey, deviceIdentityKey: keys.identityDhKey });

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('prekey-bundle') });
  alice = createAccountIdentity(suite);
  mallory = createAccountIdentity(suite);
  phone = createDeviceKeys(suite);
  laptop = createDeviceKeys(suite);
  stranger = createDeviceKeys(suite);
  list = verifyDeviceList(signDeviceList(suite, alice, { version: 2, issuedAt: 10, devices: [entryOf(1, phone), entryOf(2, laptop)] }), alice.accountKey);
  spk = createSignedX25519Prekey(suite, laptop, 4);
  opk = createOneTimePrekeys(suite, 30, 1)[0]!;
  kem = createSignedKemPrekeys(suite, laptop, 60, 1)[0]!;
  good = { accountKey: alice.accountKey, deviceList: list, deviceId: 2, signedPrekey: spk.upload, oneTimePrekey: opk.upload, kemPrekey: kem.upload };
});

describe('verifyPrekeyBundle', () => {
  it('accepts a good bundle and returns exactly its verified keys', () => {
    expect(verifyPrekeyBundle(good)).toEqual({
      accountId: alice.accountId,
      deviceId: 2,
      identityDhKey: laptop.identityDhKey,
      signedPrekey: { keyId: 4, publicKey: spk.secret.publicKey },
      oneTimePrekey: { keyId: 30, publicKey: opk.secret.publicKey },
      kemPrekey: { keyId: 60, publicKey: kem.secret.publicKey, lastResort: false },
    });
  });

  it('accepts a bundle without a one-time prekey and with the last-resort KEM key', () => {
    const lastResort = createLastResortKemPrekey(suite, laptop, 1000);
    const bundle = verifyPrekeyBundle({ ...good, oneTimePrekey: undefined, kemPrekey: lastResort.upload });
    expect(bundle.oneTimePrekey).toBeUndefined();
    expect('oneTimePrekey' in bundle).toBe(false);
    expect(bundle.kemPrekey).toEqual({ keyId: 1000, publicKey: lastResort.secret.publicKey, lastResort: true });
  });

  it('refuses a device that is not on the signed list', () => {
    expectCode(() => verifyPrekeyBundle({ ...good, deviceId: 3 }), 'CRYPTO_ERR_UNKNOWN_DEVICE');
    const strangerKeys = { signedPrekey: createSignedX25519Prekey(suite, stranger, 1).upload, kemPrekey: createSignedKemPrekeys(suite, stranger, 1, 1)[0]!.upload };
    expectCode(() => verifyPrekeyBundle({ ...good, deviceId: 3, ...strangerKeys }), 'CRYPTO_ERR_UNKNOWN_DEVICE');
  });

  it('refuses prekeys signed by another device, even one on the same list', () => {
    expectCode(() => verifyPrekeyBundle({ ...good, deviceId: 1 }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyPrekeyBundle({ ...good, signedPrekey: createSignedX25519Prekey(suite, phone, 4).upload }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyPrekeyBundle({ ...good, kemPrekey: createSignedKemPrekeys(suite, stranger, 60, 1)[0]!.upload }), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyPrekeyBundle({ ...good, signedPrekey: flip(spk.upload, 20) }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('refuses swapped kinds', () => {
    expectCode(() => verifyPrekeyBundle({ ...good, signedPrekey: kem.upload }), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifyPrekeyBundle({ ...good, kemPrekey: spk.upload }), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifyPrekeyBundle({ ...good, signedPrekey: kem.upload, kemPrekey: spk.upload }), 'CRYPTO_ERR_WRONG_KEY_TYPE');
    expectCode(() => verifyPrekeyBundle({ ...good, signedPrekey: opk.upload }), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyPrekeyBundle({ ...good, oneTimePrekey: spk.upload }), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses a list for another account than the pinned key', () => {
    expectCode(() => verifyPrekeyBundle({ ...good, accountKey: mallory.accountKey }), 'CRYPTO_ERR_BAD_SIGNATURE');
    const malloryList = verifyDeviceList(signDeviceList(suite, mallory, { version: 9, issuedAt: 1, devices: [entryOf(2, laptop)] }), mallory.accountKey);
    expectCode(() => verifyPrekeyBundle({ ...good, deviceList: malloryList }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('trusts only the signed bytes of the list, not fields edited on the object', () => {
    const doctored: DeviceList = { ...list, devices: [...list.devices, entryOf(3, stranger)] };
    const strangerKeys = { signedPrekey: createSignedX25519Prekey(suite, stranger, 1).upload, kemPrekey: createSignedKemPrekeys(suite, stranger, 1, 1)[0]!.upload };
    expectCode(() => verifyPrekeyBundle({ ...good, deviceList: doctored, deviceId: 3, ...strangerKeys }), 'CRYPTO_ERR_UNKNOWN_DEVICE');
    const swappedKey: DeviceList = { ...list, devices: list.devices.map((d) => (d.deviceId === 2 ? { ...d, deviceSigningKey: stranger.signingKey } : d)) };
    expectCode(() => verifyPrekeyBundle({ ...good, deviceList: swappedKey, ...strangerKeys }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });
});
