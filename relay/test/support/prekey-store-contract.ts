/**
 * Contract suite for PrekeyStore: uploads, pool limits, and atomic one-time key hand-out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import type { DeviceAddress, StoredPrekey } from '../../src/storage/records.js';
import { addAccount, bytes, newAccount, randomKeys } from './storage-fixtures.js';
import type { StorageFactory } from './storage-fixtures.js';

const key = (keyId: number, fill = keyId % 256): StoredPrekey => ({ keyId, bytes: bytes(33, fill) });
const keys = (from: number, count: number) => Array.from({ length: count }, (_, i) => key(from + i));

export function runPrekeyStoreContract(name: string, makeStorage: StorageFactory): void {
  describe(`PrekeyStore contract: ${name}`, () => {
    let storage: RelayStorage;
    let cleanup: () => Promise<void>;
    let device: DeviceAddress;

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
      [device] = (await addAccount(storage)) as [DeviceAddress];
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores an upload and reports pool counts', async () => {
      const counts = await storage.prekeys.upload(device, { signedPrekey: key(1), lastResortKem: key(2), oneTimeX25519: keys(10, 3), oneTimeKem: keys(20, 2) }, 100);
      expect(counts).toEqual({ oneTimeX25519: 3, oneTimeKem: 2, signedPrekey: true, lastResortKem: true });
      expect(await storage.prekeys.counts(device)).toEqual(counts);
      expect(await storage.prekeys.counts({ ...device, deviceId: 99 })).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
    });

    it('takes one one-time key of each kind per fetch, then falls back to the last-resort KEM key', async () => {
      await storage.prekeys.upload(device, { signedPrekey: key(1), lastResortKem: key(2, 200), oneTimeX25519: keys(10, 1), oneTimeKem: keys(20, 1) }, 100);
      const [first] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(first?.signedPrekey?.keyId).toBe(1);
      expect(first?.oneTimeX25519?.keyId).toBe(10);
      expect(first?.kemPrekey?.keyId).toBe(20);
      expect(first?.kemLastResort).toBe(false);
      expect(first?.remaining).toMatchObject({ oneTimeX25519: 0, oneTimeKem: 0 });

      const [second] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(second?.oneTimeX25519).toBeNull();
      expect(second?.kemPrekey).toEqual(key(2, 200));
      expect(second?.kemLastResort).toBe(true);
      // The last-resort key and the signed prekey are never consumed.
      const [third] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(third?.kemPrekey?.keyId).toBe(2);
      expect(third?.signedPrekey?.keyId).toBe(1);
    });

    it('never hands the same one-time key to two concurrent fetchers', async () => {
      await storage.prekeys.upload(device, { oneTimeX25519: keys(1, 20), oneTimeKem: keys(100, 20) }, 100);
      const results = await Promise.all(Array.from({ length: 25 }, () => storage.prekeys.takeBundles(device.accountId, [device.deviceId])));
      const x = results.map((r) => r[0]?.oneTimeX25519?.keyId).filter((id): id is number => id !== undefined);
      const k = results.map((r) => r[0]?.kemPrekey?.keyId).filter((id): id is number => id !== undefined);
      expect(x).toHaveLength(20);
      expect(new Set(x).size).toBe(20);
      expect(new Set(k).size).toBe(20);
      expect(await storage.prekeys.counts(device)).toMatchObject({ oneTimeX25519: 0, oneTimeKem: 0 });
    });

    it('replaces the signed prekey and refuses an upload that overfills a pool, storing nothing', async () => {
      await storage.prekeys.upload(device, { signedPrekey: key(1), oneTimeX25519: keys(1, 4), oneTimeKem: [] }, 5);
      await storage.prekeys.upload(device, { signedPrekey: key(7), oneTimeX25519: [], oneTimeKem: [] }, 5);
      await expect(storage.prekeys.upload(device, { signedPrekey: key(8), oneTimeX25519: keys(50, 2), oneTimeKem: [] }, 5)).rejects.toMatchObject({
        code: 'RELAY_ERR_TOO_MANY_PREKEYS',
      });
      const [bundle] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(bundle?.signedPrekey?.keyId).toBe(7);
      expect(bundle?.remaining.oneTimeX25519).toBe(3);
    });

    it('refuses uploads for unknown devices and skips them in bundle fetches', async () => {
      await expect(storage.prekeys.upload({ ...device, deviceId: 42 }, { oneTimeX25519: [key(1)], oneTimeKem: [] }, 10)).rejects.toMatchObject({
        code: 'RELAY_ERR_DEVICE_NOT_FOUND',
      });
      const bundles = await storage.prekeys.takeBundles(device.accountId, [42, device.deviceId]);
      expect(bundles.map((b) => b.deviceId)).toEqual([device.deviceId]);
    });

    it('keeps pool counts through uploads, takes down to zero and the last-resort fallback', async () => {
      const none = { oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false };
      expect(await storage.prekeys.counts(device)).toEqual(none);
      expect(await storage.prekeys.upload(device, { oneTimeX25519: keys(1, 2), oneTimeKem: keys(50, 1) }, 10)).toEqual({ ...none, oneTimeX25519: 2, oneTimeKem: 1 });
      // Key ids already stored replace their key and do not count twice; a repeated id within one upload neither.
      expect(await storage.prekeys.upload(device, { signedPrekey: key(7), oneTimeX25519: [key(2, 99), key(3), key(3, 98)], oneTimeKem: [] }, 10)).toEqual({
        oneTimeX25519: 3,
        oneTimeKem: 1,
        signedPrekey: true,
        lastResortKem: false,
      });
      const [a] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(a?.oneTimeX25519?.keyId).toBe(1);
      expect(a?.remaining).toEqual({ oneTimeX25519: 2, oneTimeKem: 0, signedPrekey: true, lastResortKem: false });
      const [b] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      expect(b?.oneTimeX25519).toEqual(key(2, 99));
      expect(b?.kemPrekey).toBeNull();
      expect(b?.remaining).toEqual({ oneTimeX25519: 1, oneTimeKem: 0, signedPrekey: true, lastResortKem: false });
      await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
      // Empty pools stay at zero, however often they are asked.
      for (let i = 0; i < 3; i++) {
        const [c] = await storage.prekeys.takeBundles(device.accountId, [device.deviceId]);
        expect(c?.oneTimeX25519).toBeNull();
        expect(c?.remaining).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: true, lastResortKem: false });
      }
      expect(await storage.prekeys.upload(device, { lastResortKem: key(9), oneTimeX25519: [], oneTimeKem: keys(60, 4) }, 10)).toEqual({
        oneTimeX25519: 0,
        oneTimeKem: 4,
        signedPrekey: true,
        lastResortKem: true,
      });
      // A refused upload changes no count.
      await expect(storage.prekeys.upload(device, { oneTimeX25519: keys(100, 11), oneTimeKem: [] }, 10)).rejects.toMatchObject({ code: 'RELAY_ERR_TOO_MANY_PREKEYS' });
      expect(await storage.prekeys.counts(device)).toEqual({ oneTimeX25519: 0, oneTimeKem: 4, signedPrekey: true, lastResortKem: true });
    });

    it('counts match the keys handed out under concurrent fetches of several devices', async () => {
      const [d1, d2] = (await addAccount(storage, { deviceIds: [1, 2] })) as [DeviceAddress, DeviceAddress];
      await storage.prekeys.upload(d1, { oneTimeX25519: keys(1, 7), oneTimeKem: keys(100, 3) }, 100);
      await storage.prekeys.upload(d2, { oneTimeX25519: keys(1, 2), oneTimeKem: keys(100, 9) }, 100);
      const results = await Promise.all(Array.from({ length: 5 }, () => storage.prekeys.takeBundles(d1.accountId, [1, 2, 3])));
      const last = results.at(-1)!;
      expect(last.map((b) => b.deviceId)).toEqual([1, 2]);
      expect(await storage.prekeys.counts(d1)).toEqual({ oneTimeX25519: 2, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
      expect(await storage.prekeys.counts(d2)).toEqual({ oneTimeX25519: 0, oneTimeKem: 4, signedPrekey: false, lastResortKem: false });
      const remainingX = results.map((r) => r[0]!.remaining.oneTimeX25519).sort((p, q) => q - p);
      expect(remainingX).toEqual([6, 5, 4, 3, 2]);
    });

    it('takes a bundle from every device of the account, in id order, when no ids are given', async () => {
      const [d3, d1] = (await addAccount(storage, { deviceIds: [3, 1] })) as [DeviceAddress, DeviceAddress];
      await storage.prekeys.upload(d1, { signedPrekey: key(1), oneTimeX25519: keys(10, 2), oneTimeKem: [] }, 10);
      await storage.prekeys.upload(d3, { oneTimeX25519: [], oneTimeKem: keys(20, 1) }, 10);
      const bundles = await storage.prekeys.takeBundles(d1.accountId);
      expect(bundles.map((b) => [b.deviceId, b.oneTimeX25519?.keyId ?? null, b.kemPrekey?.keyId ?? null, b.remaining.oneTimeX25519, b.remaining.oneTimeKem])).toEqual([
        [1, 10, null, 1, 0],
        [3, null, 20, 0, 0],
      ]);
      expect(await storage.prekeys.takeBundles('nobody')).toEqual([]);
    });

    it('starts a replaced device (new keys under the same id) with empty pools', async () => {
      const account = newAccount({ deviceIds: [1, 2] });
      await storage.accounts.createAccount(account);
      const one = { accountId: account.accountId, deviceId: 1 };
      await storage.prekeys.upload(one, { signedPrekey: key(1), lastResortKem: key(2), oneTimeX25519: keys(10, 3), oneTimeKem: keys(20, 3) }, 10);
      const change = await storage.accounts.replaceDeviceList(account.accountId, { version: 2, bytes: bytes(80, 2) }, [randomKeys(1), account.devices[1]!], 2_000);
      expect(change.replaced).toEqual([1]);
      expect(await storage.prekeys.counts(one)).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
      const [bundle] = await storage.prekeys.takeBundles(account.accountId, [1]);
      expect(bundle).toMatchObject({ signedPrekey: null, oneTimeX25519: null, kemPrekey: null, remaining: { oneTimeX25519: 0, oneTimeKem: 0 } });
      expect(await storage.prekeys.upload(one, { oneTimeX25519: keys(10, 1), oneTimeKem: [] }, 10)).toMatchObject({ oneTimeX25519: 1 });
    });

    it('drops a device\'s prekeys when the device is removed', async () => {
      await storage.prekeys.upload(device, { oneTimeX25519: keys(1, 3), oneTimeKem: [] }, 10);
      await storage.accounts.removeDevice(device);
      expect(await storage.prekeys.counts(device)).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
      expect(await storage.prekeys.takeBundles(device.accountId, [device.deviceId])).toEqual([]);
      // Nor does a deleted account leave counts behind.
      await storage.accounts.deleteAccount(device.accountId);
      expect(await storage.prekeys.counts(device)).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
    });
  });
}
