/**
 * Opens the relay's SQLite database with the settings durability depends on: WAL journal with
 * synchronous=FULL (every commit fsyncs the WAL before it returns, so a committed send survives
 * power loss — SQLite docs "pragma synchronous"), foreign keys on, a busy timeout, and the
 * schema migrated to the current version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, requireCurrentSchema } from './migrations.js';

/**
 * `migrate: false` (operator commands beside a running relay) opens an existing file only and
 * refuses one whose schema is not exactly this build's, instead of migrating it.
 */
export function openSqlite(file: string, busyTimeoutMs: number, now: number, options: { migrate?: boolean } = {}): Database.Database {
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
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
