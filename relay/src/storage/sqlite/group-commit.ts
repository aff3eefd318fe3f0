/**
 * Group commit for SQLite writes, with the WAL fsync off the event loop.
 *
 * Callers hand in a unit of work; every unit that arrives while the previous batch runs joins the
 * next batch, and the whole batch commits as one transaction. Each unit runs in its own
 * savepoint, so one that throws rolls back alone and only its promise rejects.
 *
 * Durability (DESIGN.md §4: a `sent` ack promises the envelope is on disk). The relay's
 * connection runs with synchronous=NORMAL (open-sqlite.ts), so a COMMIT only write()s its WAL
 * frames into the OS page cache and returns. Durability comes from `sync` — an fdatasync of the
 * `-wal` file on the libuv thread pool (sqlite-storage.ts): an fdatasync *started* after batch N's
 * COMMIT returned covers batch N and every earlier one, so a unit's promise settles only once such
 * an fdatasync has completed, batches in order. Meanwhile the event loop keeps serving sockets;
 * at most one fdatasync is in flight, and the next one covers everything committed meanwhile.
 * Units that arrive during an fdatasync wait for it to end and then commit as one batch — their
 * durability waits for the next fdatasync anyway, and every COMMIT and fdatasync costs system
 * calls — unless there are `eagerBatch` of them, which commit at once (pipelining: the batch is
 * written while the disk syncs the previous one). Commits are also paced: one starts at most every
 * `minIntervalMs` (unless `eagerBatch` units wait). On a fast disk the fdatasync alone paces
 * nothing, and a steady stream of units would commit a handful at a time, each commit paying
 * its WAL writes, its fdatasync and their system calls; waiting up to a millisecond or two lets a
 * busy relay commit far fewer, larger batches, while a lone write still commits at once. A batch also ends once it has run for
 * `batchBudgetMs`, so sockets get a turn between batches. Without `sync` (`:memory:`, or a
 * connection whose COMMIT syncs by itself) units settle right after COMMIT.
 *
 * Failure is fatal (the PostgreSQL "fsyncgate" lesson: after a failed fsync the kernel may have
 * dropped the dirty pages, and a later fsync that succeeds proves nothing). A failed fdatasync, or
 * an I/O error at COMMIT, rejects every unit not yet settled and every later one, and calls
 * `onFatal`; the relay then exits (create-relay.ts) and SQLite recovers from the WAL at restart.
 *
 * WAL checkpoints, which must not run concurrently with a write that needs the write lock, pause
 * the committer with `exclusive()` (wal-checkpointer.ts).
 */
import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Outcome {
  readonly ok: boolean;
  readonly value: unknown;
}

/** A committed batch waiting for the fdatasync that makes it durable. */
interface Committed {
  readonly seq: number;
  readonly batch: readonly Pending[];
  readonly results: readonly Outcome[];
  readonly started: bigint;
}

export interface BatchObserver {
  /** One batch: its number of units and the seconds from its start until it was durable. */
  (size: number, seconds: number): void;
}

/** Makes everything written to the WAL before the call durable (fdatasync of the `-wal` file). */
export type WalSync = () => Promise<void>;

export interface GroupCommitterOptions {
  readonly maxBatch: number;
  /**
   * Time a batch may spend running its units (the event loop waits meanwhile); the units left
   * over start the next batch. Default 4 ms.
   */
  readonly batchBudgetMs?: number | undefined;
  /**
   * Units that commit at once even while an fdatasync runs (fewer wait for it to end and commit
   * together after it). Default 64.
   */
  readonly eagerBatch?: number | undefined;
  /**
   * Least time between the starts of two commits (see the module comment); 0 turns pacing off.
   * Default 2 ms.
   */
  readonly minIntervalMs?: number | undefined;
  readonly observe?: BatchObserver | undefined;
  /** Absent: COMMIT is all there is (`:memory:`), units settle right after it. */
  readonly sync?: WalSync | undefined;
  /** Called once when storage failed for good (see the module comment). */
  readonly onFatal?: ((error: Error) => void) | undefined;
}

/** SQLite result codes after which the file's state is in doubt: stop rather than go on. */
const FATAL_CODE = /^SQLITE_(IOERR|CORRUPT|NOTADB)/;

