/**
 * Opens the SQLite implementation of RelayStorage: one database file, one group committer
 * shared by every store (so a batch can hold writes of every kind in one fsync).
 *
 * Durability of a file database (DESIGN.md §4; the argument in full is in group-commit.ts and
 * wal-checkpointer.ts): the connection commits with synchronous=NORMAL and never checkpoints;
 * the committer fdatasyncs the `-wal` file on the thread pool and settles a batch only after an
 * fdatasync that started after its COMMIT completed; the data folder is fsynced once after the
 * WAL file exists, so its directory entry survives power loss too; a worker thread checkpoints
 * with synchronous=FULL. `:memory:` (tests) has no WAL file: commits settle at once.
 */
import { closeSync, existsSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { cacheDeviceLists } from '../device-list-cache.js';
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
import { WalCheckpointer } from './wal-checkpointer.js';
import type { CheckpointMode, CheckpointResult } from './wal-checkpointer.js';

export interface SqliteStorageOptions {
  /** Database file path, or ':memory:' (tests only: not durable). */
  readonly file: string;
  readonly busyTimeoutMs?: number;
  readonly maxCommitBatch?: number;
  /** Least time between two commits' starts (group-commit.ts); default 2 ms, 0 = no pacing. */
  readonly minCommitIntervalMs?: number;
  /** Called after each group commit with its size and the time until it was durable (metrics). */
  readonly onCommit?: BatchObserver;
  readonly now?: number;
  /** False: open an existing file without migrating it (see openSqlite). Default true. */
  readonly migrate?: boolean;
  /**
   * Called once when storage failed for good (a failed fdatasync or checkpoint, an I/O error at
   * COMMIT): every write not yet durable was rejected, and the process should exit.
   */
  readonly onFatal?: (error: Error) => void;
  /** How often the WAL is checkpointed after writes (wal-checkpointer.ts). Default 1000 ms. */
  readonly checkpointIntervalMs?: number;
  /** A quiet WAL file larger than this is truncated, a smaller one kept for reuse. Default 64 MiB. */
  readonly walKeepBytes?: number;
  /**
   * While writes go on, the WAL is reset (writes paused for a moment) only once it holds this
   * much; below it SQLite restarts it by itself whenever a checkpoint catches up. Default 32 MiB.
   */
  readonly walRestartBytes?: number;
  readonly onCheckpoint?: (result: CheckpointResult) => void;
  /** Tests only: replaces the fdatasync of the WAL file. */
  readonly fdatasync?: (fd: number) => Promise<void>;
}

/** RelayStorage plus what only SQLite has. */
export interface SqliteRelayStorage extends RelayStorage {
  /** Runs one WAL checkpoint now (tests, operators); undefined for `:memory:`. */
  checkpoint(mode: CheckpointMode): Promise<CheckpointResult | undefined>;
  /** The WAL file's path, or null for `:memory:`. */
  readonly walFile: string | null;
}

const fdatasyncAsync = (fd: number) => new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error === null ? resolve() : reject(error))));

/** Makes a new file's directory entry durable (fsync of the folder; not possible on Windows). */
function syncDirectory(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function openSqliteStorage(options: SqliteStorageOptions): SqliteRelayStorage {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
  const db = openSqlite(options.file, busyTimeoutMs, options.now ?? Date.now(), { migrate: options.migrate !== false, durability: 'wal-fdatasync' });
  // synchronous is 1 (NORMAL) only when the connection has a real WAL to sync (open-sqlite.ts).
  const walFile = db.pragma('synchronous', { simple: true }) === 1 ? `${options.file}-wal` : null;
  let walFd: number | undefined;
  let failure: Error | undefined;
  const fatal = (error: Error) => {
    failure ??= error;
    options.onFatal?.(error);
  };
  try {
    if (walFile !== null) {
      // Opening the database in WAL mode created the file; a read makes sure of it.
      if (!existsSync(walFile)) db.prepare('SELECT 1 FROM sqlite_schema LIMIT 1').get();
      walFd = openSync(walFile, 'r+');
      syncDirectory(dirname(options.file));
    }
  } catch (error) {
    if (walFd !== undefined) closeSync(walFd);
    db.close();
    throw error;
  }
  const fd = walFd;
  const syncWal = options.fdatasync ?? fdatasyncAsync;
  const committer = new GroupCommitter(db, {
    maxBatch: options.maxCommitBatch ?? 256,
    minIntervalMs: options.minCommitIntervalMs,
    observe: options.onCommit,
    sync: fd === undefined ? undefined : () => syncWal(fd),
    onFatal: fatal,
  });
  const checkpointer =
    walFile === null
      ? undefined
      : new WalCheckpointer({
          file: options.file,
          committer,
          intervalMs: options.checkpointIntervalMs ?? 1_000,
          keepBytes: options.walKeepBytes ?? 64 * 1024 * 1024,
          restartBytes: options.walRestartBytes ?? 32 * 1024 * 1024,
          pageSize: db.pragma('page_size', { simple: true }) as number,
          busyTimeoutMs,
          onFatal: fatal,
          onCheckpoint: options.onCheckpoint,
        });
  checkpointer?.start();
  const { accounts, deviceLists } = cacheDeviceLists(new SqliteAccountStore(committer), { ttlMs: 5_000, maxAccounts: 50_000 });
  let closed = false;
  return {
    accounts,
    deviceLists,
    prekeys: new SqlitePrekeyStore(committer),
    messages: new SqliteMessageStore(committer),
    challenges: new SqliteChallengeStore(committer),
    media: new SqliteMediaStore(committer),
    pushSubscriptions: new SqlitePushSubscriptionStore(committer),
    walFile,
    async ping() {
      if (closed || failure !== undefined) return false;
      try {
        db.prepare('SELECT 1').get();
        return true;
      } catch {
        return false;
      }
    },
    async checkpoint(mode) {
      if (checkpointer === undefined) return undefined;
      return mode === 'PASSIVE' ? checkpointer.checkpoint(mode) : committer.exclusive(() => checkpointer.checkpoint(mode));
    },
    async close() {
      if (closed) return;
      closed = true;
      // The worker's connection closes first, so the relay's is the last: closing it checkpoints
      // (synced: synchronous=NORMAL syncs checkpoints) and removes the WAL file.
      await checkpointer?.stop();
      await committer.close();
      if (fd !== undefined) closeSync(fd);
      db.close();
    },
  };
}
