import { beforeAll, describe, expect, it } from 'vitest';
import { createAccountIdentity, type AccountIdentity } from '../../src/identity/account.js';
import { signDeviceList } from '../../src/identity/account-signatures.js';
import { createDeviceKeys } from '../../src/identity/device-keys.js';
import { loadCrypto, type CryptoSuite } from '../../src/primitives/index.js';
import { ByteWriter } from '../../src/public/bytes-io.js';
import { MAX_DEVICE_LIST_ENTRIES, encodeDeviceListBody, sortDeviceEntries, verifyDeviceList, type DeviceListEntry } from '../../src/public/device-list.js';
import { KEY_TYPE, encodePublicKey } from '../../src/public/keys.js';
import { SIGNATURE_CONTEXT } from '../../src/public/signature.js';
import { STRUCTURE_TYPE } from '../../src/public/structure.js';
import { expectCode, expectCryptoError, flip, seededRandom, setByte, signBody } from './fixtures.js';

// Documented layout: 0x01 || 0x11 || account key (33) || list version (8) || issued at (8) ||
// count (2) || count × (device id (4) || signing key (33) || identity DH key (33)) || signature (64).
const AT = { version: 0, type: 1, accountKey: 2, listVersion: 35, issuedAt: 43, count: 51, entries: 53 };
const ENTRY = 70;
const entryAt = (i: number) => AT.entries + i * ENTRY;

let suite: CryptoSuite;
let account: AccountIdentity;
let other: AccountIdentity;
let entries: DeviceListEntry[];
let list: Uint8Array;

function entry(deviceId: number): DeviceListEntry {
  const keys = createDeviceKeys(suite);
  return { deviceId, deviceSigningKey: keys.signingKey, deviceIdentityKey: keys.identityDhKey };
}

/** A body in the documented layout with entries in the given order, unchecked. */
function rawBody(version: number, devices: readonly DeviceListEntry[], count = devices.length): Uint8Array {
  const w = new ByteWriter().u8(1).u8(STRUCTURE_TYPE.DEVICE_LIST).raw(encodePublicKey(KEY_TYPE.ACCOUNT_ED25519, account.accountKey)).u64(version).u64(1).u16(count);
  for (const d of devices) w.u32(d.deviceId).raw(encodePublicKey(KEY_TYPE.DEVICE_ED25519, d.deviceSigningKey)).raw(encodePublicKey(KEY_TYPE.X25519, d.deviceIdentityKey));
  return w.finish();
}

beforeAll(async () => {
  suite = await loadCrypto({ random: seededRandom('device-list') });
  account = createAccountIdentity(suite);
  other = createAccountIdentity(suite);
  entries = [entry(9), entry(1), entry(5)];
  list = signDeviceList(suite, account, { version: 5, issuedAt: 1_700_000_000_000, devices: entries });
});

