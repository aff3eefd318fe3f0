/**
 * Opens the SQLite implementation of RelayStorage: one database file, one group committer
 * shared by every store (so a batch can hold writes of every kind in one fsync).
 */
import type { RelayStorage } from '../relay-storage.js';
import { GroupCommitter } from './group-commit.js';
import type { BatchObserver } from './group-commit.js';
import { openSqlite } from './open-sqlite.js';
import { SqliteAccountStore } from './sqlite-account-store.js';
import { SqliteChallengeStore } from './sqlite-challenge-store.js';
import { SqliteMediaStore } from './sqlite-media-store.js';
import { SqliteMessageStore } from './sqlite-message-store.js';
import { SqlitePrekeyStore } from './sqlite-prekey-store.js';
import { SqlitePushSubscriptionStore } from './sqlite-push-subscription-store.js';

export interface SqliteStorageOptions {
  /** Database file path, or ':memory:' (tests only: not durable). */
  readonly file: string;
  readonly busyTimeoutMs?: number;
  readonly maxCommitBatch?: number;
  /** Called after each group commit with its size and duration (metrics). */
  readonly onCommit?: BatchObserver;
  readonly now?: number;
  /** False: open an existing file without migrating it (see openSqlite). Default true. */
  readonly migrate?: boolean;
}

export function openSqliteStorage(options: SqliteStorageOptions): RelayStorage {
  const db = openSqlite(options.file, options.busyTimeoutMs ?? 5_000, options.now ?? Date.now(), { migrate: options.migrate !== false });
  const committer = new GroupCommitter(db, options.maxCommitBatch ?? 256, options.onCommit);
  let closed = false;
  return {
    accounts: new SqliteAccountStore(committer),
    prekeys: new SqlitePrekeyStore(committer),
    messages: new SqliteMessageStore(committer),
    challenges: new SqliteChallengeStore(committer),
    media: new SqliteMediaStore(committer),
    pushSubscriptions: new SqlitePushSubscriptionStore(committer),
    async ping() {
      if (closed) return false;
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await committer.close();
      db.close();
    },
  };
}
