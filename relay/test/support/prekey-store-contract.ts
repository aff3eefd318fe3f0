/**
 * Contract suite for PrekeyStore: uploads, pool limits, and atomic one-time key hand-out.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import type { DeviceAddress, StoredPrekey } from '../../src/storage/records.js';
import { addAccount, bytes } from './storage-fixtures.js';
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

    it('drops a device\'s prekeys when the device is removed', async () => {
      await storage.prekeys.upload(device, { oneTimeX25519: keys(1, 3), oneTimeKem: [] }, 10);
      await storage.accounts.removeDevice(device);
      expect((await storage.prekeys.counts(device)).oneTimeX25519).toBe(0);
    });
  });
}
