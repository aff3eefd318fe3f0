/** Private halves of this device's prekeys, by kind and key id. */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';
import type { PrekeyKind, PrekeyRecord } from './records.js';

const TABLE = 'prekeys';
const encoder = new TextEncoder();

function rowKey(kind: PrekeyKind, keyId: number): Uint8Array {
  return encoder.encode(`${kind}\0${keyId}`);
}

export class PrekeyStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  put(record: PrekeyRecord): void {
    const body = this.cipher.sealJson(TABLE, rowKey(record.kind, record.keyId), record);
    this.db
      .prepare('INSERT INTO prekeys (kind, key_id, body) VALUES (?, ?, ?) ON CONFLICT (kind, key_id) DO UPDATE SET body = excluded.body')
      .run(record.kind, record.keyId, body);
  }

  get(kind: PrekeyKind, keyId: number): PrekeyRecord | undefined {
    const row = this.db.prepare<[string, number], { body: Uint8Array }>('SELECT body FROM prekeys WHERE kind = ? AND key_id = ?').get(kind, keyId);
    return row === undefined ? undefined : this.cipher.openJson<PrekeyRecord>(TABLE, rowKey(kind, keyId), row.body);
  }

  /** Removes a used one-time key; true if it existed (false: already used, a replay). */
  delete(kind: PrekeyKind, keyId: number): boolean {
    return this.db.prepare('DELETE FROM prekeys WHERE kind = ? AND key_id = ?').run(kind, keyId).changes > 0;
  }

  list(kind: PrekeyKind): PrekeyRecord[] {
    const rows = this.db.prepare<[string], { key_id: number; body: Uint8Array }>('SELECT key_id, body FROM prekeys WHERE kind = ? ORDER BY key_id').all(kind);
    return rows.map((row) => this.cipher.openJson<PrekeyRecord>(TABLE, rowKey(kind, row.key_id), row.body));
  }

  count(kind: PrekeyKind): number {
    return this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM prekeys WHERE kind = ?').get(kind)?.n ?? 0;
  }

  /**
   * Reserves `count` fresh key ids of a kind and returns the first. Ids only grow (a counter, not
   * max(key_id)), so an id the relay may still hand out is never reused for a different key.
   */
  allocateIds(kind: PrekeyKind, count: number): number {
    const name = `prekey:${kind}`;
    const allocate = this.db.transaction((): number => {
      const current = this.db.prepare<[string], { value: number }>('SELECT value FROM counters WHERE name = ?').get(name)?.value ?? 0;
      this.db.prepare('INSERT INTO counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value').run(name, current + count);
      return current + 1;
    });
    return allocate.immediate();
  }
}
