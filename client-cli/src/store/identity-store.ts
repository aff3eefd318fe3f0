/** This device's identity record (one row, slot "self"). */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';
import type { IdentityRecord } from './records.js';

const TABLE = 'identity';
const SLOT = 'self';
const encoder = new TextEncoder();

export class IdentityStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  get(): IdentityRecord | undefined {
    const row = this.db.prepare<[string], { body: Uint8Array }>('SELECT body FROM identity WHERE slot = ?').get(SLOT);
    return row === undefined ? undefined : this.cipher.openJson<IdentityRecord>(TABLE, encoder.encode(SLOT), row.body);
  }

  put(record: IdentityRecord): void {
    const body = this.cipher.sealJson(TABLE, encoder.encode(SLOT), record);
    this.db.prepare('INSERT INTO identity (slot, body) VALUES (?, ?) ON CONFLICT (slot) DO UPDATE SET body = excluded.body').run(SLOT, body);
  }
}
