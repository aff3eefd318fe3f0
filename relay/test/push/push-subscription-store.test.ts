/**
 * Runs the PushSubscriptionStore contract against the in-memory and SQLite stores, and checks
 * that PUSH_SCHEMA_SQL applies on top of the relay's real migrations, where removing a device or
 * an account removes its subscription (ON DELETE CASCADE).
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { InMemoryPushSubscriptionStore } from '../../src/push/in-memory-push-subscription-store.js';
import { PUSH_SCHEMA_SQL, SqlitePushSubscriptionStore } from '../../src/push/sqlite-push-subscription-store.js';
import { migrate } from '../../src/storage/sqlite/migrations.js';
import { runPushSubscriptionStoreContract } from './support/push-subscription-store-contract.js';

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

runPushSubscriptionStoreContract('in-memory', async () => ({ store: new InMemoryPushSubscriptionStore(), addDevice() {} }));

runPushSubscriptionStoreContract('sqlite', async () => {
  const db = new Database(':memory:');
  open.push(db);
  db.pragma('foreign_keys = ON');
  // The two columns of the relay's `devices` key are all the push table refers to.
  db.exec('CREATE TABLE devices (account_id TEXT NOT NULL, device_id INTEGER NOT NULL, PRIMARY KEY (account_id, device_id))');
  db.exec(PUSH_SCHEMA_SQL);
  const add = db.prepare('INSERT INTO devices (account_id, device_id) VALUES (?, ?)');
  return { store: new SqlitePushSubscriptionStore(db), addDevice: (accountId, deviceId) => void add.run(accountId, deviceId) };
});

describe('SqlitePushSubscriptionStore on the relay schema', () => {
  function relayDb(): Database.Database {
    const db = new Database(':memory:');
    open.push(db);
    db.pragma('foreign_keys = ON');
    migrate(db, 1);
    db.exec(PUSH_SCHEMA_SQL);
    db.prepare("INSERT INTO accounts (account_id, account_key, created_at, device_list_version, device_list, device_list_updated_at) VALUES ('acct', x'01', 1, 1, x'02', 1)").run();
    const device = db.prepare("INSERT INTO devices (account_id, device_id, signing_key, identity_key, added_in_version, created_at) VALUES ('acct', ?, x'03', x'04', 1, 1)");
    device.run(1);
    device.run(2);
    return db;
  }
  const subscription = { endpoint: 'https://push.example.org/x', p256dh: 'k', auth: 'a', createdAt: 5 };

  it('refuses a subscription for a device the relay does not have', async () => {
    const store = new SqlitePushSubscriptionStore(relayDb());
    await expect(store.put({ accountId: 'acct', deviceId: 9 }, subscription)).rejects.toThrow(/FOREIGN KEY/);
  });

  it('drops the subscription with its device, and all of them with the account', async () => {
    const db = relayDb();
    const store = new SqlitePushSubscriptionStore(db);
    await store.put({ accountId: 'acct', deviceId: 1 }, subscription);
    await store.put({ accountId: 'acct', deviceId: 2 }, subscription);
    db.prepare("DELETE FROM devices WHERE account_id = 'acct' AND device_id = 1").run();
    expect(await store.get({ accountId: 'acct', deviceId: 1 })).toBeNull();
    expect(await store.count()).toBe(1);
    db.prepare("DELETE FROM accounts WHERE account_id = 'acct'").run();
    expect(await store.count()).toBe(0);
  });

  it('writes through a given write runner (the relay group committer)', async () => {
    const db = relayDb();
    const runs: string[] = [];
    const store = new SqlitePushSubscriptionStore(db, {
      run: async (work) => {
        runs.push('run');
        return db.transaction(work)();
      },
    });
    await store.put({ accountId: 'acct', deviceId: 1 }, subscription);
    await store.recordFailure({ accountId: 'acct', deviceId: 1 }, subscription.endpoint);
    await store.remove({ accountId: 'acct', deviceId: 1 });
    expect(runs).toHaveLength(3);
  });
});
