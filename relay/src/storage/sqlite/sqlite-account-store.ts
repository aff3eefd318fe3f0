/**
 * SqliteAccountStore: AccountStore on SQLite. Usernames are unique through a UNIQUE column on
 * their lower-cased form, so the case-insensitive rule holds even under concurrent registration.
 * Writes go through the group committer; reads run directly (better-sqlite3 is synchronous, so a
 * read never observes half of a batch).
 */
import type Database from 'better-sqlite3';
import { RelayError } from '../../errors.js';
import type { AccountStore, CreateAccountOptions, DeviceSeen, InviteRecord, NewInvite } from '../account-store.js';
import type { AccountRecord, DeviceAddress, DeviceKeys, DeviceListChange, DeviceListRecord, DeviceRecord, NewAccount } from '../records.js';
import type { GroupCommitter } from './group-commit.js';

interface AccountRow {
  account_id: string;
  account_key: Buffer;
  username: string | null;
  created_at: number;
}

interface DeviceRow {
  account_id: string;
  device_id: number;
  signing_key: Buffer;
  identity_key: Buffer;
  added_in_version: number;
  created_at: number;
  last_seen_at: number | null;
}

const toBytes = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

function accountFromRow(row: AccountRow): AccountRecord {
  return { accountId: row.account_id, accountKey: toBytes(row.account_key), username: row.username, createdAt: row.created_at };
}

