/**
 * Contract suite for MessageStore: ordering, dedup, limits, device isolation, notices (per device
 * and per account), acks with their receipts in one write, expiry and concurrent
 * (group-committed) sends.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import type { AckedEntry, DeviceAddress } from '../../src/storage/records.js';
import { addAccount, bytes, sendRequest } from './storage-fixtures.js';
import type { StorageFactory } from './storage-fixtures.js';

const send = sendRequest;

export function runMessageStoreContract(name: string, makeStorage: StorageFactory): void {
  describe(`MessageStore contract: ${name}`, () => {
    let storage: RelayStorage;
    let cleanup: () => Promise<void>;
    let alice: DeviceAddress;
    let bob1: DeviceAddress;
    let bob2: DeviceAddress;

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
      [alice] = (await addAccount(storage)) as [DeviceAddress];
      [bob1, bob2] = (await addAccount(storage, { deviceIds: [1, 2] })) as [DeviceAddress, DeviceAddress];
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores one copy per device, ordered by a per-device sequence', async () => {
      const first = send(alice, [bob1, bob2]);
      const result = await storage.messages.enqueue(first);
      const { queued, ...summary } = result;
      expect(summary).toEqual({ messageId: first.messageId, sentAt: 1_000, expiresAt: 100_000, stored: 2, duplicate: false });
      const second = send(alice, [bob1]);
      await storage.messages.enqueue(second);

      const queue1 = await storage.messages.fetch(bob1, 0, 10, 2_000);
      // The entries the write hands back are the ones a read finds (delivery from memory relies on it).
      expect(queued.map((q) => q.to)).toEqual([bob1, bob2]);
      expect(queued[0]!.entry).toEqual(queue1[0]);
      expect(queue1.map((e) => e.messageId)).toEqual([first.messageId, second.messageId]);
      expect(queue1[1]!.seq).toBeGreaterThan(queue1[0]!.seq);
      expect(queue1[0]).toMatchObject({ kind: 'message', sender: alice, createdAt: 1_000, expiresAt: 100_000 });
      expect(queue1[0]!.payload).toEqual(first.copies[0]!.ciphertext);
      const queue2 = await storage.messages.fetch(bob2, 0, 10, 2_000);
      expect(queue2.map((e) => e.messageId)).toEqual([first.messageId]);
      expect(queue2[0]!.payload).toEqual(first.copies[1]!.ciphertext);
      expect(await storage.messages.fetch(bob1, queue1[0]!.seq, 10, 2_000)).toHaveLength(1);
      expect(await storage.messages.fetch(bob1, 0, 1, 2_000)).toHaveLength(1);
      expect(await storage.messages.stats(bob1)).toEqual({ count: 2, bytes: 20 });
    });

    it('answers a repeated client id with the original result and stores nothing', async () => {
      const original = send(alice, [bob1, bob2]);
      await storage.messages.enqueue(original);
      const retry = { ...send(alice, [bob1]), clientId: original.clientId, createdAt: 5_000 };
      const result = await storage.messages.enqueue(retry);
      expect(result).toEqual({ messageId: original.messageId, sentAt: 1_000, expiresAt: 100_000, stored: 2, duplicate: true, queued: [] });
      expect(await storage.messages.fetch(bob1, 0, 10, 2_000)).toHaveLength(1);
      expect(await storage.messages.getSendRecord(retry.messageId)).toBeNull();
      // The same client id from another device is a different send.
      const [other] = (await addAccount(storage)) as [DeviceAddress];
      expect((await storage.messages.enqueue({ ...send(other, [bob1]), clientId: original.clientId })).duplicate).toBe(false);
    });

    it('deduplicates concurrent retries of one client id to a single stored send', async () => {
      const base = send(alice, [bob1]);
      const results = await Promise.all(Array.from({ length: 5 }, (_, i) => storage.messages.enqueue({ ...base, messageId: `${base.messageId}-${i}` })));
      expect(new Set(results.map((r) => r.messageId)).size).toBe(1);
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await storage.messages.fetch(bob1, 0, 10, 2_000)).toHaveLength(1);
    });

    it('refuses a send that would overfill any queue (by count or bytes) and stores no copy', async () => {
      await storage.messages.enqueue(send(alice, [bob1], { maxQueueMessages: 1 }));
      const refused = storage.messages.enqueue(send(alice, [bob2, bob1], { maxQueueMessages: 1 }));
      await expect(refused).rejects.toMatchObject({ code: 'RELAY_ERR_QUEUE_FULL', details: { devices: [bob1] } });
      expect(await storage.messages.fetch(bob2, 0, 10, 2_000)).toEqual([]);
      await expect(storage.messages.enqueue(send(alice, [bob2], { maxQueueBytes: 5 }))).rejects.toMatchObject({ code: 'RELAY_ERR_QUEUE_FULL' });
      expect(await storage.messages.stats(bob2)).toEqual({ count: 0, bytes: 0 });
    });

    it('refuses a send from a device that no longer exists, duplicates included, storing nothing', async () => {
      const original = send(bob2, [alice]);
      await storage.messages.enqueue(original);
      await storage.accounts.removeDevice(bob2);
      await expect(storage.messages.enqueue(send(bob2, [alice]))).rejects.toMatchObject({ code: 'RELAY_ERR_DEVICE_REMOVED' });
      await expect(storage.messages.enqueue({ ...send(bob2, [alice]), clientId: original.clientId })).rejects.toMatchObject({ code: 'RELAY_ERR_DEVICE_REMOVED' });
      expect(await storage.messages.stats(alice)).toEqual({ count: 1, bytes: 10 });
    });

    it('refuses copies for devices that do not exist', async () => {
      const ghost = { accountId: bob1.accountId, deviceId: 9 };
      await expect(storage.messages.enqueue(send(alice, [bob1, ghost]))).rejects.toMatchObject({ code: 'RELAY_ERR_DEVICE_MISMATCH', details: { extra: [ghost] } });
      expect(await storage.messages.fetch(bob1, 0, 10, 2_000)).toEqual([]);
    });

    it('deletes only the acking device\'s rows and reports what they were', async () => {
      await storage.messages.enqueue(send(alice, [bob1]));
      const message = send(alice, [bob1, bob2]);
      await storage.messages.enqueue(message);
      const entry1 = (await storage.messages.fetch(bob1, 0, 10, 2_000))[1]!;
      const [entry2] = await storage.messages.fetch(bob2, 0, 10, 2_000);
      expect(entry1.seq).not.toBe(entry2!.seq);
      // bob2 names bob1's seq: nothing of bob1's queue may go.
      expect(await storage.messages.ack(bob2, [entry1.seq])).toEqual([]);
      expect(await storage.messages.fetch(bob1, 0, 10, 2_000)).toHaveLength(2);
      const acked = await storage.messages.ack(bob1, [entry1.seq, entry1.seq, 12345]);
      expect(acked).toEqual([{ seq: entry1.seq, kind: 'message', messageId: message.messageId, sender: alice, notifySender: true, createdAt: 1_000 }]);
      expect(await storage.messages.ack(bob1, [entry1.seq])).toEqual([]);
      expect(await storage.messages.stats(bob1)).toEqual({ count: 1, bytes: 10 });
    });

    it('queues notices in the same sequence as messages and drops those for missing devices', async () => {
      await storage.messages.enqueue(send(bob1, [alice]));
      const stored = await storage.messages.enqueueNotices([
        { to: alice, kind: 'receipt', payload: new TextEncoder().encode('{"r":1}'), createdAt: 1_000, expiresAt: 50_000 },
        { to: { accountId: alice.accountId, deviceId: 77 }, kind: 'receipt', payload: bytes(3), createdAt: 1_000, expiresAt: 50_000 },
        { to: alice, kind: 'expired', payload: bytes(4), createdAt: 1_000, expiresAt: 50_000 },
      ]);
      expect(stored).toBe(2);
      const queue = await storage.messages.fetch(alice, 0, 10, 2_000);
      expect(queue.map((e) => e.kind)).toEqual(['message', 'receipt', 'expired']);
      expect(new TextDecoder().decode(queue[1]!.payload)).toBe('{"r":1}');
      expect(queue[1]).toMatchObject({ messageId: null, sender: null });
    });

    it('queues an account notice for every current device of the account', async () => {
      const notice = { accountId: bob1.accountId, kind: 'expired' as const, payload: bytes(5), createdAt: 1_000, expiresAt: 50_000 };
      const gone = { ...notice, accountId: 'no-such-account' };
      const queued = await storage.messages.notifyAccounts([notice, gone]);
      expect(queued.map((q) => q.to)).toEqual([bob1, bob2]);
      for (const [i, device] of [bob1, bob2].entries()) {
        const entries = await storage.messages.fetch(device, 0, 10, 2_000);
        expect(entries.map((e) => [e.kind, e.payload])).toEqual([['expired', bytes(5)]]);
        expect(queued[i]!.entry).toEqual(entries[0]);
      }
      await storage.accounts.removeDevice(bob2);
      expect((await storage.messages.notifyAccounts([notice])).map((q) => q.to)).toEqual([bob1]);
      expect(await storage.messages.notifyAccounts([])).toEqual([]);
    });

    it('acks and queues the resulting notices in one write', async () => {
      const [carol] = (await addAccount(storage)) as [DeviceAddress];
      const fromAlice = send(alice, [bob1]);
      const fromCarol = send(carol, [bob1]);
      await storage.messages.enqueue(fromAlice);
      await storage.messages.enqueue(fromCarol);
      const queue = await storage.messages.fetch(bob1, 0, 10, 2_000);
      const seen: AckedEntry[][] = [];
      const result = await storage.messages.ackAndNotify(bob1, [...queue.map((e) => e.seq), 999], (acked) => {
        seen.push([...acked]);
        return acked.map((e) => ({ accountId: e.sender!.accountId, kind: 'receipt' as const, payload: new TextEncoder().encode(e.messageId!), createdAt: 1_000, expiresAt: 50_000 }));
      });
      expect(result.acked.map((e) => e.messageId)).toEqual([fromAlice.messageId, fromCarol.messageId]);
      expect(seen).toEqual([result.acked]);
      expect(result.notified.map((q) => q.to)).toEqual([alice, carol]);
      expect(await storage.messages.stats(bob1)).toEqual({ count: 0, bytes: 0 });
      const receipt = await storage.messages.fetch(alice, 0, 10, 2_000);
      expect(result.notified[0]!.entry).toEqual(receipt[0]);
      expect(receipt.map((e) => [e.kind, new TextDecoder().decode(e.payload)])).toEqual([['receipt', fromAlice.messageId]]);
      expect((await storage.messages.fetch(carol, 0, 10, 2_000)).map((e) => e.kind)).toEqual(['receipt']);

      // Nothing acked: the notice builder is not asked, and nothing is queued.
      const none = await storage.messages.ackAndNotify(bob1, [queue[0]!.seq], () => {
        throw new Error('not called');
      });
      expect(none).toEqual({ acked: [], notified: [] });
      // A builder that throws rolls the ack back with it.
      const another = send(alice, [bob1]);
      await storage.messages.enqueue(another);
      const [entry] = await storage.messages.fetch(bob1, 0, 10, 2_000);
      await expect(
        storage.messages.ackAndNotify(bob1, [entry!.seq], () => {
          throw new Error('builder failed');
        }),
      ).rejects.toThrow('builder failed');
      expect(await storage.messages.stats(bob1)).toEqual({ count: 1, bytes: 10 });
    });

    it('hides expired entries, sweeps them and reports undelivered message copies', async () => {
      const shortLived = send(alice, [bob1, bob2], { expiresAt: 5_000 });
      await storage.messages.enqueue(shortLived);
      await storage.messages.enqueue(send(alice, [bob1], { expiresAt: 90_000 }));
      await storage.messages.enqueueNotices([{ to: bob1, kind: 'receipt', payload: bytes(2), createdAt: 1_000, expiresAt: 5_000 }]);
      expect(await storage.messages.fetch(bob1, 0, 10, 6_000)).toHaveLength(1);

      const sweep = await storage.messages.sweepExpired(6_000, 100);
      expect(sweep.expired).toHaveLength(2);
      expect(sweep.expired).toContainEqual({ messageId: shortLived.messageId, sender: alice, to: bob1 });
      expect(sweep.expired).toContainEqual({ messageId: shortLived.messageId, sender: alice, to: bob2 });
      expect(sweep.purged).toBe(1);
      expect(await storage.messages.stats(bob2)).toEqual({ count: 0, bytes: 0 });
      expect((await storage.messages.sweepExpired(6_000, 100)).expired).toEqual([]);
    });

    it('sweeps in bounded steps', async () => {
      for (let i = 0; i < 5; i++) await storage.messages.enqueue(send(alice, [bob1], { expiresAt: 2_000 }));
      expect((await storage.messages.sweepExpired(3_000, 2)).expired).toHaveLength(2);
      expect((await storage.messages.sweepExpired(3_000, 10)).expired).toHaveLength(3);
    });

    it('remembers sends for routing until their retention ends', async () => {
      const message = send(alice, [bob1], { retainUntil: 10_000 });
      await storage.messages.enqueue(message);
      expect(await storage.messages.getSendRecord(message.messageId)).toEqual({ messageId: message.messageId, sender: alice, recipientAccountId: bob1.accountId, createdAt: 1_000 });
      await storage.messages.sweepExpired(10_000, 100);
      expect(await storage.messages.getSendRecord(message.messageId)).toBeNull();
      // After retention the client id may be used again.
      expect((await storage.messages.enqueue({ ...send(alice, [bob1]), clientId: message.clientId })).duplicate).toBe(false);
    });

    it('stores many concurrent sends with distinct, gap-free sequence numbers', async () => {
      const sends = Array.from({ length: 60 }, () => send(alice, [bob1, bob2]));
      const results = await Promise.all(sends.map((s) => storage.messages.enqueue(s)));
      expect(results.every((r) => !r.duplicate && r.stored === 2)).toBe(true);
      const queue = await storage.messages.fetch(bob1, 0, 1_000, 2_000);
      expect(queue).toHaveLength(60);
      const seqs = queue.map((e) => e.seq);
      expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => seqs[0]! + i));
      expect((await storage.messages.totalStats()).count).toBe(120);
    });

    it('summarizes queue depths: totals, devices with entries and the deepest queue', async () => {
      expect(await storage.messages.queueSummary()).toEqual({ count: 0, bytes: 0, devices: 0, maxCount: 0, maxBytes: 0 });
      await storage.messages.enqueue(send(alice, [bob1, bob2]));
      await storage.messages.enqueue(send(alice, [bob1]));
      await storage.messages.enqueue(send(alice, [bob1]));
      expect(await storage.messages.queueSummary()).toEqual({ count: 4, bytes: 10 + 11 + 10 + 10, devices: 2, maxCount: 3, maxBytes: 30 });
    });

    it('drops a device\'s queue when the device is removed or replaced', async () => {
      await storage.messages.enqueue(send(alice, [bob1, bob2]));
      await storage.accounts.removeDevice(bob2);
      expect(await storage.messages.fetch(bob2, 0, 10, 2_000)).toEqual([]);
      expect((await storage.messages.totalStats()).count).toBe(1);
    });
  });
}
