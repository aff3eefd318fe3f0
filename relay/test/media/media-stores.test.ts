import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InMemoryMediaStore } from '../../src/media/in-memory-media-store.js';
import { MEDIA_SCHEMA_SQL, SqliteMediaStore } from '../../src/media/sqlite-media-store.js';
import { makeTempDir } from '../support/temp-dir.js';
import { mediaStoreContract, pending } from './media-store-contract.js';

mediaStoreContract('in memory', () => ({ store: new InMemoryMediaStore(), close: () => undefined }));

mediaStoreContract('SQLite (file, WAL)', () => {
  const dir = makeTempDir('sealpost-media-sqlite-');
  const db = new Database(join(dir.path, 'relay.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(MEDIA_SCHEMA_SQL);
  return {
    store: new SqliteMediaStore(db),
    close: () => {
      db.close();
      dir.remove();
    },
  };
});

mediaStoreContract('SQLite with a caller-supplied write runner', () => {
  const db = new Database(':memory:');
  db.exec(MEDIA_SCHEMA_SQL);
  // Stands in for the relay's group committer: a deferred unit of work in a transaction.
  const run = <T>(work: () => T) => new Promise<T>((resolve, reject) => setImmediate(() => {
    try {
      resolve(db.transaction(work).immediate());
    } catch (error) {
      reject(error as Error);
    }
  }));
  return {
    store: new SqliteMediaStore(db, run),
    close: () => {
      db.close();
    },
  };
});

describe('SqliteMediaStore', () => {
  it('survives a reopen of the database file', async () => {
    const dir = makeTempDir('sealpost-media-sqlite-');
    try {
      const file = join(dir.path, 'relay.sqlite');
      const first = new Database(file);
      first.exec(MEDIA_SCHEMA_SQL);
      const r = pending('alice', 10);
      await new SqliteMediaStore(first).insertWithinLimits(r, { maxBytes: 100, maxObjects: 10, maxPending: 10 }, r.createdAt);
      first.close();
      const second = new Database(file);
      expect(await new SqliteMediaStore(second).get(r.mediaId)).toEqual(r);
      second.close();
    } finally {
      dir.remove();
    }
  });

  it('refuses a state the schema does not know', () => {
    const db = new Database(':memory:');
    db.exec(MEDIA_SCHEMA_SQL);
    expect(() => db.prepare("INSERT INTO media VALUES ('x', 'a', 1, 'gone', 0, 0, 0, NULL, 0)").run()).toThrow(/CHECK/);
    db.close();
  });
});
