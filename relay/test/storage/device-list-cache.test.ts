/**
 * The device-list cache of the send path (storage/device-list-cache.ts): reads are served from
 * memory, every device-changing write made through the wrapped store drops the account's entry
 * (also one read while the write ran), entries expire, forget() drops one, and everything else
 * passes through to the store untouched. Plus the relay-level case it exists for: a device removed
 * by another process sharing the database is refused as `extra` and the list is read again.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { AccountStore } from '../../src/storage/account-store.js';
import { cacheDeviceLists } from '../../src/storage/device-list-cache.js';
import type { DeviceRecord } from '../../src/storage/records.js';
import { sqliteFileOf } from '../../src/create-relay.js';
import { useRelayPerTest } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

function device(accountId: string, deviceId: number): DeviceRecord {
  return { accountId, deviceId, signingKey: new Uint8Array(32), identityKey: new Uint8Array(32), addedInVersion: 1, createdAt: 0, lastSeenAt: null };
}

/** A store with just what the cache touches, counting reads. */
function fakeStore() {
  const rows = new Map<string, DeviceRecord[]>([['a', [device('a', 1), device('a', 2)]]]);
  let release: () => void = () => {};
  const store = {
    reads: 0,
    label: 'fake',
    async listDevices(accountId: string) {
      this.reads++;
      return [...(rows.get(accountId) ?? [])];
    },
    async removeDevice(address: { accountId: string; deviceId: number }) {
      await new Promise<void>((resolve) => (release = resolve));
      rows.set(address.accountId, (rows.get(address.accountId) ?? []).filter((d) => d.deviceId !== address.deviceId));
      return true;
    },
    async getDevice() {
      return this.label;
    },
  };
  return { store, rows, finishWrite: () => release() };
}

describe('device-list cache', () => {
  it('serves repeated reads from memory until a write through the store, forget() or the TTL', async () => {
    let now = 0;
    const { store, rows } = fakeStore();
    const { accounts, deviceLists } = cacheDeviceLists(store as unknown as AccountStore, { ttlMs: 1_000, maxAccounts: 10, clock: () => now });
    expect((await deviceLists.listDevices('a')).map((d) => d.deviceId)).toEqual([1, 2]);
    await deviceLists.listDevices('a');
    expect(store.reads).toBe(1);

    deviceLists.forget('a');
    await deviceLists.listDevices('a');
    expect(store.reads).toBe(2);

    now += 999;
    await deviceLists.listDevices('a');
    expect(store.reads).toBe(2);
    now += 1;
    await deviceLists.listDevices('a');
    expect(store.reads).toBe(3);

    // A write the wrapper never saw (another process) stays invisible until one of the above.
    rows.set('a', [device('a', 1)]);
    expect(await deviceLists.listDevices('a')).toHaveLength(2);

    // Methods that change nothing pass through, with the store as `this`.
    expect(await accounts.getDevice({ accountId: 'a', deviceId: 1 })).toBe('fake');
    // An account without devices is not cached.
    expect(await deviceLists.listDevices('nobody')).toEqual([]);
    await deviceLists.listDevices('nobody');
    expect(store.reads).toBe(5);
  });

  it('drops an entry when a device-changing write starts and again when it settles', async () => {
    const { store, finishWrite } = fakeStore();
    const { accounts, deviceLists } = cacheDeviceLists(store as unknown as AccountStore, { ttlMs: 60_000, maxAccounts: 10 });
    await deviceLists.listDevices('a');
    const removal = accounts.removeDevice({ accountId: 'a', deviceId: 2 });
    // Read while the write runs: not served from the old entry, and not cached either.
    expect(await deviceLists.listDevices('a')).toHaveLength(2);
    expect(store.reads).toBe(2);
    finishWrite();
    expect(await removal).toBe(true);
    expect((await deviceLists.listDevices('a')).map((d) => d.deviceId)).toEqual([1]);
    expect(store.reads).toBe(3);
  });

  it('keeps at most maxAccounts entries', async () => {
    const { store } = fakeStore();
    const { deviceLists } = cacheDeviceLists(store as unknown as AccountStore, { ttlMs: 60_000, maxAccounts: 1 });
    await deviceLists.listDevices('a');
    store.listDevices = async function (accountId: string) {
      this.reads++;
      return [device(accountId, 1)];
    };
    await deviceLists.listDevices('b');
    await deviceLists.listDevices('a');
    expect(store.reads).toBe(3);
  });
});

describe('device-list cache in a running relay', () => {
  const start = useRelayPerTest();

  it('reads the list again after the enqueue refused a device another process removed', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(relay.url);
    const sender = await connect(relay.wsUrl, bob.token());
    await sender.next('drained');
    const copies = (ids: number[]) => ids.map((deviceId) => ({ deviceId, ciphertext: 'AAAA' }));
    sender.send({ v: 1, type: 'send', clientId: 'c1', to: alice.accountId, copies: copies([1, 2]) });
    expect(await sender.next('sent')).toMatchObject({ clientId: 'c1', stored: 2 });

    // Another process (an operator command) removes device 2: no bus event, no cache invalidation.
    const other = new Database(sqliteFileOf(relay.relay.services.deps.config));
    other.pragma('foreign_keys = ON');
    other.prepare('DELETE FROM devices WHERE account_id = ? AND device_id = ?').run(alice.accountId, 2);
    other.close();

    sender.send({ v: 1, type: 'send', clientId: 'c2', to: alice.accountId, copies: copies([1, 2]) });
    expect(await sender.next('error')).toMatchObject({ code: 'RELAY_ERR_DEVICE_MISMATCH', details: { missing: [], extra: [{ accountId: alice.accountId, deviceId: 2 }] } });
    // The sender drops device 2, as told: the relay now checks against the list read again.
    sender.send({ v: 1, type: 'send', clientId: 'c3', to: alice.accountId, copies: copies([1]) });
    expect(await sender.next('sent')).toMatchObject({ clientId: 'c3', stored: 1 });
    await sender.close();
  });
});
