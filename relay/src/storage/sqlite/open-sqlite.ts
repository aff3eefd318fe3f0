/**
 * Opens the relay's SQLite database with the settings durability depends on: WAL journal with
 * synchronous=FULL (every commit fsyncs the WAL before it returns, so a committed send survives
 * power loss — SQLite docs "pragma synchronous"), foreign keys on, a busy timeout, and the
 * schema migrated to the current version.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations.js';

export function openSqlite(file: string, busyTimeoutMs: number, now: number): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: busyTimeoutMs });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma(`busy_timeout = ${Math.floor(busyTimeoutMs)}`);
  migrate(db, now);
  return db;
}