export class StorageFailedError extends Error {
  constructor(cause: unknown) {
    super(`storage failed and the relay must restart: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StorageFailedError';
  }
}

export class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private paused = 0;
  private failure: StorageFailedError | undefined;
  /** Units handed in and not yet settled. */
  private unsettled = 0;
  private idleWaiters: Array<() => void> = [];
  private awaitingSync: Committed[] = [];
  private syncing = false;
  private committed = 0;
  private durable = 0;
  private durableWaiters: Array<{ readonly seq: number; readonly resolve: () => void; readonly reject: (error: unknown) => void }> = [];
  private readonly runBatch: Database.Transaction<(batch: Pending[], deadline: bigint) => Outcome[]>;
  private readonly maxBatch: number;
  private readonly budgetNs: bigint;
  private readonly eagerBatch: number;
  private readonly minIntervalMs: number;
  /** performance.now() when the last batch started committing. */
  private lastCommitAt = Number.NEGATIVE_INFINITY;
  private paceTimer: NodeJS.Timeout | undefined;
  private readonly observe: BatchObserver | undefined;
  private readonly sync: WalSync | undefined;
  private readonly onFatal: ((error: Error) => void) | undefined;

  constructor(
    private readonly db: Database.Database,
    options: GroupCommitterOptions,
  ) {
    this.maxBatch = options.maxBatch;
    this.budgetNs = BigInt(Math.round((options.batchBudgetMs ?? 4) * 1e6));
    this.eagerBatch = Math.min(options.eagerBatch ?? 64, this.maxBatch);
    this.minIntervalMs = options.minIntervalMs ?? 2;
    this.observe = options.observe;
    this.sync = options.sync;
    this.onFatal = options.onFatal;
    const savepoint = db.transaction((work: () => unknown) => work());
    this.runBatch = db.transaction((batch: Pending[], deadline: bigint) => {
      const results: Outcome[] = [];
      for (const p of batch) {
        // Past the time budget the rest waits for the next batch, so sockets get a turn between.
        if (results.length > 0 && process.hrtime.bigint() > deadline) break;
        try {
          results.push({ ok: true, value: savepoint(p.work) });
        } catch (error) {
          results.push({ ok: false, value: error });
        }
      }
      return results;
    });
  }

  /** Runs `work` inside the next committed batch; resolves after that batch is durable. */
  run<T>(work: () => T): Promise<T> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    this.unsettled++;
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Resolves once batch `upTo` (default: every batch committed so far) is durable; reads use it
   * before what they read leaves the process. A number past the batches committed so far means
   * all of them (a batch that rolled back never gets its number).
   */
  whenDurable(upTo = this.committed): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const seq = Math.min(upTo, this.committed);
    if (this.durable >= seq) return Promise.resolve();
    return new Promise((resolve, reject) => this.durableWaiters.push({ seq, resolve, reject }));
  }

  /** Inside a unit: the number its batch gets when it commits (for whenDurable). */
  get batchNumber(): number {
    return this.committed + 1;
  }

  /** Batches known to be durable. */
  get durableCount(): number {
    return this.durable;
  }

  /**
   * Holds back new batches while `fn` runs — a checkpoint that takes SQLite's write lock would
   * otherwise make a batch wait for it on the event loop. Batches already committed keep syncing.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    this.paused++;
    try {
      return await fn();
    } finally {
      this.paused--;
      if (this.paused === 0 && this.pending.length > 0) this.schedule();
    }
  }

  /** Batches committed so far (the checkpointer uses it to tell whether anything was written). */
  get commitCount(): number {
    return this.committed;
  }

  /** The error that stopped storage, if any. */
  get failed(): Error | undefined {
    return this.failure;
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.paused > 0 || this.failure !== undefined || this.paceTimer !== undefined) return;
    // While an fdatasync runs, a few units wait for it to end and then commit together: their
    // durability waits for the next fdatasync either way, and one COMMIT and one fdatasync for
    // all of them cost far less than one each. Enough units to make a good batch commit at once.
    if (this.syncing && this.pending.length < this.eagerBatch) return;
    // Too soon after the last commit: the units wait out the rest of the interval (see above).
    const wait = this.lastCommitAt + this.minIntervalMs - performance.now();
    if (wait > 0 && this.pending.length > 0 && this.pending.length < this.eagerBatch) {
      this.paceTimer = setTimeout(() => {
        this.paceTimer = undefined;
        this.flush();
      }, wait);
      return;
    }
    let batch = this.pending.splice(0, this.maxBatch);
    if (batch.length > 0) {
      this.lastCommitAt = performance.now();
      const started = process.hrtime.bigint();
      let results: Outcome[] | undefined;
      try {
        results = this.runBatch.immediate(batch, started + this.budgetNs);
        if (results.length < batch.length) {
          this.pending.unshift(...batch.slice(results.length));
          batch = batch.slice(0, results.length);
        }
      } catch (error) {
        // COMMIT itself failed (disk full, I/O error): nothing in the batch is durable.
        if (FATAL_CODE.test(String((error as { code?: unknown }).code))) {
          this.pending.unshift(...batch);
          this.fail(error);
          return;
        }
        this.settle(batch, batch.map(() => ({ ok: false, value: error })));
      }
      if (results !== undefined) {
        const entry: Committed = { seq: ++this.committed, batch, results, started };
        if (this.sync === undefined) {
          this.durable = entry.seq;
          this.finish(entry);
          this.wakeDurable();
        } else {
          this.awaitingSync.push(entry);
          this.startSync();
        }
      }
    }
    if (this.pending.length > 0) this.schedule();
    this.checkIdle();
  }

  /** Starts one fdatasync covering every batch committed so far, unless one is in flight. */
  private startSync(): void {
    if (this.syncing || this.failure !== undefined || this.awaitingSync.length === 0 || this.sync === undefined) return;
    this.syncing = true;
    const upTo = this.committed;
    let promise: Promise<void>;
    try {
      promise = this.sync();
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      () => {
        this.syncing = false;
        if (this.failure !== undefined) return;
        this.durable = upTo;
        while (this.awaitingSync.length > 0 && (this.awaitingSync[0] as Committed).seq <= upTo) this.finish(this.awaitingSync.shift() as Committed);
        this.wakeDurable();
        this.startSync();
        // Units that waited for this fdatasync (see flush) commit now.
        if (!this.syncing && this.pending.length > 0) this.schedule();
        this.checkIdle();
      },
      (error: unknown) => {
        this.syncing = false;
        this.fail(error);
      },
    );
  }

  private finish(entry: Committed): void {
    this.observe?.(entry.batch.length, Number(process.hrtime.bigint() - entry.started) / 1e9);
    this.settle(entry.batch, entry.results);
  }

  private settle(batch: readonly Pending[], results: readonly Outcome[]): void {
    results.forEach((result, i) => {
      const p = batch[i] as Pending;
      if (result.ok) p.resolve(result.value);
      else p.reject(result.value);
    });
    this.unsettled -= batch.length;
  }

  private wakeDurable(): void {
    if (this.durableWaiters.length === 0) return;
    const still: typeof this.durableWaiters = [];
    for (const waiter of this.durableWaiters) {
      if (waiter.seq <= this.durable) waiter.resolve();
      else still.push(waiter);
    }
    this.durableWaiters = still;
  }

  /** Storage failed for good: reject everything not yet durable, refuse what comes, report once. */
  private fail(cause: unknown): void {
    if (this.failure !== undefined) return;
    const failure = new StorageFailedError(cause);
    this.failure = failure;
    const victims = [...this.awaitingSync.flatMap((c) => c.batch), ...this.pending];
    this.awaitingSync = [];
    this.pending = [];
    for (const p of victims) p.reject(failure);
    this.unsettled -= victims.length;
    for (const waiter of this.durableWaiters.splice(0)) waiter.reject(failure);
    this.checkIdle();
    this.onFatal?.(failure);
  }

  private checkIdle(): void {
    if (this.unsettled === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves once every write handed in so far is durable (or failed). */
  drain(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses new work; pending work still commits. */
  async close(): Promise<void> {
    this.closed = true;
    await this.drain();
  }

  get database(): Database.Database {
    return this.db;
  }
}