function deviceFromRow(row: DeviceRow): DeviceRecord {
  return {
    accountId: row.account_id,
    deviceId: row.device_id,
    signingKey: toBytes(row.signing_key),
    identityKey: toBytes(row.identity_key),
    addedInVersion: row.added_in_version,
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

function isConstraint(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string };
  return typeof e.code === 'string' && e.code.startsWith('SQLITE_CONSTRAINT') && (e.message ?? '').includes(column);
}

export function normalizeUsername(username: string): string {
  return username.toLowerCase();
}

function statements(db: Database.Database) {
  return {
    insertAccount: db.prepare(
      `INSERT INTO accounts (account_id, account_key, username, username_norm, created_at, device_list_version, device_list, device_list_updated_at)
       VALUES (@accountId, @accountKey, @username, @usernameNorm, @createdAt, @version, @list, @createdAt)`,
    ),
    insertDevice: db.prepare(
      `INSERT INTO devices (account_id, device_id, signing_key, identity_key, added_in_version, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    getAccount: db.prepare('SELECT account_id, account_key, username, created_at FROM accounts WHERE account_id = ?'),
    findByUsername: db.prepare('SELECT account_id, account_key, username, created_at FROM accounts WHERE username_norm = ?'),
    listAccounts: db.prepare('SELECT account_id, account_key, username, created_at FROM accounts ORDER BY created_at, account_id'),
    deleteAccount: db.prepare('DELETE FROM accounts WHERE account_id = ?'),
    getList: db.prepare('SELECT device_list_version AS version, device_list AS bytes, device_list_updated_at AS updatedAt FROM accounts WHERE account_id = ?'),
    setList: db.prepare('UPDATE accounts SET device_list_version = ?, device_list = ?, device_list_updated_at = ? WHERE account_id = ?'),
    listDevices: db.prepare('SELECT * FROM devices WHERE account_id = ? ORDER BY device_id'),
    getDevice: db.prepare('SELECT * FROM devices WHERE account_id = ? AND device_id = ?'),
    hasDevice: db.prepare('SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?').pluck(),
    deleteDevice: db.prepare('DELETE FROM devices WHERE account_id = ? AND device_id = ?'),
    touchDevice: db.prepare('UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?) WHERE account_id = ? AND device_id = ?'),
    // `LIMIT ?+0`: a bare `LIMIT ?` re-prepares the statement on every run (sqlite-message-store.ts).
    idleDevices: db.prepare('SELECT account_id, device_id FROM devices WHERE COALESCE(last_seen_at, created_at) < ? ORDER BY account_id, device_id LIMIT ?+0'),
    consumeInvite: db.prepare(
      'UPDATE invites SET use_count = use_count + 1, used_at = ?, used_by = ? WHERE token_hash = ? AND use_count < max_uses AND expires_at > ?',
    ),
    insertInvite: db.prepare('INSERT INTO invites (token_hash, created_at, expires_at, max_uses) VALUES (?, ?, ?, ?)'),
    listInvites: db.prepare('SELECT token_hash, created_at, expires_at, max_uses, use_count, used_at, used_by FROM invites ORDER BY created_at'),
    clearViewers: db.prepare('DELETE FROM presence_viewers WHERE owner = ?'),
    insertViewer: db.prepare('INSERT OR IGNORE INTO presence_viewers (owner, viewer) VALUES (?, ?)'),
    getViewers: db.prepare('SELECT viewer FROM presence_viewers WHERE owner = ? ORDER BY viewer'),
    isViewer: db.prepare('SELECT 1 FROM presence_viewers WHERE owner = ? AND viewer = ?'),
  };
}

export class SqliteAccountStore implements AccountStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  createAccount(account: NewAccount, options: CreateAccountOptions = {}): Promise<void> {
    return this.committer.run(() => {
      if (options.inviteHash !== undefined) {
        const used = this.s.consumeInvite.run(account.createdAt, account.accountId, Buffer.from(options.inviteHash), account.createdAt);
        if (used.changes !== 1) throw new RelayError('RELAY_ERR_INVITE_INVALID');
      }
      try {
        this.s.insertAccount.run({
          accountId: account.accountId,
          accountKey: Buffer.from(account.accountKey),
          username: account.username,
          usernameNorm: account.username === null ? null : normalizeUsername(account.username),
          createdAt: account.createdAt,
          version: account.deviceList.version,
          list: Buffer.from(account.deviceList.bytes),
        });
      } catch (error) {
        if (isConstraint(error, 'username_norm')) throw new RelayError('RELAY_ERR_USERNAME_TAKEN');
        if (isConstraint(error, 'account')) throw new RelayError('RELAY_ERR_ACCOUNT_EXISTS');
        throw error;
      }
      for (const device of account.devices) {
        this.s.insertDevice.run(account.accountId, device.deviceId, Buffer.from(device.signingKey), Buffer.from(device.identityKey), account.deviceList.version, account.createdAt);
      }
    });
  }

  async getAccount(accountId: string): Promise<AccountRecord | null> {
    const row = this.s.getAccount.get(accountId) as AccountRow | undefined;
    return row === undefined ? null : accountFromRow(row);
  }

  async findByUsername(username: string): Promise<AccountRecord | null> {
    const row = this.s.findByUsername.get(normalizeUsername(username)) as AccountRow | undefined;
    return row === undefined ? null : accountFromRow(row);
  }

  async listAccounts(): Promise<AccountRecord[]> {
    return (this.s.listAccounts.all() as AccountRow[]).map(accountFromRow);
  }

  deleteAccount(accountId: string): Promise<boolean> {
    return this.committer.run(() => this.s.deleteAccount.run(accountId).changes === 1);
  }

  async getDeviceList(accountId: string): Promise<DeviceListRecord | null> {
    const row = this.s.getList.get(accountId) as { version: number; bytes: Buffer; updatedAt: number } | undefined;
    return row === undefined ? null : { accountId, version: row.version, bytes: toBytes(row.bytes), updatedAt: row.updatedAt };
  }

  replaceDeviceList(accountId: string, list: { version: number; bytes: Uint8Array }, devices: readonly DeviceKeys[], now: number): Promise<DeviceListChange> {
    return this.committer.run(() => {
      const current = this.s.getList.get(accountId) as { version: number } | undefined;
      if (current === undefined) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
      if (list.version <= current.version) {
        throw new RelayError('RELAY_ERR_DEVICE_LIST_VERSION', `stored version is ${current.version}`, { currentVersion: current.version });
      }
      const existing = new Map((this.s.listDevices.all(accountId) as DeviceRow[]).map((row) => [row.device_id, row]));
      const wanted = new Map(devices.map((d) => [d.deviceId, d]));
      const added: number[] = [];
      const removed: number[] = [];
      const replaced: number[] = [];
      for (const [deviceId] of existing) {
        if (!wanted.has(deviceId)) {
          this.s.deleteDevice.run(accountId, deviceId);
          removed.push(deviceId);
        }
      }
      for (const [deviceId, device] of wanted) {
        const old = existing.get(deviceId);
        if (old !== undefined && sameBytes(old.signing_key, device.signingKey) && sameBytes(old.identity_key, device.identityKey)) continue;
        // New keys under an old id are a new device: its old queue and prekeys must not be served.
        if (old !== undefined) {
          this.s.deleteDevice.run(accountId, deviceId);
          replaced.push(deviceId);
        } else {
          added.push(deviceId);
        }
        this.s.insertDevice.run(accountId, deviceId, Buffer.from(device.signingKey), Buffer.from(device.identityKey), list.version, now);
      }
      this.s.setList.run(list.version, Buffer.from(list.bytes), now, accountId);
      return { added, removed, replaced };
    });
  }

  async listDevices(accountId: string): Promise<DeviceRecord[]> {
    return (this.s.listDevices.all(accountId) as DeviceRow[]).map(deviceFromRow);
  }

  async getDevice(address: DeviceAddress): Promise<DeviceRecord | null> {
    const row = this.s.getDevice.get(address.accountId, address.deviceId) as DeviceRow | undefined;
    return row === undefined ? null : deviceFromRow(row);
  }

  async hasDevice(address: DeviceAddress): Promise<boolean> {
    return this.s.hasDevice.get(address.accountId, address.deviceId) !== undefined;
  }

  removeDevice(address: DeviceAddress): Promise<boolean> {
    return this.committer.run(() => this.s.deleteDevice.run(address.accountId, address.deviceId).changes === 1);
  }

  touchDevices(seen: readonly DeviceSeen[]): Promise<void> {
    if (seen.length === 0) return Promise.resolve();
    return this.committer.run(() => {
      for (const { address, at } of seen) this.s.touchDevice.run(at, address.accountId, address.deviceId);
    });
  }

  async listIdleDevices(before: number, limit: number): Promise<DeviceAddress[]> {
    const rows = this.s.idleDevices.all(before, limit) as Array<{ account_id: string; device_id: number }>;
    return rows.map((r) => ({ accountId: r.account_id, deviceId: r.device_id }));
  }

  createInvite(invite: NewInvite): Promise<void> {
    return this.committer.run(() => {
      this.s.insertInvite.run(Buffer.from(invite.tokenHash), invite.createdAt, invite.expiresAt, invite.maxUses);
    });
  }

  async listInvites(): Promise<InviteRecord[]> {
    const rows = this.s.listInvites.all() as Array<{
      token_hash: Buffer;
      created_at: number;
      expires_at: number;
      max_uses: number;
      use_count: number;
      used_at: number | null;
      used_by: string | null;
    }>;
    return rows.map((r) => ({
      tokenHash: toBytes(r.token_hash),
      createdAt: r.created_at,
      expiresAt: r.expires_at,
      maxUses: r.max_uses,
      uses: r.use_count,
      usedAt: r.used_at,
      usedBy: r.used_by,
    }));
  }

  setPresenceViewers(owner: string, viewers: readonly string[]): Promise<void> {
    return this.committer.run(() => {
      if (this.s.getAccount.get(owner) === undefined) throw new RelayError('RELAY_ERR_ACCOUNT_NOT_FOUND');
      this.s.clearViewers.run(owner);
      for (const viewer of viewers) this.s.insertViewer.run(owner, viewer);
    });
  }

  async getPresenceViewers(owner: string): Promise<string[]> {
    return (this.s.getViewers.all(owner) as Array<{ viewer: string }>).map((r) => r.viewer);
  }

  async isPresenceViewer(owner: string, viewer: string): Promise<boolean> {
    return this.s.isViewer.get(owner, viewer) !== undefined;
  }
}
