/**
 * The encrypted local store of one profile: a SQLite file (better-sqlite3) whose records are
 * sealed under a passphrase-derived key.
 *
 * Two processes of one profile (`send` while `listen` runs) share it safely: WAL journaling lets
 * readers run beside the writer, `busy_timeout` makes a writer wait for the other instead of
 * failing, and every read-modify-write runs in a BEGIN IMMEDIATE transaction.
 *
 * Opening verifies before it writes anything: a wrong passphrase or a damaged file is reported
 * and the file is left as it was.
 */
import { closeSync, existsSync, openSync, unlinkSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { CliError } from '../errors.js';
import { ContactStore } from './contact-store.js';
import { IdentityStore } from './identity-store.js';
import type { KdfParams } from './kdf.js';
import { MessageStore } from './message-store.js';
import { readMeta, writeMeta } from './meta.js';
import { PrekeyStore } from './prekey-store.js';
import { RecordCipher } from './record-cipher.js';
import { ReplayStore } from './replay-store.js';
import { APPLICATION_ID, SCHEMA_V1, SCHEMA_VERSION } from './schema.js';
import { SeenStore } from './seen-store.js';
import { SessionStore } from './session-store.js';
import { SettingsStore } from './settings-store.js';
import { TokenStore } from './token-store.js';
import { sqliteCliError } from './sqlite-errors.js';
import { computeVerifier, deriveStoreKeys, SALT_BYTES, type StoreCrypto } from './store-crypto.js';

/** How long a writer waits for another process's transaction before giving up. */
export const BUSY_TIMEOUT_MS = 15_000;

export interface OpenStoreOptions {
  readonly file: string;
  readonly passphrase: string;
  readonly crypto: StoreCrypto;
}

export interface CreateStoreOptions extends OpenStoreOptions {
  readonly params: KdfParams;
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

function withSqliteErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    throw sqliteCliError(error) ?? error;
  }
}

