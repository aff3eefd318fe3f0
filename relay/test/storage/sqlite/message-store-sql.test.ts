/**
 * What the SQLite message store's lean statements must keep (sqlite-message-store.ts reads a
 * device's next seq before a plain UPDATE instead of using UPDATE … RETURNING, and releases
 * queue space once per ack): the check order of a send (sender, then client-id dedup, then every
 * copy's device and limits), refusals that name every device concerned and store nothing, seqs
 * that match what a read finds, and an index for every statement.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import type { SqliteRelayStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import type { DeviceAddress, SendRequest } from '../../../src/storage/records.js';
import { addAccount, bytes, sendRequest } from '../../support/storage-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import type { TempDir } from '../../support/temp-dir.js';

/** Every copy holds 10 bytes, which the limit and release checks below count on. */
const send = (from: DeviceAddress, to: readonly DeviceAddress[], overrides: Partial<SendRequest> = {}) => sendRequest(from, to, overrides, () => 10);

describe('SQLite message store statements', () => {
  let dir: TempDir;
  let storage: SqliteRelayStorage;
  let alice: DeviceAddress;

  beforeEach(async () => {
    dir = makeTempDir();
    storage = openSqliteStorage({ file: join(dir.path, 'relay.sqlite') });
    [alice] = (await addAccount(storage)) as [DeviceAddress];
  });
  afterEach(async () => {
    await storage.close();
    dir.remove();
  });

  it('answers a retry with the original result even once a queue is full or a device gone', async () => {
    const [bob] = (await addAccount(storage)) as [DeviceAddress];
    const original = send(alice, [bob], { maxQueueMessages: 1 });
    const first = await storage.messages.enqueue(original);
    // bob's queue is now full for this limit: only a new send is refused.
    await expect(storage.messages.enqueue(send(alice, [bob], { maxQueueMessages: 1 }))).rejects.toMatchObject({ code: 'RELAY_ERR_QUEUE_FULL' });
    const retry = await storage.messages.enqueue({ ...original, messageId: 'retry-1' });
    expect(retry).toEqual({ messageId: first.messageId, sentAt: 1_000, expiresAt: 100_000, stored: 1, duplicate: true, queued: [] });
    await storage.accounts.removeDevice(bob);
    expect((await storage.messages.enqueue({ ...original, messageId: 'retry-2' })).duplicate).toBe(true);
    expect(await storage.messages.getSendRecord('retry-1')).toBeNull();
  });

  it('refuses a send naming every gone device (before any full one), then every full device, and stores nothing', async () => {
    const [ok] = (await addAccount(storage)) as [DeviceAddress];
    const [full1] = (await addAccount(storage)) as [DeviceAddress];
    const [full2] = (await addAccount(storage)) as [DeviceAddress];
    const gone1 = { accountId: ok.accountId, deviceId: 8 };
    const gone2 = { accountId: full1.accountId, deviceId: 9 };
    const limits = { maxQueueMessages: 2, maxQueueBytes: 25 };
    // full1 is full by count (2 entries), full2 by bytes (20 + 10 > 25).
    await storage.messages.enqueue(send(alice, [full1], limits));
    await storage.messages.enqueue(send(alice, [full1], limits));
    await storage.messages.enqueue({ ...send(alice, [], limits), copies: [{ to: full2, ciphertext: bytes(20), notifySender: true }] });
    const before = await storage.messages.totalStats();

    const refusedGone = send(alice, [full1, ok, gone1, full2, gone2], limits);
    await expect(storage.messages.enqueue(refusedGone)).rejects.toMatchObject({ code: 'RELAY_ERR_DEVICE_MISMATCH', details: { missing: [], extra: [gone1, gone2], stale: [] } });
    const refusedFull = send(alice, [full1, ok, full2], limits);
    await expect(storage.messages.enqueue(refusedFull)).rejects.toMatchObject({ code: 'RELAY_ERR_QUEUE_FULL', details: { devices: [full1, full2] } });

    expect(await storage.messages.totalStats()).toEqual(before);
    expect(await storage.messages.getSendRecord(refusedGone.messageId)).toBeNull();
    expect(await storage.messages.getSendRecord(refusedFull.messageId)).toBeNull();
    // The refused sends took no seq: ok's first entry still gets the seq its queue gave first.
    const accepted = await storage.messages.enqueue(send(alice, [ok]));
    expect(accepted.queued[0]!.entry.seq).toBe(1);
    // The client id of a refused send is still free.
    expect((await storage.messages.enqueue({ ...send(alice, [ok]), clientId: refusedFull.clientId })).duplicate).toBe(false);
  });

  it('gives each copy its own seq, as a read finds it, even two copies for one device', async () => {
    const [bob1, bob2] = (await addAccount(storage, { deviceIds: [1, 2] })) as [DeviceAddress, DeviceAddress];
    await storage.messages.enqueue(send(alice, [bob2]));
    // The service refuses two copies for one device; the store still keeps them apart.
    const result = await storage.messages.enqueue(send(alice, [bob1, bob2, bob1]));
    expect(result.queued.map((q) => [q.to, q.entry.seq])).toEqual([
      [bob1, 1],
      [bob2, 2],
      [bob1, 2],
    ]);
    const queue1 = await storage.messages.fetch(bob1, 0, 10, 2_000);
    expect(queue1).toEqual([result.queued[0]!.entry, result.queued[2]!.entry]);
    expect(await storage.messages.fetch(bob2, 1, 10, 2_000)).toEqual([result.queued[1]!.entry]);
    expect(await storage.messages.stats(bob1)).toEqual({ count: 2, bytes: 20 });
  });

  it('queues an account notice on every device in device-id order, with the seq each queue gives next', async () => {
    const devices = (await addAccount(storage, { deviceIds: [3, 1, 2] })) as DeviceAddress[];
    const [d1, d2, d3] = [1, 2, 3].map((id) => devices.find((d) => d.deviceId === id)) as [DeviceAddress, DeviceAddress, DeviceAddress];
    await storage.messages.enqueue(send(alice, [d2]));
    await storage.messages.enqueue(send(alice, [d2]));
    const notice = { accountId: d1.accountId, kind: 'receipt' as const, payload: bytes(7), createdAt: 1_000, expiresAt: 50_000 };
    const queued = await storage.messages.notifyAccounts([notice, notice]);
    expect(queued.map((q) => [q.to.deviceId, q.entry.seq])).toEqual([
      [1, 1],
      [2, 3],
      [3, 1],
      [1, 2],
      [2, 4],
      [3, 2],
    ]);
    for (const device of [d1, d2, d3]) {
      const mine = queued.filter((q) => q.to.deviceId === device.deviceId).map((q) => q.entry);
      expect((await storage.messages.fetch(device, 0, 10, 2_000)).filter((e) => e.kind === 'receipt')).toEqual(mine);
    }
    expect(await storage.messages.stats(d2)).toEqual({ count: 4, bytes: 10 + 10 + 7 + 7 });
  });

  it('gives back the count and bytes of every entry an ack deletes, once per ack', async () => {
    const [bob] = (await addAccount(storage)) as [DeviceAddress];
    const sizes = [5, 17, 40];
    const results = [];
    for (const size of sizes) {
      const request = send(alice, [bob]);
      results.push(await storage.messages.enqueue({ ...request, copies: [{ to: bob, ciphertext: bytes(size), notifySender: true }] }));
    }
    const [s1, s2, s3] = results.map((r) => r.queued[0]!.entry.seq) as [number, number, number];
    const acked = await storage.messages.ack(bob, [s3, s1, s3, 999]);
    expect(acked.map((e) => e.seq)).toEqual([s3, s1]);
    expect(acked[0]).toEqual({ seq: s3, kind: 'message', messageId: results[2]!.messageId, sender: alice, notifySender: true, createdAt: 1_000 });
    expect(await storage.messages.stats(bob)).toEqual({ count: 1, bytes: 17 });
    expect((await storage.messages.fetch(bob, 0, 10, 2_000)).map((e) => e.seq)).toEqual([s2]);
  });

  it('runs every statement on an index (no full scan of queue or sends)', () => {
    // The statements are private to the store; this test reads their SQL through a cast.
    const statements = (storage.messages as unknown as { s: Record<string, Database.Statement> }).s;
    const db = new Database(join(dir.path, 'relay.sqlite'), { readonly: true });
    try {
      const plans = Object.entries(statements).map(([name, statement]) => {
        const parameters = (statement.source.match(/\?/g) ?? []).length;
        const plan = db.prepare(`EXPLAIN QUERY PLAN ${statement.source}`).all(...Array<null>(parameters).fill(null)) as Array<{ detail: string }>;
        return [name, plan.map((row) => row.detail).join('; ')];
      });
      expect(plans.length).toBeGreaterThan(10);
      for (const [name, plan] of plans) {
        // Only the whole-relay totals read every device row, by design.
        if (name === 'totalStats' || name === 'summary') expect(plan).toBe('SCAN devices');
        else expect(plan, name).not.toMatch(/\bSCAN\b/);
      }
    } finally {
      db.close();
    }
  });
});
