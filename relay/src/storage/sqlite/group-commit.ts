/**
 * Group commit for SQLite writes. Callers hand in a unit of work; every unit that arrives while
 * the previous commit runs joins the next batch, and the whole batch commits as one transaction
 * (one WAL fsync with synchronous=FULL). Each unit runs in its own savepoint, so one that throws
 * rolls back alone and only its promise rejects. Promises resolve only after COMMIT returned,
 * which is what lets a `sent` ack promise durability (DESIGN.md §4).
 *
 * better-sqlite3 is synchronous: while a batch commits the event loop waits, and the requests
 * that arrive meanwhile form the next batch — that is exactly the batching we want.
 */
import type Database from 'better-sqlite3';

interface Pending {
  readonly work: () => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

export interface BatchObserver {
  (size: number, seconds: number): void;
}

export class GroupCommitter {
  private pending: Pending[] = [];
  private scheduled = false;
  private closed = false;
  private idleWaiters: Array<() => void> = [];
  private readonly runBatch: Database.Transaction<(batch: Pending[]) => Array<{ ok: boolean; value: unknown }>>;

  constructor(
    private readonly db: Database.Database,
    private readonly maxBatch: number,
    private readonly observe?: BatchObserver,
  ) {
    const savepoint = db.transaction((work: () => unknown) => work());
    this.runBatch = db.transaction((batch: Pending[]) =>
      batch.map((p) => {
        try {
          return { ok: true, value: savepoint(p.work) };
        } catch (error) {
          return { ok: false, value: error };
        }
      }),
    );
  }

  /** Runs `work` inside the next committed batch; resolves after that batch is durable. */
  run<T>(work: () => T): Promise<T> {
    if (this.closed) return Promise.reject(new Error('storage is closed'));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.pending.splice(0, this.maxBatch);
    if (batch.length > 0) {
      const started = process.hrtime.bigint();
      let results: Array<{ ok: boolean; value: unknown }>;
      try {
        results = this.runBatch.immediate(batch);
      } catch (error) {
        // COMMIT itself failed (disk full, I/O error): nothing in the batch is durable.
        for (const p of batch) p.reject(error);
        results = [];
      }
      this.observe?.(batch.length, Number(process.hrtime.bigint() - started) / 1e9);
      results.forEach((result, i) => {
        const p = batch[i] as Pending;
        if (result.ok) p.resolve(result.value);
        else p.reject(result.value);
      });
    }
    if (this.pending.length > 0) this.schedule();
    else for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Resolves once every write handed in so far has committed (or failed). */
  drain(): Promise<void> {
    if (this.pending.length === 0 && !this.scheduled) return Promise.resolve();
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
