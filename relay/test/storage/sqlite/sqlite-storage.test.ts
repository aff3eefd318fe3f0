/**
 * Runs every storage contract suite against SQLite, plus what is specific to SQLite: durability
 * settings (the fdatasync and checkpoint machinery has its own file, wal-durability.test.ts),
 * the migrations table, refusing a newer schema, group commit, reopening a file, and the media
 * and push tables' constraints (state check, foreign key cascade).
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, SCHEMA_VERSION } from '../../../src/storage/sqlite/migrations.js';
import { openSqlite } from '../../../src/storage/sqlite/open-sqlite.js';
import { openSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import { runAccountStoreContract } from '../../support/account-store-contract.js';
import { runChallengeStoreContract } from '../../support/challenge-store-contract.js';
import { pending, runMediaStoreContract } from '../../support/media-store-contract.js';
import { runMessageStoreContract } from '../../support/message-store-contract.js';
import { runPrekeyStoreContract } from '../../support/prekey-store-contract.js';
import { runPushSubscriptionStoreContract } from '../../support/push-subscription-store-contract.js';
import { makeSqliteStorage } from '../../support/sqlite-storage-factory.js';
import { addAccount, addDevices, bytes, newAccount } from '../../support/storage-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import type { TempDir } from '../../support/temp-dir.js';

runAccountStoreContract('sqlite', makeSqliteStorage);
runPrekeyStoreContract('sqlite', makeSqliteStorage);
runMessageStoreContract('sqlite', makeSqliteStorage);
runChallengeStoreContract('sqlite', makeSqliteStorage);
runMediaStoreContract('sqlite', async () => {
  const { storage, cleanup } = await makeSqliteStorage();
  return { store: storage.media, close: cleanup };
});
runPushSubscriptionStoreContract('sqlite', async () => {
  const { storage, cleanup } = await makeSqliteStorage();
  return { store: storage.pushSubscriptions, addDevices: (devices) => addDevices(storage, devices), cleanup };
});

describe('SQLite storage specifics', () => {
  let dir: TempDir;
  afterEach(() => dir.remove());

  it('uses WAL, commits with synchronous=NORMAL (the WAL is fdatasynced by the committer) and records applied migrations', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'db', 'relay.sqlite');
    const storage = openSqliteStorage({ file });
    await storage.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    db.close();
    // synchronous is a per-connection setting: check it on a connection opened the relay's way
    // (group-commit.ts and wal-durability.test.ts say why NORMAL is durable there).
    const live = openSqlite(file, 1_000, 0, { durability: 'wal-fdatasync' });
    expect(live.pragma('synchronous', { simple: true })).toBe(1); // 1 = NORMAL
    expect(live.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    expect(live.pragma('foreign_keys', { simple: true })).toBe(1);
    live.close();
    const plain = openSqlite(file, 1_000, 0);
    expect(plain.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    plain.close();
    const again = openSqliteStorage({ file });
    expect(await again.ping()).toBe(true);
    await again.close();
    expect(await again.ping()).toBe(false);
  });

  it('refuses a database written by a newer schema', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    await openSqliteStorage({ file }).close();
    const db = new Database(file);
    db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)').run(SCHEMA_VERSION + 1, 'future', 0);
    db.close();
    expect(() => openSqliteStorage({ file })).toThrow(/newer than this relay understands/);
    expect(() => openSqliteStorage({ file })).toThrow(expect.objectContaining({ code: 'RELAY_ERR_DATABASE_VERSION' }));
  });

  it('migrates a version-1 database: used invites keep counting as used', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const v1 = new Database(file);
    v1.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    v1.exec(MIGRATIONS[0]!.sql);
    v1.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(MIGRATIONS[0]!.description);
    const insert = v1.prepare('INSERT INTO invites (token_hash, created_at, expires_at, used_at, used_by) VALUES (?, 1, 1e12, ?, ?)');
    insert.run(Buffer.from([1]), 5, 'sp1someone');
    insert.run(Buffer.from([2]), null, null);
    v1.close();
    const storage = openSqliteStorage({ file });
    const invites = await storage.accounts.listInvites();
    expect(invites.map((i) => [i.tokenHash[0], i.uses, i.maxUses, i.usedBy])).toEqual([
      [1, 1, 1, 'sp1someone'],
      [2, 0, 1, null],
    ]);
    await expect(storage.accounts.createAccount(newAccount({ createdAt: 10 }), { inviteHash: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'RELAY_ERR_INVITE_INVALID' });
    await storage.accounts.createAccount(newAccount({ createdAt: 10 }), { inviteHash: new Uint8Array([2]) });
    await storage.close();
  });

  it('opens without migrating only an existing database at exactly this version', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    expect(() => openSqliteStorage({ file, migrate: false })).toThrow();
    expect(existsSync(file)).toBe(false);
    const older = new Database(file);
    older.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    older.close();
    expect(() => openSqliteStorage({ file, migrate: false })).toThrow(expect.objectContaining({ code: 'RELAY_ERR_DATABASE_VERSION' }));
    await openSqliteStorage({ file }).close();
    const current = openSqliteStorage({ file, migrate: false });
    expect(await current.ping()).toBe(true);
    await current.close();
  });

  it('keeps every acknowledged send after the file is closed and reopened', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const storage = openSqliteStorage({ file });
    const [alice] = await addAccount(storage);
    const [bob] = await addAccount(storage);
    const sends = Array.from({ length: 30 }, (_, i) =>
      storage.messages.enqueue({
        messageId: `m${i}`,
        sender: alice!,
        clientId: `c${i}`,
        recipientAccountId: bob!.accountId,
        copies: [{ to: bob!, ciphertext: bytes(20, i), notifySender: true }],
        createdAt: 1,
        expiresAt: 1e12,
        retainUntil: 1e12,
        maxQueueMessages: 100,
        maxQueueBytes: 1e6,
      }),
    );
    await Promise.all(sends);
    await storage.close();
    const reopened = openSqliteStorage({ file });
    const queue = await reopened.messages.fetch(bob!, 0, 100, 2);
    expect(queue.map((e) => e.messageId)).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`));
    await reopened.close();
  });

  it('groups concurrent writes into fewer commits than writes', async () => {
    dir = makeTempDir();
    const batches: number[] = [];
    const storage = openSqliteStorage({ file: join(dir.path, 'relay.sqlite'), onCommit: (size) => batches.push(size) });
    await Promise.all(Array.from({ length: 40 }, (_, i) => storage.challenges.issue(`n${i}`, { issuedAt: i, expiresAt: 1e12 }, 1_000)));
    expect(batches.reduce((a, b) => a + b, 0)).toBe(40);
    expect(batches.length).toBeLessThan(40);
    await storage.close();
  });

  it('rejects only the failing unit of a batch', async () => {
    dir = makeTempDir();
    const storage = openSqliteStorage({ file: join(dir.path, 'relay.sqlite') });
    await storage.challenges.issue('dup', { issuedAt: 1, expiresAt: 1e12 }, 100);
    const results = await Promise.allSettled([
      storage.challenges.issue('a', { issuedAt: 1, expiresAt: 1e12 }, 100),
      storage.challenges.issue('dup', { issuedAt: 1, expiresAt: 1e12 }, 100),
      storage.challenges.issue('b', { issuedAt: 1, expiresAt: 1e12 }, 100),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await storage.challenges.consume('a')).not.toBeNull();
    expect(await storage.challenges.consume('b')).not.toBeNull();
    await storage.close();
    await expect(storage.challenges.consume('a')).rejects.toThrow(/closed/);
  });

  it('keeps media records and push subscriptions across a reopen', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const storage = openSqliteStorage({ file });
    const [alice] = await addAccount(storage);
    const record = pending(alice!.accountId, 10);
    const subscription = { endpoint: 'https://push.example.org/x', p256dh: 'k', auth: 'a', createdAt: 5 };
    await storage.media.insertWithinLimits(record, { maxBytes: 100, maxObjects: 10, maxPending: 10 }, record.createdAt);
    await storage.pushSubscriptions.put(alice!, subscription);
    await storage.close();
    const reopened = openSqliteStorage({ file });
    expect(await reopened.media.get(record.mediaId)).toEqual(record);
    expect(await reopened.pushSubscriptions.get(alice!)).toEqual({ ...alice, ...subscription, failureCount: 0 });
    await reopened.close();
  });

  it('refuses a media state the schema does not know', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    await openSqliteStorage({ file }).close();
    const db = new Database(file);
    expect(() => db.prepare("INSERT INTO media VALUES ('x', 'a', 1, 'gone', 0, 0, 0, NULL, 0)").run()).toThrow(/CHECK/);
    db.close();
  });

  it('refuses a push subscription for an unknown device and drops it with its device or account', async () => {
    dir = makeTempDir();
    const storage = openSqliteStorage({ file: join(dir.path, 'relay.sqlite') });
    const subscription = { endpoint: 'https://push.example.org/x', p256dh: 'k', auth: 'a', createdAt: 5 };
    const [one, two] = await addAccount(storage, { deviceIds: [1, 2] });
    await expect(storage.pushSubscriptions.put({ accountId: one!.accountId, deviceId: 9 }, subscription)).rejects.toThrow(/FOREIGN KEY/);
    await storage.pushSubscriptions.put(one!, subscription);
    await storage.pushSubscriptions.put(two!, subscription);
    // Straight through the account store: the cascade alone must do it, no service involved.
    await storage.accounts.removeDevice(one!);
    expect(await storage.pushSubscriptions.get(one!)).toBeNull();
    expect(await storage.pushSubscriptions.count()).toBe(1);
    await storage.accounts.deleteAccount(two!.accountId);
    expect(await storage.pushSubscriptions.count()).toBe(0);
    await storage.close();
  });
});
