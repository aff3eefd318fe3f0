/**
 * SqlitePrekeyStore: PrekeyStore on SQLite. A bundle fetch deletes (and returns) the lowest-id
 * one-time key of each kind inside one committed transaction, so concurrent fetchers can never
 * be handed the same one-time key (PQXDH §4.2: one-time prekeys are used once).
 */
import type Database from 'better-sqlite3';
import { RelayError } from '../../errors.js';
import type { PrekeyStore } from '../prekey-store.js';
import type { DeviceAddress, DeviceBundle, PrekeyCounts, PrekeyUpload, StoredPrekey } from '../records.js';
import type { GroupCommitter } from './group-commit.js';

const KIND = { SIGNED_X25519: 0, LAST_RESORT_KEM: 1, ONE_TIME_X25519: 2, ONE_TIME_KEM: 3 } as const;

type KeyRow = { key_id: number; bytes: Buffer };
/** The pool counts kept on each device row (migration 6). */
type PoolRow = { pool_x25519: number; pool_kem: number; has_signed_prekey: number; has_last_resort_kem: number };

const toPrekey = (row: KeyRow | undefined): StoredPrekey | null =>
  row === undefined ? null : { keyId: row.key_id, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) };

const toCounts = (row: PoolRow): PrekeyCounts => ({
  oneTimeX25519: row.pool_x25519,
  oneTimeKem: row.pool_kem,
  signedPrekey: row.has_signed_prekey !== 0,
  lastResortKem: row.has_last_resort_kem !== 0,
});

const NO_KEYS: PrekeyCounts = { oneTimeX25519: 0, oneTimeKem: 0, signedPrekey: false, lastResortKem: false };

function statements(db: Database.Database) {
  return {
    pool: db.prepare('SELECT pool_x25519, pool_kem, has_signed_prekey, has_last_resort_kem FROM devices WHERE account_id = ? AND device_id = ?'),
    deviceIds: db.prepare('SELECT device_id FROM devices WHERE account_id = ? ORDER BY device_id').pluck(),
    setPool: db.prepare('UPDATE devices SET pool_x25519 = ?, pool_kem = ?, has_signed_prekey = ?, has_last_resort_kem = ? WHERE account_id = ? AND device_id = ?'),
    /** Counts down what a fetch took and reads what is left (no row: no such device). */
    takenFromPool: db.prepare(
      'UPDATE devices SET pool_x25519 = pool_x25519 - ?, pool_kem = pool_kem - ? WHERE account_id = ? AND device_id = ? RETURNING pool_x25519, pool_kem, has_signed_prekey, has_last_resort_kem',
    ),
    clearKind: db.prepare('DELETE FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ?'),
    /** changes = 0 when the key id is already stored (then replaceBytes overwrites it). */
    insert: db.prepare('INSERT OR IGNORE INTO prekeys (account_id, device_id, kind, key_id, bytes) VALUES (?, ?, ?, ?, ?)'),
    replaceBytes: db.prepare('UPDATE prekeys SET bytes = ? WHERE account_id = ? AND device_id = ? AND kind = ? AND key_id = ?'),
    first: db.prepare('SELECT key_id, bytes FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ? ORDER BY key_id LIMIT 1'),
    /** Removes and returns the lowest-id key of a kind, in one statement. */
    takeFirst: db.prepare(
      `DELETE FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ?
         AND key_id = (SELECT key_id FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ? ORDER BY key_id LIMIT 1)
       RETURNING key_id, bytes`,
    ),
  };
}

/**
 * Pool counts are kept on the device row (`pool_x25519`, `pool_kem`, `has_signed_prekey`,
 * `has_last_resort_kem`) in the same transaction as every change to the pool, so reading them
 * costs one row whatever the pool size; the device row's removal (device removed or replaced,
 * account deleted) takes its keys along by cascade, and a new row starts at zero.
 */
