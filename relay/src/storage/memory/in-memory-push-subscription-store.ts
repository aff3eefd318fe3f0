/**
 * In-memory PushSubscriptionStore for tests and single-process use without a database. It has no
 * foreign key to devices, so whoever removes a device must call remove() — the account and
 * admin services do, after every device or account removal (the SQLite store also cascades).
 */
import type { NewPushSubscription, PushSubscriptionRecord, PushSubscriptionStore } from '../push-subscription-store.js';
import type { DeviceAddress } from '../records.js';

function keyOf(address: DeviceAddress): string {
  return `${address.accountId}/${address.deviceId}`;
}

export class InMemoryPushSubscriptionStore implements PushSubscriptionStore {
  private readonly records = new Map<string, PushSubscriptionRecord>();

  async put(address: DeviceAddress, subscription: NewPushSubscription): Promise<void> {
    this.records.set(keyOf(address), {
      accountId: address.accountId,
      deviceId: address.deviceId,
      endpoint: subscription.endpoint,
      p256dh: subscription.p256dh,
      auth: subscription.auth,
      createdAt: subscription.createdAt,
      failureCount: 0,
    });
  }

  async get(address: DeviceAddress): Promise<PushSubscriptionRecord | null> {
    return this.records.get(keyOf(address)) ?? null;
  }

  async remove(address: DeviceAddress): Promise<boolean> {
    return this.records.delete(keyOf(address));
  }

  async removeIfEndpoint(address: DeviceAddress, endpoint: string): Promise<boolean> {
    const record = this.records.get(keyOf(address));
    if (record === undefined || record.endpoint !== endpoint) return false;
    return this.records.delete(keyOf(address));
  }

  async removeAccount(accountId: string): Promise<number> {
    let removed = 0;
    for (const [key, record] of this.records) {
      if (record.accountId !== accountId) continue;
      this.records.delete(key);
      removed++;
    }
    return removed;
  }

  async recordFailure(address: DeviceAddress, endpoint: string): Promise<number> {
    const record = this.records.get(keyOf(address));
    if (record === undefined || record.endpoint !== endpoint) return 0;
    const failureCount = record.failureCount + 1;
    this.records.set(keyOf(address), { ...record, failureCount });
    return failureCount;
  }

  async recordSuccess(address: DeviceAddress, endpoint: string): Promise<void> {
    const record = this.records.get(keyOf(address));
    if (record === undefined || record.endpoint !== endpoint || record.failureCount === 0) return;
    this.records.set(keyOf(address), { ...record, failureCount: 0 });
  }

  async count(): Promise<number> {
    return this.records.size;
  }
}
