import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SealedStore } from '../../src/store/sealed-store.js';
import { fakeContact } from '../support/records.js';
import { createTestStore, testAccountId } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
let store: SealedStore;

beforeEach(async () => {
  store = (await createTestStore(temp.make())).store;
});
afterEach(() => {
  store.close();
  temp.cleanup();
});

describe('ContactStore', () => {
  it('finds contacts by account id, alias and case-insensitive username', () => {
    const bob = testAccountId(2);
    store.contacts.put(fakeContact(bob, { username: 'Bob', alias: 'builder' }));
    expect(store.contacts.getByAccountId(bob)?.username).toBe('Bob');
    expect(store.contacts.findByAlias('builder')?.accountId).toBe(bob);
    expect(store.contacts.findByAlias('Builder')).toBeUndefined();
    expect(store.contacts.findByUsername('bOB').map((c) => c.accountId)).toEqual([bob]);
    expect(store.contacts.getByAccountId(testAccountId(9))).toBeUndefined();
  });

  it('updates in place and moves the indexes with the record', () => {
    const bob = testAccountId(2);
    store.contacts.put(fakeContact(bob, { username: 'bob', alias: 'old' }));
    store.contacts.put(fakeContact(bob, { username: 'bob', alias: 'new', verified: true }));
    expect(store.contacts.list()).toHaveLength(1);
    expect(store.contacts.findByAlias('old')).toBeUndefined();
    expect(store.contacts.findByAlias('new')?.verified).toBe(true);
  });

  it('refuses the same alias for two contacts', () => {
    store.contacts.put(fakeContact(testAccountId(2), { alias: 'twin' }));
    expect(() => store.contacts.put(fakeContact(testAccountId(3), { alias: 'twin' }))).toThrow(/UNIQUE/);
  });

  it('lists in the order contacts were added and deletes', () => {
    store.contacts.put(fakeContact(testAccountId(3), { addedAt: 2 }));
    store.contacts.put(fakeContact(testAccountId(2), { addedAt: 1 }));
    expect(store.contacts.list().map((c) => c.addedAt)).toEqual([1, 2]);
    expect(store.contacts.delete(testAccountId(2))).toBe(true);
    expect(store.contacts.delete(testAccountId(2))).toBe(false);
  });
});

describe('PrekeyStore', () => {
  it('allocates growing key ids that are never reused after deletion', () => {
    const first = store.prekeys.allocateIds('one-time', 3);
    expect(first).toBe(1);
    for (let id = first; id < first + 3; id++) store.prekeys.put({ kind: 'one-time', keyId: id, secret: `s${id}`, lastResort: false, createdAt: 0 });
    expect(store.prekeys.count('one-time')).toBe(3);
    expect(store.prekeys.delete('one-time', 3)).toBe(true);
    expect(store.prekeys.delete('one-time', 3)).toBe(false);
    expect(store.prekeys.allocateIds('one-time', 2)).toBe(4);
    expect(store.prekeys.allocateIds('signed', 1)).toBe(1);
    expect(store.prekeys.get('one-time', 2)?.secret).toBe('s2');
    expect(store.prekeys.list('one-time').map((p) => p.keyId)).toEqual([1, 2]);
  });
});

describe('SessionStore', () => {
  it('keeps one record per peer device and lists an account\'s devices', () => {
    const bob = testAccountId(2);
    store.sessions.put({ accountId: bob, deviceId: 2 }, Uint8Array.of(1, 2));
    store.sessions.put({ accountId: bob, deviceId: 1 }, Uint8Array.of(3));
    store.sessions.put({ accountId: bob, deviceId: 1 }, Uint8Array.of(4));
    store.sessions.put({ accountId: testAccountId(3), deviceId: 1 }, Uint8Array.of(5));
    expect(Array.from(store.sessions.get({ accountId: bob, deviceId: 1 }) ?? [])).toEqual([4]);
    expect(store.sessions.devicesOf(bob)).toEqual([1, 2]);
    expect(store.sessions.deleteAccount(bob)).toBe(2);
    expect(store.sessions.get({ accountId: bob, deviceId: 2 })).toBeUndefined();
  });
});

describe('SettingsStore', () => {
  it('defaults read receipts on and persists a change', () => {
    expect(store.settings.get().readReceipts).toBe(true);
    store.settings.update({ readReceipts: false });
    expect(store.settings.get().readReceipts).toBe(false);
  });
});
