/**
 * Durability with the WAL fsync off the event loop (group-commit.ts, wal-checkpointer.ts): a unit
 * settles only after an fdatasync that started after its COMMIT, batches pipeline behind one
 * fdatasync at a time, a failed fdatasync is fatal, reads hand out nothing not yet durable, the
 * relay's connection runs synchronous=NORMAL without autocheckpoints, and the checkpoint worker
 * keeps the WAL bounded and truncates it once writes stop.
 */
import Database from 'better-sqlite3';
import { fstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config/load-config.js';
import { createRelay } from '../../../src/create-relay.js';
import { createLogger } from '../../../src/logging/create-logger.js';
import { GroupCommitter, StorageFailedError } from '../../../src/storage/sqlite/group-commit.js';
import { openSqlite } from '../../../src/storage/sqlite/open-sqlite.js';
import { openSqliteStorage } from '../../../src/storage/sqlite/sqlite-storage.js';
import { WalCheckpointer } from '../../../src/storage/sqlite/wal-checkpointer.js';
import type { CheckpointResult } from '../../../src/storage/sqlite/wal-checkpointer.js';
import { addAccount, bytes } from '../../support/storage-fixtures.js';
import { makeTempDir } from '../../support/temp-dir.js';
import type { TempDir } from '../../support/temp-dir.js';

/** An fdatasync stand-in the test completes or fails by hand. */
function manualSync() {
  const calls: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  const sync = () => new Promise<void>((resolve, reject) => calls.push({ resolve, reject }));
  return { calls, sync };
}

/** Lets setImmediate-scheduled batches and promise callbacks run. */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

function track<T>(promise: Promise<T>) {
  const state = { settled: false, value: undefined as T | undefined, error: undefined as unknown };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.error = error;
    },
  );
  return state;
}

