/**
 * Serialized session records, one per peer device (account id + device id), Sesame-style: the
 * crypto package owns the record format; this store keeps the bytes sealed. The account column
 * (a keyed HMAC) finds every session with one contact's devices.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';

const TABLE = 'sessions';

export interface PeerDevice {
  readonly accountId: string;
  readonly deviceId: number;
}

interface SessionBody {
  readonly accountId: string;
  readonly deviceId: number;
  /** The crypto package's serialized session record, base64url. */
  readonly record: string;
}

export class SessionStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  private peerRef(peer: PeerDevice): Uint8Array {
    return this.cipher.lookup('session.peer', `${peer.accountId}.${peer.deviceId}`);
  }

  get(peer: PeerDevice): Uint8Array | undefined {
    const ref = this.peerRef(peer);
    const row = this.db.prepare<[Uint8Array], { body: Uint8Array }>('SELECT body FROM sessions WHERE peer = ?').get(ref);
    if (row === undefined) return undefined;
    const body = this.cipher.openJson<SessionBody>(TABLE, ref, row.body);
    if (body.accountId !== peer.accountId || body.deviceId !== peer.deviceId) return undefined;
    return Buffer.from(body.record, 'base64url');
  }

  put(peer: PeerDevice, record: Uint8Array): void {
    const ref = this.peerRef(peer);
    const body: SessionBody = { accountId: peer.accountId, deviceId: peer.deviceId, record: Buffer.from(record).toString('base64url') };
    this.db
      .prepare('INSERT INTO sessions (peer, account, body) VALUES (?, ?, ?) ON CONFLICT (peer) DO UPDATE SET body = excluded.body')
      .run(ref, this.cipher.lookup('session.account', peer.accountId), this.cipher.sealJson(TABLE, ref, body));
  }

  delete(peer: PeerDevice): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE peer = ?').run(this.peerRef(peer)).changes > 0;
  }

  /** The device ids we hold sessions with for one account. */
  devicesOf(accountId: string): number[] {
    const rows = this.db
      .prepare<[Uint8Array], { peer: Uint8Array; body: Uint8Array }>('SELECT peer, body FROM sessions WHERE account = ?')
      .all(this.cipher.lookup('session.account', accountId));
    return rows
      .map((row) => this.cipher.openJson<SessionBody>(TABLE, row.peer, row.body))
      .filter((b) => b.accountId === accountId)
      .map((b) => b.deviceId)
      .sort((a, b) => a - b);
  }

  deleteAccount(accountId: string): number {
    return this.db.prepare('DELETE FROM sessions WHERE account = ?').run(this.cipher.lookup('session.account', accountId)).changes;
  }
}
