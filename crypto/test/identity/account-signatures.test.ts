import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { issueDeviceCertificate, signDeviceList } from '../../src/identity/account-signatures.js';
import { createDeviceKeys, type DeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { verifyDeviceCertificate } from '../../src/public/device-certificate.js';
import { verifyDeviceList, type DeviceListEntry } from '../../src/public/device-list.js';
import { expectCode, seededRandom } from '../public/fixtures.js';

let suite: CryptoSuite;
let account: AccountIdentity;
let other: AccountIdentity;
let device: DeviceKeys;

const entryOf = (deviceId: number, keys: DeviceKeys): DeviceListEntry => ({ deviceId, deviceSigningKey: keys.signingKey, deviceIdentityKey: keys.identityDhKey });

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('account-signatures') });
  account = createAccountIdentity(suite);
  other = createAccountIdentity(suite);
  device = createDeviceKeys(suite);
});

describe('issueDeviceCertificate', () => {
  it('certifies exactly the device public keys under the account key', () => {
    const cert = verifyDeviceCertificate(issueDeviceCertificate(suite, account, 3, device, 1234), account.accountKey);
    expect(cert.deviceId).toBe(3);
    expect(cert.deviceSigningKey).toEqual(device.signingKey);
    expect(cert.deviceIdentityKey).toEqual(device.identityDhKey);
    expect(cert.issuedAt).toBe(1234);
    expectCode(() => verifyDeviceCertificate(issueDeviceCertificate(suite, other, 3, device, 1234), account.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('needs only the public half of the device (a new device sends its public keys to be certified)', () => {
    const publicOnly = { signingKey: device.signingKey, identityDhKey: device.identityDhKey };
    expect(issueDeviceCertificate(suite, account, 3, publicOnly, 1234)).toEqual(issueDeviceCertificate(suite, account, 3, device, 1234));
  });

  it('writes the key derived from the seed, whatever accountKey the caller passes along', () => {
    const confused = { ...account, accountKey: other.accountKey };
    expect(verifyDeviceCertificate(issueDeviceCertificate(suite, confused, 3, device, 1)).accountKey).toEqual(account.accountKey);
  });

  it('refuses out-of-range ids and times', () => {
    expect(() => issueDeviceCertificate(suite, account, 2 ** 32, device, 1)).toThrow(RangeError);
    expect(() => issueDeviceCertificate(suite, account, 1, device, -1)).toThrow(RangeError);
  });
});

describe('signDeviceList', () => {
  it('signs a sorted list that verifies under the account key', () => {
    const d2 = createDeviceKeys(suite);
    const d3 = createDeviceKeys(suite);
    const bytes = signDeviceList(suite, account, { version: 3, issuedAt: 99, devices: [entryOf(30, d3), entryOf(2, d2), entryOf(10, device)] });
    const list = verifyDeviceList(bytes, account.accountKey, { afterVersion: 2 });
    expect(list.version).toBe(3);
    expect(list.issuedAt).toBe(99);
    expect(list.devices).toEqual([entryOf(2, d2), entryOf(10, device), entryOf(30, d3)]);
    expectCode(() => verifyDeviceList(bytes, other.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('gives one encoding per set, whatever the input order', () => {
    const d2 = createDeviceKeys(suite);
    const a = signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: [entryOf(1, device), entryOf(2, d2)] });
    const b = signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: [entryOf(2, d2), entryOf(1, device)] });
    expect(b).toEqual(a); // Ed25519 is deterministic, so equal bodies give equal bytes
  });

  it('refuses duplicate device ids and does not reorder the caller array', () => {
    const devices = [entryOf(5, device), entryOf(1, createDeviceKeys(suite))];
    signDeviceList(suite, account, { version: 1, issuedAt: 1, devices });
    expect(devices.map((d) => d.deviceId)).toEqual([5, 1]);
    expectCode(() => signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: [...devices, entryOf(5, device)] }), 'CRYPTO_ERR_INVALID_ENCODING');
  });
});