describe('group commit with the fdatasync off the event loop', () => {
  let dir: TempDir;
  let db: Database.Database | undefined;
  afterEach(() => {
    db?.close();
    db = undefined;
    dir.remove();
  });

  function open(): Database.Database {
    dir = makeTempDir();
    db = openSqlite(join(dir.path, 'relay.sqlite'), 1_000, 0, { durability: 'wal-fdatasync' });
    db.exec('CREATE TABLE IF NOT EXISTS t (x TEXT)');
    return db;
  }

  it('settles a batch only after an fdatasync started after its COMMIT, one fdatasync at a time', async () => {
    const database = open();
    const { calls, sync } = manualSync();
    // eagerBatch 1: every batch commits at once, also while an fdatasync runs (pipelining).
    const committer = new GroupCommitter(database, { maxBatch: 100, sync, eagerBatch: 1 });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const count = () => (database.prepare('SELECT COUNT(*) AS n FROM t').get() as { n: number }).n;

    const first = track(committer.run(() => insert.run('a')));
    await turns();
    // Committed (visible) but not yet durable: the promise waits for the fdatasync.
    expect(count()).toBe(1);
    expect(calls).toHaveLength(1);
    expect(first.settled).toBe(false);
    const durable = track(committer.whenDurable());

    // The next batch commits meanwhile (pipelining), but no second fdatasync starts yet.
    const second = track(committer.run(() => insert.run('b')));
    await turns();
    expect(count()).toBe(2);
    expect(committer.commitCount).toBe(2);
    expect(calls).toHaveLength(1);

    calls[0]!.resolve();
    await turns();
    expect(first.settled).toBe(true);
    expect(first.error).toBeUndefined();
    expect(durable.settled).toBe(true);
    // The first fdatasync started before the second COMMIT: it does not cover it.
    expect(second.settled).toBe(false);
    expect(calls).toHaveLength(2);
    calls[1]!.resolve();
    await turns();
    expect(second.settled).toBe(true);
    await committer.close();
  });

  it('lets a few units wait for a running fdatasync and commit together after it; many commit at once', async () => {
    const database = open();
    const { calls, sync } = manualSync();
    const sizes: number[] = [];
    const committer = new GroupCommitter(database, { maxBatch: 100, sync, eagerBatch: 4, minIntervalMs: 0, observe: (size) => sizes.push(size) });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const first = track(committer.run(() => insert.run('a')));
    await turns();
    expect(committer.commitCount).toBe(1);
    const few = ['b', 'c'].map((x) => track(committer.run(() => insert.run(x))));
    await turns();
    // An fdatasync runs: two units are too few to commit now.
    expect(committer.commitCount).toBe(1);
    calls[0]!.resolve();
    await turns();
    expect(first.settled).toBe(true);
    expect(committer.commitCount).toBe(2);
    expect(few.some((u) => u.settled)).toBe(false);
    // Enough units commit while the second fdatasync runs.
    const many = ['d', 'e', 'f', 'g'].map((x) => track(committer.run(() => insert.run(x))));
    await turns();
    expect(committer.commitCount).toBe(3);
    calls[1]!.resolve();
    await turns();
    expect(few.every((u) => u.settled)).toBe(true);
    expect(many.some((u) => u.settled)).toBe(false);
    calls[2]!.resolve();
    await turns();
    expect(many.every((u) => u.settled && u.error === undefined)).toBe(true);
    expect(sizes).toEqual([1, 2, 4]);
    await committer.close();
  });

  it('fails for good when an fdatasync fails: everything not yet durable rejects, and later writes too', async () => {
    const database = open();
    const { calls, sync } = manualSync();
    const fatal: Error[] = [];
    const committer = new GroupCommitter(database, { maxBatch: 100, sync, onFatal: (error) => fatal.push(error) });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const first = track(committer.run(() => insert.run('a')));
    await turns();
    const second = track(committer.run(() => insert.run('b')));
    await turns();
    committer.exclusive(async () => undefined); // a pause in between changes nothing
    const queued = track(committer.run(() => insert.run('c')));
    calls[0]!.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await turns();
    for (const unit of [first, second, queued]) {
      expect(unit.settled).toBe(true);
      expect(unit.error).toBeInstanceOf(StorageFailedError);
    }
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.message).toMatch(/EIO/);
    expect(committer.failed).toBe(fatal[0]);
    await expect(committer.run(() => 1)).rejects.toBeInstanceOf(StorageFailedError);
    await expect(committer.whenDurable()).rejects.toBeInstanceOf(StorageFailedError);
    await committer.close();
    expect(calls).toHaveLength(1);
  });

  it('ends a batch once its time budget is spent; the rest form the next batches', async () => {
    const database = open();
    const sizes: number[] = [];
    const committer = new GroupCommitter(database, { maxBatch: 100, batchBudgetMs: 1, observe: (size) => sizes.push(size) });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const slow = (x: string) => () => {
      const until = performance.now() + 2;
      while (performance.now() < until);
      return insert.run(x);
    };
    await Promise.all(['a', 'b', 'c', 'd'].map((x) => committer.run(slow(x))));
    expect(sizes).toEqual([1, 1, 1, 1]);
    expect((database.prepare('SELECT group_concat(x) AS xs FROM t').get() as { xs: string }).xs).toBe('a,b,c,d');
    await committer.close();
  });

  it('paces commits: a lone unit commits at once, units soon after wait out the interval together, enough of them commit at once', async () => {
    const database = open();
    const sizes: number[] = [];
    const committer = new GroupCommitter(database, { maxBatch: 100, minIntervalMs: 60, eagerBatch: 3, observe: (size) => sizes.push(size) });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const first = track(committer.run(() => insert.run('a')));
    await turns();
    expect(first.settled).toBe(true);
    // Two more right after it: too soon for another commit, too few to commit anyway.
    const soon = ['b', 'c'].map((x) => track(committer.run(() => insert.run(x))));
    await turns();
    expect(committer.commitCount).toBe(1);
    expect(soon.some((u) => u.settled)).toBe(false);
    await vi.waitFor(() => expect(soon.every((u) => u.settled)).toBe(true), { timeout: 2_000, interval: 5 });
    expect(sizes).toEqual([1, 2]);
    // Three at once (eagerBatch) do not wait for the interval.
    const eager = ['d', 'e', 'f'].map((x) => track(committer.run(() => insert.run(x))));
    await turns();
    expect(eager.every((u) => u.settled)).toBe(true);
    expect(sizes).toEqual([1, 2, 3]);
    await committer.close();
  });

  it('holds new batches back while exclusive() runs', async () => {
    const database = open();
    const committer = new GroupCommitter(database, { maxBatch: 100 });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    let release: () => void = () => {};
    const held = committer.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    const unit = track(committer.run(() => insert.run('a')));
    await turns();
    expect(committer.commitCount).toBe(0);
    expect(unit.settled).toBe(false);
    release();
    await held;
    await turns();
    expect(unit.settled).toBe(true);
    expect(committer.commitCount).toBe(1);
    await committer.close();
  });
});

