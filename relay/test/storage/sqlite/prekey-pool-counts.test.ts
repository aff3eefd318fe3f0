/**
 * Migration 6 (prekey pool counts kept on the device row): a version-5 database with stored
 * prekeys opens with the counts backfilled from its rows, the covering index of version 5 gone,
 * and the counts kept from there on.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../../src/storage/sqlite/migrations.js';
import { openSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import { makeTempDir } from '../../support/temp-dir.js';
import type { TempDir } from '../../support/temp-dir.js';

/** Writes a database exactly as a relay at schema version 5 left it. */
function writeVersion5(file: string, fill: (db: Database.Database) => void): void {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  for (const migration of MIGRATIONS.filter((m) => m.version <= 5)) {
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (?, ?, 0)').run(migration.version, migration.description);
  }
  fill(db);
  db.close();
}

describe('SQLite migration 6: prekey pool counts on devices', () => {
  let dir: TempDir;
  afterEach(() => dir.remove());

  it('backfills the counts of a version-5 database and keeps them from then on', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    writeVersion5(file, (db) => {
      db.prepare("INSERT INTO accounts VALUES ('acct', x'01', NULL, NULL, 1, 1, x'02', 1)").run();
      const device = db.prepare("INSERT INTO devices (account_id, device_id, signing_key, identity_key, added_in_version, created_at) VALUES ('acct', ?, x'03', x'04', 1, 1)");
      for (const id of [1, 2, 3]) device.run(id);
      const key = db.prepare("INSERT INTO prekeys VALUES ('acct', ?, ?, ?, ?)");
      const put = (deviceId: number, kind: number, from: number, count: number) => {
        for (let i = 0; i < count; i++) key.run(deviceId, kind, from + i, Buffer.alloc(1_568, i));
      };
      // Device 1: everything; device 2: one-time X25519 keys only; device 3: nothing.
      put(1, 0, 1, 1);
      put(1, 1, 2, 1);
      put(1, 2, 10, 7);
      put(1, 3, 100, 5);
      put(2, 2, 10, 3);
    });

    const storage = openSqliteStorage({ file });
    try {
      const counts = async (deviceId: number) => storage.prekeys.counts({ accountId: 'acct', deviceId });
      expect(await counts(1)).toEqual({ oneTimeX25519: 7, oneTimeKem: 5, signedPrekey: true, lastResortKem: true });
      expect(await counts(2)).toEqual({ oneTimeX25519: 3, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });
      expect(await counts(3)).toEqual({ oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false });

      const [one, two] = await storage.prekeys.takeBundles('acct', [1, 2, 3]);
      expect(one).toMatchObject({ deviceId: 1, oneTimeX25519: { keyId: 10 }, kemPrekey: { keyId: 100 }, remaining: { oneTimeX25519: 6, oneTimeKem: 4 } });
      expect(two).toMatchObject({ deviceId: 2, oneTimeX25519: { keyId: 10 }, kemPrekey: null, remaining: { oneTimeX25519: 2, oneTimeKem: 0 } });
      expect(await counts(1)).toEqual({ oneTimeX25519: 6, oneTimeKem: 4, signedPrekey: true, lastResortKem: true });
    } finally {
      await storage.close();
    }

    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'prekeys_pool_counts'").get()).toBeUndefined();
      expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 6 });
      // The kept counts equal the rows, as a fresh count sees them.
      const rows = db
        .prepare(
          `SELECT d.device_id, d.pool_x25519, d.pool_kem,
                  (SELECT COUNT(*) FROM prekeys p WHERE p.account_id = d.account_id AND p.device_id = d.device_id AND p.kind = 2) AS x,
                  (SELECT COUNT(*) FROM prekeys p WHERE p.account_id = d.account_id AND p.device_id = d.device_id AND p.kind = 3) AS k
           FROM devices d ORDER BY d.device_id`,
        )
        .all() as Array<{ device_id: number; pool_x25519: number; pool_kem: number; x: number; k: number }>;
      for (const row of rows) expect([row.pool_x25519, row.pool_kem]).toEqual([row.x, row.k]);
    } finally {
      db.close();
    }
  });
});
