/**
 * SQLite schema migrations. Each entry runs once, in its own transaction, and is recorded in
 * `schema_migrations`; a database written by a newer relay (a version this build does not know)
 * is refused rather than opened, so a downgrade cannot corrupt it. Append new migrations; never
 * edit an applied one. Operator commands (`sealpost-relay admin`) open the file without migrating
 * (requireCurrentSchema): they may run beside a relay, and must not change the schema under it.
 */
import type Database from 'better-sqlite3';
import { RelayError } from '../../errors.js';

interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'accounts, devices, prekeys, queues, sends, challenges, invites, presence',
    sql: `
      CREATE TABLE accounts (
        account_id TEXT PRIMARY KEY,
        account_key BLOB NOT NULL UNIQUE,
        username TEXT,
        username_norm TEXT UNIQUE,
        created_at INTEGER NOT NULL,
        device_list_version INTEGER NOT NULL,
        device_list BLOB NOT NULL,
        device_list_updated_at INTEGER NOT NULL
      );

      CREATE TABLE devices (
        account_id TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
        device_id INTEGER NOT NULL,
        signing_key BLOB NOT NULL,
        identity_key BLOB NOT NULL,
        added_in_version INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER,
        next_seq INTEGER NOT NULL DEFAULT 1,
        queue_count INTEGER NOT NULL DEFAULT 0,
        queue_bytes INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, device_id)
      ) WITHOUT ROWID;

      -- kind: 0 signed X25519, 1 last-resort ML-KEM, 2 one-time X25519, 3 one-time ML-KEM
      CREATE TABLE prekeys (
        account_id TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        kind INTEGER NOT NULL,
        key_id INTEGER NOT NULL,
        bytes BLOB NOT NULL,
        PRIMARY KEY (account_id, device_id, kind, key_id),
        FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
      ) WITHOUT ROWID;

      CREATE TABLE queue (
        account_id TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        message_id TEXT,
        sender_account TEXT,
        sender_device INTEGER,
        notify_sender INTEGER NOT NULL DEFAULT 0,
        payload BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, device_id, seq),
        FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
      );
      CREATE INDEX queue_expiry ON queue(expires_at);

      CREATE TABLE sends (
        message_id TEXT PRIMARY KEY,
        sender_account TEXT NOT NULL,
        sender_device INTEGER NOT NULL,
        client_id TEXT NOT NULL,
        recipient_account TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        retain_until INTEGER NOT NULL,
        stored INTEGER NOT NULL,
        UNIQUE (sender_account, sender_device, client_id)
      );
      CREATE INDEX sends_retention ON sends(retain_until);

      CREATE TABLE challenges (
        nonce TEXT PRIMARY KEY,
        issued_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      );
      CREATE INDEX challenges_expiry ON challenges(expires_at);

      CREATE TABLE invites (
        token_hash BLOB PRIMARY KEY,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER,
        used_by TEXT
      );

      CREATE TABLE presence_viewers (
        owner TEXT NOT NULL REFERENCES accounts(account_id) ON DELETE CASCADE,
        viewer TEXT NOT NULL,
        PRIMARY KEY (owner, viewer)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'invites usable several times (admin invite create --uses N)',
    sql: `
      ALTER TABLE invites ADD COLUMN max_uses INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE invites ADD COLUMN use_count INTEGER NOT NULL DEFAULT 0;
      UPDATE invites SET use_count = 1 WHERE used_at IS NOT NULL;
    `,
  },
  {
    version: 3,
    description: 'media records (docs/media.md)',
    // No foreign key to accounts: a record outlives its owner until the sweeper has removed the
    // object from the backend, which must happen before the record may go.
    sql: `
      CREATE TABLE media (
        media_id TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        declared_size INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'stored', 'deleted')),
        created_at INTEGER NOT NULL,
        pending_until INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        stored_at INTEGER,
        sweep_at INTEGER NOT NULL
      );
      CREATE INDEX media_owner ON media(owner, state);
      CREATE INDEX media_sweep ON media(sweep_at);
    `,
  },
  {
    version: 4,
    description: 'Web Push subscriptions, one per device (docs/push.md)',
    sql: `
      CREATE TABLE push_subscriptions (
        account_id TEXT NOT NULL,
        device_id INTEGER NOT NULL,
        endpoint TEXT NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        failure_count INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, device_id),
        FOREIGN KEY (account_id, device_id) REFERENCES devices(account_id, device_id) ON DELETE CASCADE
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
    // Pool counts run on every bundle fetch. The prekeys table is clustered on its primary key
    // with 1.5 KiB ML-KEM keys in the rows, so counting scanned every key's pages; this index
    // holds only the key columns and covers the GROUP BY count (docs/benchmarks.md notes).
    description: 'covering index for prekey pool counts',
    sql: `
      CREATE INDEX prekeys_pool_counts ON prekeys(account_id, device_id, kind);
    `,
  },
  {
    version: 6,
    // Every bundle fetch reports the pools left (to send prekeys.low); counting rows, even in the
    // covering index of version 5, costs O(pool size) per fetch. The counts now live on the
    // device row, kept by SqlitePrekeyStore in the same transaction as every upload and take
    // (the row, and so its counts, go with the device); this backfills them once. The index of
    // version 5 has no reader left and is only upkeep on every key written or taken.
    description: 'prekey pool counts kept on devices',
    sql: `
      ALTER TABLE devices ADD COLUMN pool_x25519 INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE devices ADD COLUMN pool_kem INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE devices ADD COLUMN has_signed_prekey INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE devices ADD COLUMN has_last_resort_kem INTEGER NOT NULL DEFAULT 0;
      UPDATE devices SET
        pool_x25519 = (SELECT COUNT(*) FROM prekeys p WHERE p.account_id = devices.account_id AND p.device_id = devices.device_id AND p.kind = 2),
        pool_kem = (SELECT COUNT(*) FROM prekeys p WHERE p.account_id = devices.account_id AND p.device_id = devices.device_id AND p.kind = 3),
        has_signed_prekey = EXISTS (SELECT 1 FROM prekeys p WHERE p.account_id = devices.account_id AND p.device_id = devices.device_id AND p.kind = 0),
        has_last_resort_kem = EXISTS (SELECT 1 FROM prekeys p WHERE p.account_id = devices.account_id AND p.device_id = devices.device_id AND p.kind = 1);
      DROP INDEX prekeys_pool_counts;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/** The schema version recorded in the database (0 for a fresh file); writes nothing. */
export function schemaVersionOf(db: Database.Database): number {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (table === undefined) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as { version: number | null };
  return row.version ?? 0;
}

function tooNew(current: number): RelayError {
  return new RelayError('RELAY_ERR_DATABASE_VERSION', `database schema version ${current} is newer than this relay understands (${SCHEMA_VERSION}); upgrade the relay`, {
    database: current,
    supported: SCHEMA_VERSION,
  });
}

/** For tools that must not migrate: refuses any database not exactly at this build's version. */
export function requireCurrentSchema(db: Database.Database): void {
  const current = schemaVersionOf(db);
  if (current > SCHEMA_VERSION) throw tooNew(current);
  if (current < SCHEMA_VERSION) {
    throw new RelayError('RELAY_ERR_DATABASE_VERSION', `database schema version ${current} is older than this build's (${SCHEMA_VERSION}); start the upgraded relay once so it migrates the database, then retry`, {
      database: current,
      supported: SCHEMA_VERSION,
    });
  }
}

/** Applies pending migrations; returns the schema version now in force. */
export function migrate(db: Database.Database, now: number): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const current = schemaVersionOf(db);
  if (current > SCHEMA_VERSION) throw tooNew(current);
  const record = db.prepare('INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, ?)');
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.description, now);
    }).immediate();
  }
  return SCHEMA_VERSION;
}