describe('SQLite storage durability', () => {
  let dir: TempDir;
  afterEach(() => dir.remove());

  it('runs the relay connection with synchronous=NORMAL and no autocheckpoint; :memory: keeps FULL', () => {
    dir = makeTempDir();
    const db = openSqlite(join(dir.path, 'relay.sqlite'), 1_000, 0, { durability: 'wal-fdatasync' });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    db.close();
    const memory = openSqlite(':memory:', 1_000, 0, { durability: 'wal-fdatasync' });
    expect(memory.pragma('synchronous', { simple: true })).toBe(2);
    memory.close();
  });

  it('fdatasyncs the WAL file itself', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const synced: number[] = [];
    const storage = openSqliteStorage({
      file,
      fdatasync: async (fd) => {
        synced.push(fstatSync(fd).ino);
      },
    });
    expect(storage.walFile).toBe(`${file}-wal`);
    await storage.challenges.issue('n', { issuedAt: 1, expiresAt: 1e12 }, 10);
    expect(synced.length).toBeGreaterThan(0);
    expect(new Set(synced)).toEqual(new Set([statSync(`${file}-wal`).ino]));
    await storage.close();
    const memory = openSqliteStorage({ file: ':memory:', fdatasync: () => Promise.reject(new Error('never called')) });
    expect(memory.walFile).toBeNull();
    await memory.challenges.issue('n', { issuedAt: 1, expiresAt: 1e12 }, 10);
    expect(await memory.ping()).toBe(true);
    await memory.close();
  });

  it('answers a send only after the fdatasync, and fetch hands out no entry before it is durable', async () => {
    dir = makeTempDir();
    const gate = { open: false, waiting: [] as Array<() => void> };
    const storage = openSqliteStorage({
      file: join(dir.path, 'relay.sqlite'),
      minCommitIntervalMs: 0,
      fdatasync: () => (gate.open ? Promise.resolve() : new Promise<void>((resolve) => gate.waiting.push(resolve))),
    });
    gate.open = true;
    const [alice] = await addAccount(storage);
    const [bob] = await addAccount(storage);
    gate.open = false;
    const sent = track(
      storage.messages.enqueue({
        messageId: 'm1',
        sender: alice!,
        clientId: 'c1',
        recipientAccountId: bob!.accountId,
        copies: [{ to: bob!, ciphertext: bytes(20), notifySender: true }],
        createdAt: 1,
        expiresAt: 1e12,
        retainUntil: 1e12,
        maxQueueMessages: 100,
        maxQueueBytes: 1e6,
      }),
    );
    await turns();
    expect(gate.waiting).toHaveLength(1);
    const fetched = track(storage.messages.fetch(bob!, 0, 10, 2));
    await turns();
    expect(sent.settled).toBe(false);
    expect(fetched.settled).toBe(false);
    gate.open = true;
    for (const resolve of gate.waiting.splice(0)) resolve();
    await turns();
    expect(sent.value).toMatchObject({ messageId: 'm1', duplicate: false });
    expect(fetched.value?.map((e) => e.messageId)).toEqual(['m1']);
    await storage.close();
  });

  it('turns a failed fdatasync into a fatal error: writes reject, ping reports false, onFatal is told once', async () => {
    dir = makeTempDir();
    let failing = false;
    const fatal: Error[] = [];
    const storage = openSqliteStorage({
      file: join(dir.path, 'relay.sqlite'),
      fdatasync: async () => {
        if (failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      },
      onFatal: (error) => fatal.push(error),
    });
    await storage.challenges.issue('before', { issuedAt: 1, expiresAt: 1e12 }, 10);
    expect(await storage.ping()).toBe(true);
    failing = true;
    const results = await Promise.allSettled([1, 2, 3].map((i) => storage.challenges.issue(`n${i}`, { issuedAt: 1, expiresAt: 1e12 }, 10)));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect((results[0] as PromiseRejectedResult).reason).toBeInstanceOf(StorageFailedError);
    expect(fatal).toHaveLength(1);
    expect(await storage.ping()).toBe(false);
    failing = false;
    await expect(storage.challenges.issue('after', { issuedAt: 1, expiresAt: 1e12 }, 10)).rejects.toBeInstanceOf(StorageFailedError);
    await storage.close();
  });

  it('keeps the WAL bounded under steady writes and truncates it once they stop', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const checkpoints: CheckpointResult[] = [];
    const storage = openSqliteStorage({ file, checkpointIntervalMs: 40, walKeepBytes: 64 * 1024, walRestartBytes: 256 * 1024, onCheckpoint: (result) => checkpoints.push(result) });
    const [alice] = await addAccount(storage);
    const [bob] = await addAccount(storage);
    const walSize = () => statSync(`${file}-wal`).size;
    let written = 0;
    let largest = 0;
    const started = Date.now();
    // About 12 MiB of ciphertext over about a second: many checkpoint intervals.
    for (let round = 0; round < 60; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => {
          written += 20_000;
          return storage.messages.enqueue({
            messageId: `m${round}-${i}`,
            sender: alice!,
            clientId: `c${round}-${i}`,
            recipientAccountId: bob!.accountId,
            copies: [{ to: bob!, ciphertext: bytes(20_000, round), notifySender: true }],
            createdAt: 1,
            expiresAt: 1e12,
            retainUntil: 1e12,
            maxQueueMessages: 10_000,
            maxQueueBytes: 1e9,
          });
        }),
      );
      largest = Math.max(largest, walSize());
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
    const elapsed = Date.now() - started;
    expect(checkpoints.some((c) => c.mode === 'RESTART' && c.busy === 0)).toBe(true);
    // The WAL went back to its start again and again instead of holding everything written.
    expect(largest).toBeLessThan(written / 2);
    expect(elapsed).toBeGreaterThan(40 * 5);
    // A quiet interval later it is truncated to nothing (it is larger than walKeepBytes).
    await expect.poll(() => walSize(), { timeout: 5_000 }).toBe(0);
    await expect.poll(() => checkpoints.some((c) => c.mode === 'TRUNCATE' && c.busy === 0)).toBe(true);
    if (process.env.SHOW_CHECKPOINTS) console.log({ largest, written, checkpoints });
    // Checkpointed data is all there, from the database file alone.
    await storage.close();
    const reader = new Database(file, { readonly: true });
    expect((reader.prepare('SELECT COUNT(*) AS n FROM queue').get() as { n: number }).n).toBe(600);
    reader.close();
  });

  it('holds writes back for a RESTART only once the WAL reaches walRestartBytes; below it, only PASSIVE while writes go on', async () => {
    // Cycles are run by hand (no timer), so "writes went on" and "a quiet interval" are exact.
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const database = openSqlite(file, 1_000, 0, { durability: 'wal-fdatasync' });
    database.exec('CREATE TABLE t (x TEXT)');
    const committer = new GroupCommitter(database, { maxBatch: 100 });
    const insert = database.prepare('INSERT INTO t VALUES (?)');
    const write = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => committer.run(() => insert.run(`x${i}`))));
    const pageSize = database.pragma('page_size', { simple: true }) as number;
    const checkpointerWith = (restartBytes: number, into: CheckpointResult[]) =>
      new WalCheckpointer({ file, committer, intervalMs: 60_000, busyTimeoutMs: 1_000, keepBytes: 64 * 1024 * 1024, restartBytes, pageSize, onFatal: () => {}, onCheckpoint: (result) => into.push(result) });

    const below: CheckpointResult[] = [];
    const large = checkpointerWith(64 * 1024 * 1024, below);
    for (let round = 0; round < 3; round++) {
      await write(20);
      await large.runCycle();
    }
    expect(below.length).toBeGreaterThanOrEqual(3);
    expect(below.filter((c) => c.mode !== 'PASSIVE')).toEqual([]);
    // A cycle with no writes since the last one resets the WAL: nobody is waiting then.
    await large.runCycle();
    expect(below.at(-1)).toMatchObject({ mode: 'RESTART', busy: 0 });
    await large.stop();

    // With a threshold the WAL already passes, writes going on still get their RESTART.
    const reached: CheckpointResult[] = [];
    const small = checkpointerWith(pageSize, reached);
    await write(20);
    await small.runCycle();
    expect(reached[0]).toMatchObject({ mode: 'PASSIVE' });
    expect(reached.at(-1)).toMatchObject({ mode: 'RESTART', busy: 0 });
    await small.stop();
    await committer.close();
    database.close();
  });

  it('keeps a WAL file no larger than walKeepBytes for reuse after writes stop', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const checkpoints: CheckpointResult[] = [];
    const storage = openSqliteStorage({ file, checkpointIntervalMs: 20, onCheckpoint: (result) => checkpoints.push(result) });
    for (let i = 0; i < 20; i++) await storage.challenges.issue(`n${i}`, { issuedAt: 1, expiresAt: 1e12 }, 1_000);
    const size = statSync(`${file}-wal`).size;
    expect(size).toBeGreaterThan(0);
    // Ten quiet intervals: one more RESTART, then nothing more to do — and never a TRUNCATE.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const settled = checkpoints.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checkpoints.length).toBe(settled);
    expect(checkpoints.at(-1)).toMatchObject({ mode: 'RESTART', busy: 0 });
    expect(checkpoints.some((c) => c.mode === 'TRUNCATE')).toBe(false);
    expect(statSync(`${file}-wal`).size).toBe(size);
    await storage.close();
  });

  it('stops the checkpoint worker on close (the WAL is removed by the last connection)', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const checkpoints: CheckpointResult[] = [];
    const storage = openSqliteStorage({ file, checkpointIntervalMs: 20, onCheckpoint: (result) => checkpoints.push(result) });
    await storage.challenges.issue('n', { issuedAt: 1, expiresAt: 1e12 }, 10);
    await expect.poll(() => checkpoints.length).toBeGreaterThan(0);
    expect(await storage.checkpoint('PASSIVE')).toMatchObject({ mode: 'PASSIVE', busy: 0 });
    await storage.close();
    const seen = checkpoints.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(checkpoints.length).toBe(seen);
    expect(() => statSync(`${file}-wal`)).toThrow(/ENOENT/);
  });
});

