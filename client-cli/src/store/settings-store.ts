/** User settings (read receipts on/off), one sealed row. */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';
import { DEFAULT_SETTINGS, type SettingsRecord } from './records.js';

const TABLE = 'settings';
const NAME = 'settings';
const encoder = new TextEncoder();

export class SettingsStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  get(): SettingsRecord {
    const row = this.db.prepare<[string], { body: Uint8Array }>('SELECT body FROM settings WHERE name = ?').get(NAME);
    if (row === undefined) return DEFAULT_SETTINGS;
    // Defaults first, so a setting added in a later version has a value in an older record.
    return { ...DEFAULT_SETTINGS, ...this.cipher.openJson<Partial<SettingsRecord>>(TABLE, encoder.encode(NAME), row.body) };
  }

  update(change: Partial<SettingsRecord>): SettingsRecord {
    const next = { ...this.get(), ...change };
    const body = this.cipher.sealJson(TABLE, encoder.encode(NAME), next);
    this.db.prepare('INSERT INTO settings (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body').run(NAME, body);
    return next;
  }
}
