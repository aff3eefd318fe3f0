/**
 * Contacts, keyed by account id. The indexed columns hold keyed HMACs of the account id, the
 * username (lower-cased: usernames are case-insensitive on the relay) and the alias, so the file
 * does not list whom the user talks to. A lookup by index is confirmed against the decrypted
 * record, so an edited index column cannot make one contact answer for another.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';
import type { ContactRecord } from './records.js';

const TABLE = 'contacts';

interface Row {
  readonly account: Uint8Array;
  readonly body: Uint8Array;
}

export class ContactStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  private accountRef(accountId: string): Uint8Array {
    return this.cipher.lookup('contact.account', accountId);
  }

  private usernameRef(username: string): Uint8Array {
    return this.cipher.lookup('contact.username', username.toLowerCase());
  }

  private aliasRef(alias: string): Uint8Array {
    return this.cipher.lookup('contact.alias', alias);
  }

  private decode(row: Row): ContactRecord {
    return this.cipher.openJson<ContactRecord>(TABLE, row.account, row.body);
  }

  put(contact: ContactRecord): void {
    const account = this.accountRef(contact.accountId);
    const body = this.cipher.sealJson(TABLE, account, contact);
    this.db
      .prepare(
        `INSERT INTO contacts (account, username, alias, body) VALUES (?, ?, ?, ?)
         ON CONFLICT (account) DO UPDATE SET username = excluded.username, alias = excluded.alias, body = excluded.body`,
      )
      .run(account, contact.username === null ? null : this.usernameRef(contact.username), contact.alias === null ? null : this.aliasRef(contact.alias), body);
  }

  getByAccountId(accountId: string): ContactRecord | undefined {
    const row = this.db.prepare<[Uint8Array], Row>('SELECT account, body FROM contacts WHERE account = ?').get(this.accountRef(accountId));
    if (row === undefined) return undefined;
    const contact = this.decode(row);
    return contact.accountId === accountId ? contact : undefined;
  }

  findByAlias(alias: string): ContactRecord | undefined {
    const row = this.db.prepare<[Uint8Array], Row>('SELECT account, body FROM contacts WHERE alias = ?').get(this.aliasRef(alias));
    if (row === undefined) return undefined;
    const contact = this.decode(row);
    return contact.alias === alias ? contact : undefined;
  }

  findByUsername(username: string): ContactRecord[] {
    const rows = this.db.prepare<[Uint8Array], Row>('SELECT account, body FROM contacts WHERE username = ?').all(this.usernameRef(username));
    return rows.map((row) => this.decode(row)).filter((c) => c.username !== null && c.username.toLowerCase() === username.toLowerCase());
  }

  list(): ContactRecord[] {
    const rows = this.db.prepare<[], Row>('SELECT account, body FROM contacts').all();
    return rows.map((row) => this.decode(row)).sort((a, b) => a.addedAt - b.addedAt || a.accountId.localeCompare(b.accountId));
  }

  delete(accountId: string): boolean {
    return this.db.prepare('DELETE FROM contacts WHERE account = ?').run(this.accountRef(accountId)).changes > 0;
  }
}