describe('a relay whose storage fails', () => {
  let dir: TempDir;
  afterEach(() => {
    vi.restoreAllMocks();
    dir.remove();
  });

  it('logs at fatal and exits non-zero when an fdatasync fails', async () => {
    dir = makeTempDir();
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    let failing = false;
    const relay = createRelay({
      config: loadConfig({ fileContents: { dataDir: dir.path, log: { level: 'info' } } }),
      logger,
      housekeeping: false,
      storageTest: {
        fdatasync: async () => {
          if (failing) throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
        },
      },
    });
    const { storage } = relay.services.deps;
    await storage.challenges.issue('ok', { issuedAt: 1, expiresAt: 1e12 }, 10);
    expect(exit).not.toHaveBeenCalled();
    failing = true;
    await expect(storage.challenges.issue('lost', { issuedAt: 1, expiresAt: 1e12 }, 10)).rejects.toBeInstanceOf(StorageFailedError);
    expect(exit).toHaveBeenCalledWith(1);
    const fatal = lines.map((line) => JSON.parse(line) as { level: number; event?: string; err?: { message: string } }).find((entry) => entry.event === 'storage.failed');
    expect(fatal).toMatchObject({ level: 60, err: { message: expect.stringMatching(/EIO/) } });
    expect(await storage.ping()).toBe(false);
    await relay.close();
  });
});
