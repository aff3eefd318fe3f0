/**
 * Relay envelope ids already processed, so an at-least-once redelivery (DESIGN.md §4) is dropped
 * before it reaches the ratchet. Ids are stored as keyed HMACs; old entries are pruned.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';

export class SeenStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  /** Records `envelopeId` as processed; false when it had been already. */
  markSeen(envelopeId: string, at: number): boolean {
    const ref = this.cipher.lookup('envelope', envelopeId);
    return this.db.prepare('INSERT INTO seen (ref, at) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING').run(ref, at).changes > 0;
  }

  hasSeen(envelopeId: string): boolean {
    return this.db.prepare('SELECT 1 FROM seen WHERE ref = ?').get(this.cipher.lookup('envelope', envelopeId)) !== undefined;
  }

  pruneBefore(at: number): number {
    return this.db.prepare('DELETE FROM seen WHERE at < ?').run(at).changes;
  }
}
