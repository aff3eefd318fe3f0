/**
 * Contract suite for AccountStore. Every implementation runs it:
 *   runAccountStoreContract('sqlite', makeSqliteStorage)
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import { addAccount, newAccount, randomKeys } from './storage-fixtures.js';
import type { StorageFactory } from './storage-fixtures.js';

const sha256 = (text: string) => new Uint8Array(createHash('sha256').update(text).digest());

export function runAccountStoreContract(name: string, makeStorage: StorageFactory): void {
  describe(`AccountStore contract: ${name}`, () => {
    let storage: RelayStorage;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('creates an account with its device list and devices', async () => {
      const account = newAccount({ username: 'Alice', deviceIds: [1, 2] });
      await storage.accounts.createAccount(account);
      const stored = await storage.accounts.getAccount(account.accountId);
      expect(stored?.username).toBe('Alice');
      expect(stored?.accountKey).toEqual(account.accountKey);
      const list = await storage.accounts.getDeviceList(account.accountId);
      expect(list?.version).toBe(1);
      expect(list?.bytes).toEqual(account.deviceList.bytes);
      const devices = await storage.accounts.listDevices(account.accountId);
      expect(devices.map((d) => d.deviceId)).toEqual([1, 2]);
      expect(devices[0]?.signingKey).toEqual(account.devices[0]?.signingKey);
      expect(devices[0]?.addedInVersion).toBe(1);
      expect(await storage.accounts.getAccount('nobody')).toBeNull();
    });

    it('finds usernames case-insensitively and refuses a second one differing only in case', async () => {
      const first = newAccount({ username: 'Bob.Smith' });
      await storage.accounts.createAccount(first);
      expect((await storage.accounts.findByUsername('bob.smith'))?.accountId).toBe(first.accountId);
      expect((await storage.accounts.findByUsername('BOB.SMITH'))?.accountId).toBe(first.accountId);
      const second = newAccount({ username: 'bob.SMITH' });
      await expect(storage.accounts.createAccount(second)).rejects.toMatchObject({ code: 'RELAY_ERR_USERNAME_TAKEN' });
      expect(await storage.accounts.getAccount(second.accountId)).toBeNull();
      expect(await storage.accounts.listDevices(second.accountId)).toEqual([]);
    });

    it('refuses a second account with the same id', async () => {
      const account = newAccount();
      await storage.accounts.createAccount(account);
      await expect(storage.accounts.createAccount({ ...account, username: 'other' })).rejects.toMatchObject({ code: 'RELAY_ERR_ACCOUNT_EXISTS' });
    });

    it('accepts only a higher device-list version and reports added, removed and replaced devices', async () => {
      const account = newAccount({ deviceIds: [1, 2, 3] });
      await storage.accounts.createAccount(account);
      const keep = account.devices[0]!;
      const replaced = randomKeys(2);
      const added = randomKeys(4);
      const change = await storage.accounts.replaceDeviceList(account.accountId, { version: 2, bytes: new Uint8Array([2]) }, [keep, replaced, added], 5_000);
      expect(change.added).toEqual([4]);
      expect(change.removed).toEqual([3]);
      expect(change.replaced).toEqual([2]);
      const devices = await storage.accounts.listDevices(account.accountId);
      expect(devices.map((d) => [d.deviceId, d.addedInVersion])).toEqual([[1, 1], [2, 2], [4, 2]]);
      expect(devices[1]?.signingKey).toEqual(replaced.signingKey);
      expect((await storage.accounts.getDeviceList(account.accountId))?.version).toBe(2);

      await expect(storage.accounts.replaceDeviceList(account.accountId, { version: 2, bytes: new Uint8Array([9]) }, [keep], 6_000)).rejects.toMatchObject({
        code: 'RELAY_ERR_DEVICE_LIST_VERSION',
      });
      expect((await storage.accounts.getDeviceList(account.accountId))?.bytes).toEqual(new Uint8Array([2]));
      await expect(storage.accounts.replaceDeviceList('nobody', { version: 9, bytes: new Uint8Array([1]) }, [], 1)).rejects.toMatchObject({ code: 'RELAY_ERR_ACCOUNT_NOT_FOUND' });
    });

    it('lets exactly one of two concurrent updates with the same version win', async () => {
      const account = newAccount();
      await storage.accounts.createAccount(account);
      const results = await Promise.allSettled([
        storage.accounts.replaceDeviceList(account.accountId, { version: 5, bytes: new Uint8Array([1]) }, [randomKeys(1)], 2),
        storage.accounts.replaceDeviceList(account.accountId, { version: 5, bytes: new Uint8Array([2]) }, [randomKeys(1)], 2),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    });

    it('consumes an invite with the account, once, and only before it expires', async () => {
      await storage.accounts.createInvite({ tokenHash: sha256('good'), createdAt: 100, expiresAt: 10_000, maxUses: 1 });
      await storage.accounts.createInvite({ tokenHash: sha256('old'), createdAt: 100, expiresAt: 500, maxUses: 1 });
      const first = newAccount({ createdAt: 1_000 });
      await storage.accounts.createAccount(first, { inviteHash: sha256('good') });
      await expect(storage.accounts.createAccount(newAccount({ createdAt: 1_000 }), { inviteHash: sha256('good') })).rejects.toMatchObject({ code: 'RELAY_ERR_INVITE_INVALID' });
      await expect(storage.accounts.createAccount(newAccount({ createdAt: 1_000 }), { inviteHash: sha256('old') })).rejects.toMatchObject({ code: 'RELAY_ERR_INVITE_INVALID' });
      await expect(storage.accounts.createAccount(newAccount({ createdAt: 1_000 }), { inviteHash: sha256('unknown') })).rejects.toMatchObject({ code: 'RELAY_ERR_INVITE_INVALID' });
      const invites = await storage.accounts.listInvites();
      expect(invites.find((i) => i.usedBy !== null)).toMatchObject({ usedBy: first.accountId, usedAt: 1_000, uses: 1, maxUses: 1 });
      expect((await storage.accounts.listAccounts()).map((a) => a.accountId)).toEqual([first.accountId]);
    });

    it('admits as many registrations as an invite allows, then no more', async () => {
      await storage.accounts.createInvite({ tokenHash: sha256('team'), createdAt: 100, expiresAt: 10_000, maxUses: 3 });
      const accounts = [newAccount({ createdAt: 1_000 }), newAccount({ createdAt: 2_000 }), newAccount({ createdAt: 3_000 })];
      for (const account of accounts) await storage.accounts.createAccount(account, { inviteHash: sha256('team') });
      await expect(storage.accounts.createAccount(newAccount({ createdAt: 4_000 }), { inviteHash: sha256('team') })).rejects.toMatchObject({ code: 'RELAY_ERR_INVITE_INVALID' });
      const [invite] = await storage.accounts.listInvites();
      expect(invite).toMatchObject({ maxUses: 3, uses: 3, usedAt: 3_000, usedBy: accounts[2]!.accountId, createdAt: 100, expiresAt: 10_000 });
      expect(invite?.tokenHash).toEqual(sha256('team'));
    });

    it('keeps an invite unused when the account cannot be created', async () => {
      await storage.accounts.createAccount(newAccount({ username: 'taken' }));
      await storage.accounts.createInvite({ tokenHash: sha256('i'), createdAt: 1, expiresAt: 1e12, maxUses: 1 });
      await expect(storage.accounts.createAccount(newAccount({ username: 'TAKEN' }), { inviteHash: sha256('i') })).rejects.toMatchObject({ code: 'RELAY_ERR_USERNAME_TAKEN' });
      const [invite] = await storage.accounts.listInvites();
      expect(invite).toMatchObject({ usedAt: null, uses: 0 });
    });

    it('deletes an account with its devices and frees its username', async () => {
      const [device] = await addAccount(storage, { username: 'carol' });
      expect(await storage.accounts.deleteAccount(device!.accountId)).toBe(true);
      expect(await storage.accounts.getAccount(device!.accountId)).toBeNull();
      expect(await storage.accounts.getDevice(device!)).toBeNull();
      expect(await storage.accounts.deleteAccount(device!.accountId)).toBe(false);
      await storage.accounts.createAccount(newAccount({ username: 'Carol' }));
    });

    it('removes (hides) one device and records when devices were seen', async () => {
      const [one, two] = await addAccount(storage, { deviceIds: [1, 2], createdAt: 1_000 });
      await storage.accounts.touchDevices([{ address: one!, at: 50_000 }]);
      await storage.accounts.touchDevices([{ address: one!, at: 40_000 }]);
      expect((await storage.accounts.getDevice(one!))?.lastSeenAt).toBe(50_000);
      const idle = await storage.accounts.listIdleDevices(10_000, 100);
      expect(idle).toContainEqual(two);
      expect(idle).not.toContainEqual(one);
      expect(await storage.accounts.hasDevice(two!)).toBe(true);
      expect(await storage.accounts.removeDevice(two!)).toBe(true);
      expect(await storage.accounts.getDevice(two!)).toBeNull();
      expect(await storage.accounts.hasDevice(two!)).toBe(false);
      expect(await storage.accounts.hasDevice({ accountId: 'nobody', deviceId: 1 })).toBe(false);
      expect(await storage.accounts.removeDevice(two!)).toBe(false);
    });

    it('records when many devices were seen in one write, skipping unknown ones and never moving back', async () => {
      const [one, two] = await addAccount(storage, { deviceIds: [1, 2], createdAt: 1_000 });
      await storage.accounts.touchDevices([]);
      await storage.accounts.touchDevices([
        { address: one!, at: 20_000 },
        { address: two!, at: 30_000 },
        { address: { accountId: one!.accountId, deviceId: 9 }, at: 40_000 },
        { address: { accountId: 'nobody', deviceId: 1 }, at: 40_000 },
      ]);
      await storage.accounts.touchDevices([
        { address: one!, at: 10_000 },
        { address: two!, at: 35_000 },
      ]);
      expect((await storage.accounts.listDevices(one!.accountId)).map((d) => [d.deviceId, d.lastSeenAt])).toEqual([
        [1, 20_000],
        [2, 35_000],
      ]);
      expect(await storage.accounts.getDevice({ accountId: one!.accountId, deviceId: 9 })).toBeNull();
    });

    it('stores presence viewers per owner', async () => {
      const [owner] = await addAccount(storage);
      await storage.accounts.setPresenceViewers(owner!.accountId, ['x', 'y']);
      expect(await storage.accounts.isPresenceViewer(owner!.accountId, 'x')).toBe(true);
      expect(await storage.accounts.isPresenceViewer(owner!.accountId, 'z')).toBe(false);
      await storage.accounts.setPresenceViewers(owner!.accountId, ['z']);
      expect(await storage.accounts.getPresenceViewers(owner!.accountId)).toEqual(['z']);
      await expect(storage.accounts.setPresenceViewers('nobody', ['x'])).rejects.toMatchObject({ code: 'RELAY_ERR_ACCOUNT_NOT_FOUND' });
    });
  });
}