describe('device lists', () => {
  it('round-trip with entries sorted by device id', () => {
    expect(list.length).toBe(AT.entries + 3 * ENTRY + 64);
    const l = verifyDeviceList(list, account.accountKey);
    expect(l.accountKey).toEqual(account.accountKey);
    expect(l.version).toBe(5);
    expect(l.issuedAt).toBe(1_700_000_000_000);
    expect(l.devices.map((d) => d.deviceId)).toEqual([1, 5, 9]);
    expect(l.devices).toEqual(sortDeviceEntries(entries));
    expect(l.bytes).toEqual(list);
    expect(encodeDeviceListBody(l)).toEqual(list.subarray(0, entryAt(3)));
  });

  it('refuses another account', () => {
    expectCode(() => verifyDeviceList(list, other.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
    const foreign = signDeviceList(suite, other, { version: 5, issuedAt: 1, devices: entries });
    expectCode(() => verifyDeviceList(foreign, account.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it('enforces versions strictly above afterVersion, only after the signature verifies', () => {
    expect(verifyDeviceList(list, account.accountKey, { afterVersion: 4 }).version).toBe(5);
    expectCode(() => verifyDeviceList(list, account.accountKey, { afterVersion: 5 }), 'CRYPTO_ERR_STALE_VERSION');
    expectCode(() => verifyDeviceList(list, account.accountKey, { afterVersion: 6 }), 'CRYPTO_ERR_STALE_VERSION');
    // A forged old list is reported as forged, not as merely stale.
    expectCode(() => verifyDeviceList(flip(list, list.length - 1), account.accountKey, { afterVersion: 6 }), 'CRYPTO_ERR_BAD_SIGNATURE');
  });

  it.each([
    ['version', AT.version, 0x01, 'CRYPTO_ERR_UNSUPPORTED_VERSION'],
    ['structure type', AT.type, 0x01, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['account key type', AT.accountKey, 0x01, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['account key', AT.accountKey + 1, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['list version', AT.listVersion + 7, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['issued at', AT.issuedAt + 7, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['count (fewer: trailing bytes)', AT.count + 1, 0x01, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['count (zero)', AT.count + 1, 0x03, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['count (above the maximum)', AT.count, 0x01, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['device id (still ascending)', entryAt(2) + 3, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['device id (now out of order)', entryAt(0) + 3, 0x0e, 'CRYPTO_ERR_INVALID_ENCODING'],
    ['signing key type', entryAt(1) + 4, 0x01, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['signing key', entryAt(1) + 20, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['identity key type', entryAt(2) + 37, 0x01, 'CRYPTO_ERR_WRONG_KEY_TYPE'],
    ['identity key', entryAt(2) + 69, 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
    ['signature', entryAt(3), 0x01, 'CRYPTO_ERR_BAD_SIGNATURE'],
  ] as const)('tampered %s is refused with %s', (_field, offset, mask, code) => {
    expectCode(() => verifyDeviceList(flip(list, offset, mask), account.accountKey), code);
  });

  it('any single flipped byte is refused', () => {
    for (let i = 0; i < list.length; i++) expectCryptoError(() => verifyDeviceList(flip(list, i, 0x40), account.accountKey));
  });

  it('refuses every truncation and trailing bytes', () => {
    for (let n = 0; n < list.length; n++) expectCode(() => verifyDeviceList(list.subarray(0, n), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyDeviceList(Uint8Array.of(...list, 0), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses signed lists with duplicate or unsorted device ids', () => {
    const [a, b] = [entry(3), entry(4)];
    const sign = (devices: DeviceListEntry[]) => signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.DEVICE_LIST, rawBody(2, devices));
    expect(verifyDeviceList(sign([a, b]), account.accountKey).devices).toHaveLength(2); // control
    expectCode(() => verifyDeviceList(sign([b, a]), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyDeviceList(sign([a, { ...b, deviceId: 3 }]), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses empty and oversized lists in the encoder and the decoder', () => {
    const many = Array.from({ length: MAX_DEVICE_LIST_ENTRIES + 1 }, (_, i) => ({ ...entries[0]!, deviceId: i + 1 }));
    expect(verifyDeviceList(signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: many.slice(0, -1) }), account.accountKey).devices).toHaveLength(MAX_DEVICE_LIST_ENTRIES);
    expectCode(() => signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: many }), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: [] }), 'CRYPTO_ERR_INVALID_ENCODING');
    const sign = (body: Uint8Array) => signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.DEVICE_LIST, body);
    expectCode(() => verifyDeviceList(sign(rawBody(1, many)), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => verifyDeviceList(sign(rawBody(1, [])), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('the encoder refuses unsorted entries; signDeviceList sorts them and refuses duplicates', () => {
    expectCode(() => encodeDeviceListBody({ accountKey: account.accountKey, version: 1, issuedAt: 1, devices: entries }), 'CRYPTO_ERR_INVALID_ENCODING');
    expectCode(() => signDeviceList(suite, account, { version: 1, issuedAt: 1, devices: [entries[0]!, entries[0]!] }), 'CRYPTO_ERR_INVALID_ENCODING');
  });

  it('refuses a list body signed under another context', () => {
    const body = list.subarray(0, entryAt(3));
    expectCode(() => verifyDeviceList(signBody(suite, account.accountSeed, SIGNATURE_CONTEXT.DEVICE_CERTIFICATE, body), account.accountKey), 'CRYPTO_ERR_BAD_SIGNATURE');
    expectCode(() => verifyDeviceList(setByte(list, AT.type, STRUCTURE_TYPE.DEVICE_CERTIFICATE), account.accountKey), 'CRYPTO_ERR_INVALID_ENCODING');
  });
});
