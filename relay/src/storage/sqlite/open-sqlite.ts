/**
 * Opens the relay's SQLite database with the settings durability depends on: WAL journal, foreign
 * keys on, a busy timeout, and the schema migrated to the current version (migrations commit with
 * synchronous=FULL: every commit fsyncs the WAL before it returns — SQLite docs "pragma
 * synchronous").
 *
 * `durability: 'wal-fdatasync'` is the relay's storage (sqlite-storage.ts): after migrating, the
 * connection switches to synchronous=NORMAL and `wal_autocheckpoint=0`. A COMMIT then only writes
 * its WAL frames to the OS, and the group committer makes them durable with its own fdatasync of
 * the `-wal` file before any unit of the batch resolves (group-commit.ts); checkpoints run on
 * another connection (wal-checkpointer.ts). NORMAL rather than OFF: with OFF SQLite would also
 * skip the sync of a new WAL header after a WAL restart, which guards against an out-of-order
 * write corrupting the database at power loss (SQLite ticket ff5be73dee); with NORMAL, commits are
 * not synced, but that header (once per WAL restart) and any checkpoint this connection runs — at
 * close only — are.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, requireCurrentSchema } from './migrations.js';

export interface OpenSqliteOptions {
  /**
   * False (operator commands beside a running relay) opens an existing file only and refuses one
   * whose schema is not exactly this build's, instead of migrating it.
   */
  readonly migrate?: boolean;
  /**
   * 'commit-fsync' (default): synchronous=FULL. 'wal-fdatasync': see the module comment; the
   * caller must check `synchronous` (1 = NORMAL) to know whether it applied (only with a WAL).
   */
  readonly durability?: 'commit-fsync' | 'wal-fdatasync';
}

export function openSqlite(file: string, busyTimeoutMs: number, now: number, options: OpenSqliteOptions = {}): Database.Database {
  const migrating = options.migrate !== false;
  if (file !== ':memory:' && migrating) mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs, fileMustExist: !migrating });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`);
    if (migrating) migrate(db, now);
    else requireCurrentSchema(db);
    // Only a real WAL qualifies (`:memory:` has none): otherwise COMMIT stays synchronous=FULL.
    if (options.durability === 'wal-fdatasync' && db.pragma('journal_mode', { simple: true }) === 'wal') {
      db.pragma('synchronous = NORMAL');
      db.pragma('wal_autocheckpoint = 0');
    }
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
