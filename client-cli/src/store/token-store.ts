/**
 * The relay session token of this device, cached (sealed like every record) so a command does not
 * sign in again while the token is valid: two round trips fewer on each start.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';

const TABLE = 'settings';
const NAME = 'relay-session-token';
const encoder = new TextEncoder();

export interface CachedToken {
  readonly relayUrl: string;
  readonly token: string;
  readonly expiresAt: number;
}

export class TokenStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  get(): CachedToken | undefined {
    const row = this.db.prepare<[string], { body: Uint8Array }>('SELECT body FROM settings WHERE name = ?').get(NAME);
    return row === undefined ? undefined : this.cipher.openJson<CachedToken>(TABLE, encoder.encode(NAME), row.body);
  }

  put(token: CachedToken): void {
    const body = this.cipher.sealJson(TABLE, encoder.encode(NAME), token);
    this.db.prepare('INSERT INTO settings (name, body) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET body = excluded.body').run(NAME, body);
  }

  clear(): void {
    this.db.prepare('DELETE FROM settings WHERE name = ?').run(NAME);
  }
}
