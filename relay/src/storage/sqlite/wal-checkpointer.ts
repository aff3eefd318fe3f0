/**
 * WAL checkpoints off the send path. The relay's own connection never checkpoints
 * (`wal_autocheckpoint=0`, open-sqlite.ts): copying WAL frames into the database file and syncing
 * it would stall the event loop. Instead a second connection, in a worker thread and with
 * synchronous=FULL, runs them:
 *
 * - every `intervalMs` after writes, PASSIVE checkpoints while writes go on (a few passes while
 *   each still finds many new frames), each followed by an fdatasync of the database file so the
 *   paused step below has little left to sync. SQLite syncs the WAL before it copies a frame, and
 *   syncs the database file before it records that the whole WAL is copied (walCheckpoint in
 *   sqlite3.c), so the WAL is never reset over frames whose pages are not durable in the database
 *   file — this is why checkpoints must run with synchronous≥NORMAL;
 * - then, once the WAL holds `restartBytes` of frames, with the group committer paused
 *   (`exclusive()`) so no write waits on the write lock, a RESTART checkpoint that copies the few
 *   frames written meanwhile: the next write then starts the WAL over from its beginning. A
 *   checkpoint running beside constant writes rarely catches up on its own (SQLite restarts the
 *   WAL by itself only when a write begins with every frame already copied), so this pause is
 *   what keeps the WAL bounded (about `restartBytes` plus one interval of writes). Every write
 *   arriving during the pause waits for it, so it is taken seldom — not every interval — and a
 *   WAL smaller than `restartBytes` is left to restart by itself;
 * - once a whole interval passed without writes, one more checkpoint; it truncates the WAL file
 *   when it is larger than `keepBytes`, else keeps it for reuse — writes that overwrite blocks
 *   already allocated make for cheaper fdatasyncs than writes that grow the file.
 *
 * The worker is plain JavaScript run with `eval` (WORKER_SOURCE), and it loads better-sqlite3
 * from the path this module resolves: that works the same from relay/dist and from TypeScript
 * sources run by vitest or vite-node, where a worker file would be a .ts file plain Node cannot
 * load. A busy result (another process holding a lock) is retried at the next interval; any other
 * checkpoint error is an I/O failure and fatal, like a failed fdatasync (group-commit.ts).
 */
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { GroupCommitter } from './group-commit.js';

export type CheckpointMode = 'PASSIVE' | 'RESTART' | 'TRUNCATE';

export interface CheckpointResult {
  readonly mode: CheckpointMode;
  /** 1 when the checkpoint could not finish (locks held elsewhere). */
  readonly busy: number;
  /** Frames in the WAL, and how many of them are copied into the database file. */
  readonly log: number;
  readonly checkpointed: number;
  /** Time the committer was held back for it (0 for PASSIVE). */
  readonly pausedMs: number;
}

export interface WalCheckpointerOptions {
  readonly file: string;
  readonly committer: GroupCommitter;
  readonly intervalMs: number;
  readonly busyTimeoutMs: number;
  /** After a quiet interval, a WAL file larger than this is truncated (else kept for reuse). */
  readonly keepBytes: number;
  /** While writes go on, the WAL size (frames in use) at which a paused RESTART resets it. */
  readonly restartBytes: number;
  /** The database's page size: a WAL frame holds one page. */
  readonly pageSize: number;
  /** A checkpoint failed with an I/O error: storage is no longer trustworthy. */
  readonly onFatal: (error: Error) => void;
  readonly onCheckpoint?: ((result: CheckpointResult) => void) | undefined;
}

const WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = FULL');
db.pragma('wal_autocheckpoint = 0');
const dbFd = fs.openSync(workerData.file, 'r+');
parentPort.on('message', (request) => {
  if (request.close) {
    db.close();
    fs.closeSync(dbFd);
    parentPort.close();
    return;
  }
  try {
    const row = db.pragma('wal_checkpoint(' + request.mode + ')')[0];
    // A PASSIVE pass that did not reach the end of the WAL leaves the pages it copied unsynced;
    // syncing them now, while writes go on, leaves little for the sync inside the paused RESTART.
    if (request.syncDatabase) fs.fdatasyncSync(dbFd);
    parentPort.postMessage({ id: request.id, busy: row.busy, log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ id: request.id, error: { message: String(error && error.message), code: String(error && error.code) } });
  }
});
`;

interface WorkerReply {
  readonly id: number;
  readonly busy?: number;
  readonly log?: number;
  readonly checkpointed?: number;
  readonly error?: { readonly message: string; readonly code: string };
}

export class CheckpointError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = 'CheckpointError';
  }
}

const BUSY = /^SQLITE_(BUSY|LOCKED)/;
/** PASSIVE passes per cycle at most, and the backlog (frames) below which the next pass is the last. */
const MAX_PASSES = 4;
const SMALL_BACKLOG = 256;

export class WalCheckpointer {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  /** Commit count at the last finished cycle, and whether a quiet cycle left the WAL reset. */
  private seenCommits = -1;
  private settled = false;

  constructor(private readonly options: WalCheckpointerOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.runCycle(), this.options.intervalMs);
    this.timer.unref();
  }

  /** One cycle now (tests, and the timer); never two at once. */
  runCycle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.running ??= this.cycle()
      .catch((error: unknown) => {
        if (this.stopped) return;
        const code = error instanceof CheckpointError ? error.code : '';
        if (BUSY.test(code)) return;
        if (error instanceof CheckpointError) this.options.onFatal(error);
        // A worker that died is started again by the next cycle.
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async cycle(): Promise<void> {
    const { committer } = this.options;
    const commits = committer.commitCount;
    if (commits === this.seenCommits && this.settled) return;
    const wrote = commits !== this.seenCommits;
    if (wrote) {
      // Passes while writes go on, until what a pass finds new is small: the pause below then
      // has little to copy.
      let previous = await this.checkpoint('PASSIVE');
      for (let pass = 1; pass < MAX_PASSES && !this.stopped; pass++) {
        const next = await this.checkpoint('PASSIVE');
        const fresh = next.log - (next.log >= previous.log ? previous.checkpointed : 0);
        previous = next;
        if (fresh <= SMALL_BACKLOG) break;
      }
      // Still small: no pause this time (see the module comment). The next cycle comes back here
      // even if nothing more is written, and then resets the WAL without anyone waiting.
      if (previous.log * this.options.pageSize < this.options.restartBytes) {
        this.seenCommits = commits;
        this.settled = false;
        return;
      }
    }
    if (this.stopped) return;
    // RESTART keeps the file's size, so the next writes overwrite blocks already allocated and
    // their fdatasync has no file-size change to commit (a growing file costs a journal commit
    // per fdatasync). After a quiet interval a WAL larger than `keepBytes` is truncated.
    const mode: CheckpointMode = !wrote && (await this.walSize()) > this.options.keepBytes ? 'TRUNCATE' : 'RESTART';
    const result = await committer.exclusive(() => this.checkpoint(mode));
    this.seenCommits = commits;
    this.settled = !wrote && result.busy === 0;
  }

  private async walSize(): Promise<number> {
    try {
      return (await stat(`${this.options.file}-wal`)).size;
    } catch {
      return 0;
    }
  }

  /** Runs one checkpoint in the worker (starting it if needed). */
  async checkpoint(mode: CheckpointMode): Promise<CheckpointResult> {
    const started = performance.now();
    const reply = await this.request(mode);
    if (reply.error !== undefined) throw new CheckpointError(`WAL checkpoint failed: ${reply.error.message}`, reply.error.code);
    const result: CheckpointResult = {
      mode,
      busy: reply.busy ?? 0,
      log: reply.log ?? 0,
      checkpointed: reply.checkpointed ?? 0,
      pausedMs: mode === 'PASSIVE' ? 0 : performance.now() - started,
    };
    this.options.onCheckpoint?.(result);
    return result;
  }

  private request(mode: CheckpointMode): Promise<WorkerReply> {
    const worker = this.worker ?? this.startWorker();
    const id = this.nextId++;
    return new Promise<WorkerReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, mode, syncDatabase: mode === 'PASSIVE' });
    });
  }

  private startWorker(): Worker {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Short: a RESTART waiting on another process's lock holds the committer back meanwhile.
      workerData: { driver, file: this.options.file, busyTimeoutMs: Math.min(this.options.busyTimeoutMs, 200) },
    });
    worker.unref();
    worker.on('message', (reply: WorkerReply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      waiter?.resolve(reply);
    });
    const gone = (error: Error) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', (error) => gone(error));
    worker.on('exit', (code) => gone(new Error(`checkpoint worker exited (${code})`)));
    this.worker = worker;
    return worker;
  }

  /** Stops the timer, lets a running cycle finish, and ends the worker (its connection closes). */
  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
    this.stopped = true;
    const worker = this.worker;
    this.worker = undefined;
    if (worker === undefined) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ close: true });
    const timeout = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timeout);
  }
}