export class SqlitePrekeyStore implements PrekeyStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  upload(address: DeviceAddress, upload: PrekeyUpload, maxPool: number): Promise<PrekeyCounts> {
    const { accountId, deviceId } = address;
    return this.committer.run(() => {
      const row = this.s.pool.get(accountId, deviceId) as PoolRow | undefined;
      if (row === undefined) throw new RelayError('RELAY_ERR_DEVICE_NOT_FOUND');
      const counts = { ...toCounts(row) };
      /** Stores a key; true when it is new (not a replacement of a stored key id). */
      const put = (kind: number, key: StoredPrekey): boolean => {
        const bytes = Buffer.from(key.bytes);
        if (this.s.insert.run(accountId, deviceId, kind, key.keyId, bytes).changes === 1) return true;
        this.s.replaceBytes.run(bytes, accountId, deviceId, kind, key.keyId);
        return false;
      };
      if (upload.signedPrekey !== undefined) {
        this.s.clearKind.run(accountId, deviceId, KIND.SIGNED_X25519);
        put(KIND.SIGNED_X25519, upload.signedPrekey);
        counts.signedPrekey = true;
      }
      if (upload.lastResortKem !== undefined) {
        this.s.clearKind.run(accountId, deviceId, KIND.LAST_RESORT_KEM);
        put(KIND.LAST_RESORT_KEM, upload.lastResortKem);
        counts.lastResortKem = true;
      }
      for (const key of upload.oneTimeX25519) if (put(KIND.ONE_TIME_X25519, key)) counts.oneTimeX25519++;
      for (const key of upload.oneTimeKem) if (put(KIND.ONE_TIME_KEM, key)) counts.oneTimeKem++;
      if (counts.oneTimeX25519 > maxPool || counts.oneTimeKem > maxPool) {
        // Throwing rolls this unit's savepoint back: nothing of the upload stays.
        throw new RelayError('RELAY_ERR_TOO_MANY_PREKEYS', `a one-time pool would exceed ${maxPool} keys`, { maxPool });
      }
      this.s.setPool.run(counts.oneTimeX25519, counts.oneTimeKem, counts.signedPrekey ? 1 : 0, counts.lastResortKem ? 1 : 0, accountId, deviceId);
      return counts;
    });
  }

  async counts(address: DeviceAddress): Promise<PrekeyCounts> {
    const row = this.s.pool.get(address.accountId, address.deviceId) as PoolRow | undefined;
    return row === undefined ? { ...NO_KEYS } : toCounts(row);
  }

  takeBundles(accountId: string, deviceIds?: readonly number[]): Promise<DeviceBundle[]> {
    return this.committer.run(() => {
      const bundles: DeviceBundle[] = [];
      for (const deviceId of deviceIds ?? (this.s.deviceIds.all(accountId) as number[])) {
        const take = (kind: number): StoredPrekey | null => toPrekey(this.s.takeFirst.get(accountId, deviceId, kind, accountId, deviceId, kind) as KeyRow | undefined);
        // An unknown device has no keys (they cascade with its row), so nothing is taken for it.
        const oneTimeX25519 = take(KIND.ONE_TIME_X25519);
        const oneTimeKem = take(KIND.ONE_TIME_KEM);
        const pool = (
          oneTimeX25519 === null && oneTimeKem === null
            ? this.s.pool.get(accountId, deviceId)
            : this.s.takenFromPool.get(oneTimeX25519 === null ? 0 : 1, oneTimeKem === null ? 0 : 1, accountId, deviceId)
        ) as PoolRow | undefined;
        if (pool === undefined) continue;
        const signedPrekey = pool.has_signed_prekey !== 0 ? toPrekey(this.s.first.get(accountId, deviceId, KIND.SIGNED_X25519) as KeyRow | undefined) : null;
        const kemPrekey = oneTimeKem ?? (pool.has_last_resort_kem !== 0 ? toPrekey(this.s.first.get(accountId, deviceId, KIND.LAST_RESORT_KEM) as KeyRow | undefined) : null);
        bundles.push({
          deviceId,
          signedPrekey,
          oneTimeX25519,
          kemPrekey,
          kemLastResort: oneTimeKem === null && kemPrekey !== null,
          remaining: toCounts(pool),
        });
      }
      return bundles;
    });
  }
}
