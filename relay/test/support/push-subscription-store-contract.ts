/** Contract suite for PushSubscriptionStore: every implementation must pass it. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PushSubscriptionStore } from '../../src/storage/push-subscription-store.js';
import type { DeviceAddress } from '../../src/storage/records.js';

export interface PushStoreFixture {
  readonly store: PushSubscriptionStore;
  /** Makes the devices exist where the implementation needs them to (foreign keys). */
  addDevices(devices: readonly DeviceAddress[]): Promise<void>;
  cleanup(): Promise<void>;
}

const sub = (n: number) => ({ endpoint: `https://push.example.org/s/${n}`, p256dh: `p256dh-${n}`, auth: `auth-${n}`, createdAt: 1_000 + n });

export function runPushSubscriptionStoreContract(name: string, makeFixture: () => Promise<PushStoreFixture>): void {
  describe(`PushSubscriptionStore contract: ${name}`, () => {
    let fixture: PushStoreFixture;
    let store: PushSubscriptionStore;
    const a1 = { accountId: 'acct-a', deviceId: 1 };
    const a2 = { accountId: 'acct-a', deviceId: 2 };
    const b1 = { accountId: 'acct-b', deviceId: 1 };

    beforeEach(async () => {
      fixture = await makeFixture();
      store = fixture.store;
      await fixture.addDevices([a1, a2, b1]);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('has nothing for a device that never subscribed', async () => {
      expect(await store.get(a1)).toBeNull();
      expect(await store.count()).toBe(0);
      expect(await store.remove(a1)).toBe(false);
    });

    it('stores one subscription per device and returns every field', async () => {
      await store.put(a1, sub(1));
      await store.put(a2, sub(2));
      expect(await store.get(a1)).toEqual({ accountId: 'acct-a', deviceId: 1, ...sub(1), failureCount: 0 });
      expect(await store.get(a2)).toEqual({ accountId: 'acct-a', deviceId: 2, ...sub(2), failureCount: 0 });
      expect(await store.get(b1)).toBeNull();
      expect(await store.count()).toBe(2);
    });

    it('replaces a subscription and resets its failure count', async () => {
      await store.put(a1, sub(1));
      expect(await store.recordFailure(a1, sub(1).endpoint)).toBe(1);
      expect(await store.recordFailure(a1, sub(1).endpoint)).toBe(2);
      await store.put(a1, sub(3));
      expect(await store.get(a1)).toEqual({ accountId: 'acct-a', deviceId: 1, ...sub(3), failureCount: 0 });
      expect(await store.count()).toBe(1);
    });

    it('counts failures only for the endpoint still registered, and resets on success', async () => {
      await store.put(a1, sub(1));
      expect(await store.recordFailure(a1, 'https://push.example.org/old')).toBe(0);
      expect(await store.recordFailure(a1, sub(1).endpoint)).toBe(1);
      await store.recordSuccess(a1, 'https://push.example.org/old');
      expect((await store.get(a1))?.failureCount).toBe(1);
      await store.recordSuccess(a1, sub(1).endpoint);
      expect((await store.get(a1))?.failureCount).toBe(0);
      expect(await store.recordFailure(b1, sub(1).endpoint)).toBe(0);
    });

    it('removes by device, and by endpoint only when it still matches', async () => {
      await store.put(a1, sub(1));
      await store.put(a2, sub(2));
      expect(await store.removeIfEndpoint(a1, sub(2).endpoint)).toBe(false);
      expect(await store.get(a1)).not.toBeNull();
      expect(await store.removeIfEndpoint(a1, sub(1).endpoint)).toBe(true);
      expect(await store.get(a1)).toBeNull();
      expect(await store.remove(a2)).toBe(true);
      expect(await store.remove(a2)).toBe(false);
      expect(await store.count()).toBe(0);
    });

    it('removes every subscription of one account and no other', async () => {
      await store.put(a1, sub(1));
      await store.put(a2, sub(2));
      await store.put(b1, sub(3));
      expect(await store.removeAccount('acct-a')).toBe(2);
      expect(await store.get(a1)).toBeNull();
      expect(await store.get(a2)).toBeNull();
      expect(await store.get(b1)).not.toBeNull();
      expect(await store.removeAccount('acct-a')).toBe(0);
    });
  });
}
