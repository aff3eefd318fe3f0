// End to end for this module's outputs: keys created and stored here, a bundle verified here,
// fed to the PQXDH module (crypto/src/pqxdh) as its inputs. Both sides must derive the same secret.
import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity } from '../../src/identity/account.js';
import { signDeviceList } from '../../src/identity/account-signatures.js';
import { createDeviceKeys, decodeDeviceKeys, encodeDeviceKeys } from '../../src/identity/device-keys.js';
import { verifyPrekeyBundle } from '../../src/identity/prekey-bundle.js';
import { createLastResortKemPrekey, createOneTimePrekeys, createSignedKemPrekeys, createSignedX25519Prekey } from '../../src/identity/prekey-creation.js';
import {
  decodeKemPrekeySecret,
  decodeOneTimePrekeySecret,
  decodeSignedPrekeySecret,
  encodeKemPrekeySecret,
  encodeOneTimePrekeySecret,
  encodeSignedPrekeySecret,
} from '../../src/identity/prekey-secrets.js';
import { pqxdhInitiate, pqxdhRespond, type PqxdhPrekeyStore } from '../../src/pqxdh/index.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { verifyDeviceList } from '../../src/public/device-list.js';
import { seededRandom } from '../public/fixtures.js';

let suite: CryptoSuite;
beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('pqxdh-handshake') });
});

describe('identity keys in a PQXDH handshake', () => {
  it.each([
    ['one-time keys of both kinds', true, false],
    ['no one-time X25519 key, last-resort KEM key', false, true],
  ])('both sides agree with %s', async (_name, withOneTime, lastResort) => {
    const alice = createAccountIdentity(suite);
    const aliceDevice = createDeviceKeys(suite);
    const bob = createAccountIdentity(suite);
    // Bob's device keys go through their storage record, as the CLI would keep them.
    const bobDevice = decodeDeviceKeys(suite, encodeDeviceKeys(createDeviceKeys(suite)));
    const bobList = verifyDeviceList(
      signDeviceList(suite, bob, { version: 1, issuedAt: 1, devices: [{ deviceId: 4, deviceSigningKey: bobDevice.signingKey, deviceIdentityKey: bobDevice.identityDhKey }] }),
      bob.accountKey,
    );
    const spk = createSignedX25519Prekey(suite, bobDevice, 1);
    const opk = createOneTimePrekeys(suite, 10, 1)[0]!;
    const kem = lastResort ? createLastResortKemPrekey(suite, bobDevice, 900) : createSignedKemPrekeys(suite, bobDevice, 20, 1)[0]!;

    // Bob's store holds only the serialized private records.
    const records = {
      spk: encodeSignedPrekeySecret(spk.secret),
      opk: encodeOneTimePrekeySecret(opk.secret),
      kem: encodeKemPrekeySecret(kem.secret),
    };
    const store: PqxdhPrekeyStore = {
      loadSignedPrekey: (id) => (id === spk.secret.keyId ? decodeSignedPrekeySecret(suite, records.spk) : undefined),
      loadOneTimePrekey: (id) => (id === opk.secret.keyId ? decodeOneTimePrekeySecret(suite, records.opk) : undefined),
      loadKemPrekey: (id) => (id === kem.secret.keyId ? decodeKemPrekeySecret(suite, records.kem) : undefined),
      hasAcceptedLastResortMessage: () => false,
      recordLastResortMessage: () => undefined,
    };

    const bundle = verifyPrekeyBundle({
      accountKey: bob.accountKey,
      deviceList: bobList,
      deviceId: 4,
      signedPrekey: spk.upload,
      oneTimePrekey: withOneTime ? opk.upload : undefined,
      kemPrekey: kem.upload,
    });
    const initiated = pqxdhInitiate(suite, { accountId: alice.accountId, deviceId: 1, identityDhKeyPair: { publicKey: aliceDevice.identityDhKey, secretKey: aliceDevice.identityDhSecret } }, bundle);
    const responded = await pqxdhRespond(suite, {
      local: { accountId: bob.accountId, deviceId: 4, identityDhKeyPair: { publicKey: bobDevice.identityDhKey, secretKey: bobDevice.identityDhSecret } },
      peer: { accountId: alice.accountId, deviceId: 1 },
      fields: initiated.fields,
      store,
    });
    expect(responded.sharedSecret).toEqual(initiated.sharedSecret);
    expect(responded.associatedData).toEqual(initiated.associatedData);
    expect(responded.remoteIdentityDhKey).toEqual(aliceDevice.identityDhKey);
    expect(initiated.fields.oneTimePrekeyId).toBe(withOneTime ? 10 : undefined);
  });
});
