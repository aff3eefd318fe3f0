/**
 * PQXDH initial messages accepted on a last-resort ML-KEM prekey (PQXDH §4.2 "Replay attacks":
 * that key is reused, so the responder must remember what it accepted and refuse it again). Rows
 * are keyed HMACs of (key id, message digest); they are dropped when the key is retired.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';

export class ReplayStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  private ref(keyId: number, digest: Uint8Array): Uint8Array {
    return this.cipher.lookup('last-resort', `${keyId}:${Buffer.from(digest).toString('hex')}`);
  }

  has(keyId: number, digest: Uint8Array): boolean {
    return this.db.prepare('SELECT 1 FROM replays WHERE ref = ?').get(this.ref(keyId, digest)) !== undefined;
  }

  record(keyId: number, digest: Uint8Array): void {
    this.db.prepare('INSERT INTO replays (ref, key_id) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING').run(this.ref(keyId, digest), keyId);
  }

  dropKey(keyId: number): number {
    return this.db.prepare('DELETE FROM replays WHERE key_id = ?').run(keyId).changes;
  }
}
