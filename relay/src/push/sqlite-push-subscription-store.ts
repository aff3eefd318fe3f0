/**
 * SQLite PushSubscriptionStore on the relay's own database handle (better-sqlite3). The table
 * references `devices`, so a device or account removed from the relay takes its subscription
 * with it (ON DELETE CASCADE; the relay opens the database with foreign_keys=ON). The lead
 * appends PUSH_SCHEMA_SQL to the relay's migrations as a new version.
 *
 * Writes go through an optional `WriteRunner` — pass the relay's group committer so they share
 * its batches and fsyncs; without one each write is its own transaction.
 */
import type Database from 'better-sqlite3';
import type { DeviceAddress } from '../storage/records.js';
import type { NewPushSubscription, PushSubscriptionRecord, PushSubscriptionStore } from './push-subscription-store.js';

export const PUSH_SCHEMA_SQL = `
  CREATE TABLE push_subscriptions (
    account_id TEXT NOT NULL,
    device_id INTEGER NOT NULL,
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    failure_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, device_id),
    FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
  ) WITHOUT ROWID;
`;

/** Runs a unit of work in a committed transaction; the relay's GroupCommitter fits. */
export interface WriteRunner {
  run<T>(work: () => T): Promise<T>;
}

interface Row {
  account_id: string;
  device_id: number;
  endpoint: string;
  p256dh: string;
  auth: string;
  created_at: number;
  failure_count: number;
}

function toRecord(row: Row): PushSubscriptionRecord {
  return {
    accountId: row.account_id,
    deviceId: row.device_id,
    endpoint: row.endpoint,
    p256dh: row.p256dh,
    auth: row.auth,
    createdAt: row.created_at,
    failureCount: row.failure_count,
  };
}

export class SqlitePushSubscriptionStore implements PushSubscriptionStore {
  private readonly writer: WriteRunner;
  private readonly s;

  constructor(db: Database.Database, writer?: WriteRunner) {
    this.writer = writer ?? { run: async (work) => db.transaction(work).immediate() };
    this.s = {
      put: db.prepare(
        `INSERT INTO push_subscriptions (account_id, device_id, endpoint, p256dh, auth, created_at, failure_count)
         VALUES (?, ?, ?, ?, ?, ?, 0)
         ON CONFLICT (account_id, device_id) DO UPDATE SET
           endpoint = excluded.endpoint, p256dh = excluded.p256dh, auth = excluded.auth,
           created_at = excluded.created_at, failure_count = 0`,
      ),
      get: db.prepare('SELECT * FROM push_subscriptions WHERE account_id = ? AND device_id = ?'),
      remove: db.prepare('DELETE FROM push_subscriptions WHERE account_id = ? AND device_id = ?'),
      removeIfEndpoint: db.prepare('DELETE FROM push_subscriptions WHERE account_id = ? AND device_id = ? AND endpoint = ?'),
      removeAccount: db.prepare('DELETE FROM push_subscriptions WHERE account_id = ?'),
      recordFailure: db.prepare(
        'UPDATE push_subscriptions SET failure_count = failure_count + 1 WHERE account_id = ? AND device_id = ? AND endpoint = ? RETURNING failure_count',
      ),
      recordSuccess: db.prepare('UPDATE push_subscriptions SET failure_count = 0 WHERE account_id = ? AND device_id = ? AND endpoint = ? AND failure_count <> 0'),
      count: db.prepare('SELECT COUNT(*) AS n FROM push_subscriptions'),
    };
  }

  put(address: DeviceAddress, subscription: NewPushSubscription): Promise<void> {
    return this.writer.run(() => {
      this.s.put.run(address.accountId, address.deviceId, subscription.endpoint, subscription.p256dh, subscription.auth, subscription.createdAt);
    });
  }

  async get(address: DeviceAddress): Promise<PushSubscriptionRecord | null> {
    const row = this.s.get.get(address.accountId, address.deviceId) as Row | undefined;
    return row === undefined ? null : toRecord(row);
  }

  remove(address: DeviceAddress): Promise<boolean> {
    return this.writer.run(() => this.s.remove.run(address.accountId, address.deviceId).changes === 1);
  }

  removeIfEndpoint(address: DeviceAddress, endpoint: string): Promise<boolean> {
    return this.writer.run(() => this.s.removeIfEndpoint.run(address.accountId, address.deviceId, endpoint).changes === 1);
  }

  removeAccount(accountId: string): Promise<number> {
    return this.writer.run(() => this.s.removeAccount.run(accountId).changes);
  }

  recordFailure(address: DeviceAddress, endpoint: string): Promise<number> {
    return this.writer.run(() => {
      const row = this.s.recordFailure.get(address.accountId, address.deviceId, endpoint) as { failure_count: number } | undefined;
      return row?.failure_count ?? 0;
    });
  }

  recordSuccess(address: DeviceAddress, endpoint: string): Promise<void> {
    return this.writer.run(() => {
      this.s.recordSuccess.run(address.accountId, address.deviceId, endpoint);
    });
  }

  async count(): Promise<number> {
    return (this.s.count.get() as { n: number }).n;
  }
}
