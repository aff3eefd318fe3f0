/**
 * SqlitePushSubscriptionStore: PushSubscriptionStore on the relay's SQLite database (the
 * `push_subscriptions` table, migration 4). The table references `devices`, so a device or
 * account removed from the relay takes its subscription with it (ON DELETE CASCADE; the relay
 * opens the database with foreign_keys=ON). Writes go through the group committer.
 */
import type { NewPushSubscription, PushSubscriptionRecord, PushSubscriptionStore } from '../push-subscription-store.js';
import type { DeviceAddress } from '../records.js';
import type { GroupCommitter } from './group-commit.js';

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
  private readonly s;

  constructor(private readonly committer: GroupCommitter) {
    const db = committer.database;
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
    return this.committer.run(() => {
      this.s.put.run(address.accountId, address.deviceId, subscription.endpoint, subscription.p256dh, subscription.auth, subscription.createdAt);
    });
  }

  async get(address: DeviceAddress): Promise<PushSubscriptionRecord | null> {
    const row = this.s.get.get(address.accountId, address.deviceId) as Row | undefined;
    return row === undefined ? null : toRecord(row);
  }

  remove(address: DeviceAddress): Promise<boolean> {
    return this.committer.run(() => this.s.remove.run(address.accountId, address.deviceId).changes === 1);
  }

  removeIfEndpoint(address: DeviceAddress, endpoint: string): Promise<boolean> {
    return this.committer.run(() => this.s.removeIfEndpoint.run(address.accountId, address.deviceId, endpoint).changes === 1);
  }

  removeAccount(accountId: string): Promise<number> {
    return this.committer.run(() => this.s.removeAccount.run(accountId).changes);
  }

  recordFailure(address: DeviceAddress, endpoint: string): Promise<number> {
    return this.committer.run(() => {
      const row = this.s.recordFailure.get(address.accountId, address.deviceId, endpoint) as { failure_count: number } | undefined;
      return row?.failure_count ?? 0;
    });
  }

  recordSuccess(address: DeviceAddress, endpoint: string): Promise<void> {
    return this.committer.run(() => {
      this.s.recordSuccess.run(address.accountId, address.deviceId, endpoint);
    });
  }

  async count(): Promise<number> {
    return (this.s.count.get() as { n: number }).n;
  }
}