export class SealedStore {
  readonly identity: IdentityStore;
  readonly settings: SettingsStore;
  readonly prekeys: PrekeyStore;
  readonly sessions: SessionStore;
  readonly contacts: ContactStore;
  readonly messages: MessageStore;
  readonly seen: SeenStore;
  readonly replays: ReplayStore;
  readonly tokens: TokenStore;
  private closed = false;
  /** Serialises async transactions of this process (one connection, one transaction at a time). */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly db: Database,
    cipher: RecordCipher,
    /** Key for mutual authentication of this profile's processes (never stored). */
    readonly agentKey: Uint8Array,
    /** The Argon2id parameters this store was created with (from its meta table). */
    readonly kdf: KdfParams,
  ) {
    this.identity = new IdentityStore(db, cipher);
    this.settings = new SettingsStore(db, cipher);
    this.prekeys = new PrekeyStore(db, cipher);
    this.sessions = new SessionStore(db, cipher);
    this.contacts = new ContactStore(db, cipher);
    this.messages = new MessageStore(db, cipher);
    this.seen = new SeenStore(db, cipher);
    this.replays = new ReplayStore(db, cipher);
    this.tokens = new TokenStore(db, cipher);
  }

  /** Creates a new store file (mode 0600); refuses to overwrite an existing one. */
  static create(options: CreateStoreOptions): SealedStore {
    let fd: number;
    try {
      // 'wx' fails if the file exists: two `init`s racing cannot both create it.
      fd = openSync(options.file, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new CliError('CLI_ERR_ALREADY_INITIALIZED');
      throw new CliError('CLI_ERR_STORE_IO', `${options.file}: ${(error as NodeJS.ErrnoException).code ?? 'create failed'}`, undefined, { cause: error });
    }
    closeSync(fd);
    let db: Database | undefined;
    try {
      return withSqliteErrors(() => {
        db = new BetterSqlite3(options.file);
        SealedStore.configure(db);
        const salt = options.crypto.randomBytes(SALT_BYTES);
        const keys = deriveStoreKeys(options.crypto, options.passphrase, salt, options.params);
        const verifier = computeVerifier(options.crypto, keys, salt, options.params);
        const opened = db;
        opened.transaction(() => {
          opened.exec(SCHEMA_V1);
          writeMeta(opened, options.crypto, { params: options.params, salt, verifier });
          opened.pragma(`application_id = ${APPLICATION_ID}`);
          opened.pragma(`user_version = ${SCHEMA_VERSION}`);
        }).immediate();
        return new SealedStore(opened, new RecordCipher(options.crypto, keys.record, keys.lookup), keys.agent, options.params);
      });
    } catch (error) {
      db?.close();
      // Leave no half-made store behind: the next `init` must be able to start over.
      for (const suffix of ['', '-wal', '-shm']) {
        try {
          unlinkSync(options.file + suffix);
        } catch {
          // Not created; nothing to remove.
        }
      }
      throw error;
    }
  }

  /** Opens an existing store, verifying the passphrase before anything is written. */
  static open(options: OpenStoreOptions): SealedStore {
    if (!existsSync(options.file)) throw new CliError('CLI_ERR_NOT_INITIALIZED');
    let db: Database | undefined;
    try {
      return withSqliteErrors(() => {
        db = new BetterSqlite3(options.file, { fileMustExist: true });
        const opened = db;
        // Identity checks first: these only read the header.
        const applicationId = opened.pragma('application_id', { simple: true }) as number;
        const userVersion = opened.pragma('user_version', { simple: true }) as number;
        if (applicationId !== APPLICATION_ID) throw new CliError('CLI_ERR_STORE_CORRUPTED', 'not a Sealpost store (application id)');
        if (userVersion > SCHEMA_VERSION) throw new CliError('CLI_ERR_STORE_TOO_NEW', `schema ${userVersion}, this sealpost knows ${SCHEMA_VERSION}`);
        if (userVersion < 1) throw new CliError('CLI_ERR_STORE_CORRUPTED', 'no schema version');
        SealedStore.configure(opened);
        const meta = readMeta(opened, options.crypto);
        const keys = deriveStoreKeys(options.crypto, options.passphrase, meta.salt, meta.params);
        if (!constantTimeEqual(computeVerifier(options.crypto, keys, meta.salt, meta.params), meta.verifier)) {
          throw new CliError('CLI_ERR_WRONG_PASSPHRASE');
        }
        return new SealedStore(opened, new RecordCipher(options.crypto, keys.record, keys.lookup), keys.agent, meta.params);
      });
    } catch (error) {
      db?.close();
      throw error;
    }
  }

  private static configure(db: Database): void {
    // busy_timeout before anything that may wait on another process's lock.
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // WAL is persistent in the file, so on an existing store this is a read, not a write.
    db.pragma('journal_mode = WAL');
    // FULL: a `sent` or a ratchet step recorded here survives a power cut.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
  }

  /** Runs `work` in one BEGIN IMMEDIATE transaction (all or nothing, one writer at a time). */
  transaction<T>(work: () => T): T {
    return withSqliteErrors(() => this.db.transaction(work).immediate());
  }

  /**
   * Runs async `work` (crypto that may await, e.g. a PQXDH responder) in one BEGIN IMMEDIATE
   * transaction. Such transactions of this process run one after another; other processes wait
   * on SQLite's lock (busy_timeout). Ratchet state changes go through here only: a synchronous
   * transaction started while an async one is open would join it and share its rollback.
   */
  transactionAsync<T>(work: () => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      withSqliteErrors(() => this.db.exec('BEGIN IMMEDIATE'));
      try {
        const result = await work();
        withSqliteErrors(() => this.db.exec('COMMIT'));
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs store calls mapping SQLite failures to CLI errors. */
  run<T>(work: () => T): T {
    return withSqliteErrors(work);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
