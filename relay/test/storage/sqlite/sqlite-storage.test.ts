/**
 * Runs every storage contract suite against SQLite, plus what is specific to SQLite: durability
 * settings, the migrations table, refusing a newer schema, group commit and reopening a file.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/storage/sqlite/migrations.js';
import { openSqlite } from '../../../src/storage/sqlite/open-sqlite.js';
import { openSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import { runAccountStoreContract } from '../../support/account-store-contract.js';
import { runChallengeStoreContract } from '../../support/challenge-store-contract.js';
import { runMessageStoreContract } from '../../support/message-store-contract.js';
import { runPrekeyStoreContract } from '../../support/prekey-store-contract.js';
import { makeSqliteStorage } from '../../support/sqlite-storage-factory.js';
import { addAccount, bytes } from '../../support/storage-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import type { TempDir } from '../../support/temp-dir.js';

runAccountStoreContract('sqlite', makeSqliteStorage);
runPrekeyStoreContract('sqlite', makeSqliteStorage);
runMessageStoreContract('sqlite', makeSqliteStorage);
runChallengeStoreContract('sqlite', makeSqliteStorage);

describe('SQLite storage specifics', () => {
  let dir: TempDir;
  afterEach(() => dir.remove());

  it('uses WAL with synchronous=FULL and records applied migrations', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'db', 'relay.sqlite');
    const storage = openSqliteStorage({ file });
    await storage.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: number }>;
    expect(versions.map((v) => v.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    db.close();
    // synchronous is a per-connection setting: check it on a connection opened the relay's way.
    const live = openSqlite(file, 1_000, 0);
    expect(live.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(live.pragma('foreign_keys', { simple: true })).toBe(1);
    live.close();
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
});
