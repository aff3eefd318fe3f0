/**
 * SqlitePrekeyStore: PrekeyStore on SQLite. A bundle fetch selects and deletes the lowest-id
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

const toPrekey = (row: KeyRow | undefined): StoredPrekey | null =>
  row === undefined ? null : { keyId: row.key_id, bytes: new Uint8Array(row.bytes.buffer, row.bytes.byteOffset, row.bytes.byteLength) };

function statements(db: Database.Database) {
  return {
    deviceExists: db.prepare('SELECT 1 FROM devices WHERE account_id = ? AND device_id = ?'),
    clearKind: db.prepare('DELETE FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ?'),
    put: db.prepare('INSERT OR REPLACE INTO prekeys (account_id, device_id, kind, key_id, bytes) VALUES (?, ?, ?, ?, ?)'),
    count: db.prepare('SELECT kind, COUNT(*) AS n FROM prekeys WHERE account_id = ? AND device_id = ? GROUP BY kind'),
    first: db.prepare('SELECT key_id, bytes FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ? ORDER BY key_id LIMIT 1'),
    remove: db.prepare('DELETE FROM prekeys WHERE account_id = ? AND device_id = ? AND kind = ? AND key_id = ?'),
  };
}

export class SqlitePrekeyStore implements PrekeyStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  private countsNow(address: DeviceAddress): PrekeyCounts {
    const byKind = new Map((this.s.count.all(address.accountId, address.deviceId) as Array<{ kind: number; n: number }>).map((r) => [r.kind, r.n]));
    return {
      oneTimeX25519: byKind.get(KIND.ONE_TIME_X25519) ?? 0,
      oneTimeKem: byKind.get(KIND.ONE_TIME_KEM) ?? 0,
      signedPrekey: (byKind.get(KIND.SIGNED_X25519) ?? 0) > 0,
      lastResortKem: (byKind.get(KIND.LAST_RESORT_KEM) ?? 0) > 0,
    };
  }

  upload(address: DeviceAddress, upload: PrekeyUpload, maxPool: number): Promise<PrekeyCounts> {
    const { accountId, deviceId } = address;
    return this.committer.run(() => {
      if (this.s.deviceExists.get(accountId, deviceId) === undefined) throw new RelayError('RELAY_ERR_DEVICE_NOT_FOUND');
      const put = (kind: number, key: StoredPrekey) => this.s.put.run(accountId, deviceId, kind, key.keyId, Buffer.from(key.bytes));
      if (upload.signedPrekey !== undefined) {
        this.s.clearKind.run(accountId, deviceId, KIND.SIGNED_X25519);
        put(KIND.SIGNED_X25519, upload.signedPrekey);
      }
      if (upload.lastResortKem !== undefined) {
        this.s.clearKind.run(accountId, deviceId, KIND.LAST_RESORT_KEM);
        put(KIND.LAST_RESORT_KEM, upload.lastResortKem);
      }
      for (const key of upload.oneTimeX25519) put(KIND.ONE_TIME_X25519, key);
      for (const key of upload.oneTimeKem) put(KIND.ONE_TIME_KEM, key);
      const counts = this.countsNow(address);
      if (counts.oneTimeX25519 > maxPool || counts.oneTimeKem > maxPool) {
        // Throwing rolls this unit's savepoint back: nothing of the upload stays.
        throw new RelayError('RELAY_ERR_TOO_MANY_PREKEYS', `a one-time pool would exceed ${maxPool} keys`, { maxPool });
      }
      return counts;
    });
  }

  async counts(address: DeviceAddress): Promise<PrekeyCounts> {
    return this.countsNow(address);
  }

  takeBundles(accountId: string, deviceIds: readonly number[]): Promise<DeviceBundle[]> {
    return this.committer.run(() => {
      const bundles: DeviceBundle[] = [];
      for (const deviceId of deviceIds) {
        if (this.s.deviceExists.get(accountId, deviceId) === undefined) continue;
        const take = (kind: number): StoredPrekey | null => {
          const key = toPrekey(this.s.first.get(accountId, deviceId, kind) as KeyRow | undefined);
          if (key !== null) this.s.remove.run(accountId, deviceId, kind, key.keyId);
          return key;
        };
        const signedPrekey = toPrekey(this.s.first.get(accountId, deviceId, KIND.SIGNED_X25519) as KeyRow | undefined);
        const oneTimeX25519 = take(KIND.ONE_TIME_X25519);
        const oneTimeKem = take(KIND.ONE_TIME_KEM);
        const kemPrekey = oneTimeKem ?? toPrekey(this.s.first.get(accountId, deviceId, KIND.LAST_RESORT_KEM) as KeyRow | undefined);
        bundles.push({
          deviceId,
          signedPrekey,
          oneTimeX25519,
          kemPrekey,
          kemLastResort: oneTimeKem === null && kemPrekey !== null,
          remaining: this.countsNow({ accountId, deviceId }),
        });
      }
      return bundles;
    });
  }
}
