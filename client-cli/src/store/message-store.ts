/**
 * Messages, in local arrival order. The row key is a keyed HMAC of the message id (outgoing) or
 * of sender account + id (incoming, since another sender may pick the same id), so a second
 * delivery of one message is detected by the unique index and dropped. `conversation` is a keyed
 * HMAC of the other party's account id; `unread` is the one plaintext state, so `unread` counts
 * without decrypting every message: 1 unread, 2 read but its read receipt not yet sent to the
 * relay, 0 otherwise.
 */
import type { Database } from 'better-sqlite3';
import type { RecordCipher } from './record-cipher.js';
import type { MessageRecord } from './records.js';

const TABLE = 'messages';

const UNREAD = 1;
const RECEIPT_PENDING = 2;

interface Row {
  readonly ref: Uint8Array;
  readonly body: Uint8Array;
}

export interface UnreadCount {
  readonly peer: string;
  readonly count: number;
}

export class MessageStore {
  constructor(
    private readonly db: Database,
    private readonly cipher: RecordCipher,
  ) {}

  private ref(direction: MessageRecord['direction'], peer: string, id: string): Uint8Array {
    return direction === 'out' ? this.cipher.lookup('message.out', id) : this.cipher.lookup('message.in', `${peer}/${id}`);
  }

  private conversation(peer: string): Uint8Array {
    return this.cipher.lookup('conversation', peer);
  }

  private decode(row: Row): MessageRecord {
    return this.cipher.openJson<MessageRecord>(TABLE, row.ref, row.body);
  }

  private relayRef(relayId: string | null): Uint8Array | null {
    return relayId === null ? null : this.cipher.lookup('message.relay', relayId);
  }

  /** Stores a message; false (and nothing written) when it is already stored: a duplicate. */
  insert(message: MessageRecord): boolean {
    const ref = this.ref(message.direction, message.peer, message.id);
    const unread = message.direction === 'in' && message.readAt === null ? UNREAD : 0;
    const result = this.db
      .prepare('INSERT INTO messages (ref, relay_ref, conversation, unread, body) VALUES (?, ?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING')
      .run(ref, this.relayRef(message.relayId), this.conversation(message.peer), unread, this.cipher.sealJson(TABLE, ref, message));
    return result.changes > 0;
  }

  /** Outgoing messages the relay knows by `relayId` (receipts name messages that way). */
  findByRelayId(relayId: string): MessageRecord[] {
    const rows = this.db.prepare<[Uint8Array], Row>('SELECT ref, body FROM messages WHERE relay_ref = ?').all(this.cipher.lookup('message.relay', relayId));
    return rows.map((row) => this.decode(row)).filter((m) => m.relayId === relayId);
  }

  private getByRef(ref: Uint8Array): MessageRecord | undefined {
    const row = this.db.prepare<[Uint8Array], Row>('SELECT ref, body FROM messages WHERE ref = ?').get(ref);
    return row === undefined ? undefined : this.decode(row);
  }

  getOutgoing(id: string): MessageRecord | undefined {
    const message = this.getByRef(this.ref('out', '', id));
    return message?.id === id && message.direction === 'out' ? message : undefined;
  }

  getIncoming(peer: string, id: string): MessageRecord | undefined {
    const message = this.getByRef(this.ref('in', peer, id));
    return message?.id === id && message.peer === peer && message.direction === 'in' ? message : undefined;
  }

  /**
   * Read-modify-write of one message in an IMMEDIATE transaction, so two processes of one
   * profile (a receipt arriving in `listen` while `send --wait` records `sent`) never lose an
   * update. Returns the new record, or undefined if there is no such message. A `change` that
   * returns its argument unchanged writes nothing.
   */
  update(direction: MessageRecord['direction'], peer: string, id: string, change: (message: MessageRecord) => MessageRecord): MessageRecord | undefined {
    const ref = this.ref(direction, peer, id);
    const run = this.db.transaction((): MessageRecord | undefined => {
      const current = this.getByRef(ref);
      if (current === undefined || current.id !== id) return undefined;
      const next = change(current);
      if (next === current) return current;
      this.db
        .prepare(`UPDATE messages SET unread = CASE WHEN ? THEN ${UNREAD} WHEN unread = ${UNREAD} THEN 0 ELSE unread END, relay_ref = ?, body = ? WHERE ref = ?`)
        .run(next.direction === 'in' && next.readAt === null ? 1 : 0, this.relayRef(next.relayId), this.cipher.sealJson(TABLE, ref, next), ref);
      return next;
    });
    return run.immediate();
  }

  /** The last `limit` messages with one peer, oldest first. */
  history(peer: string, limit: number): MessageRecord[] {
    const rows = this.db
      .prepare<[Uint8Array, number], Row>('SELECT ref, body FROM messages WHERE conversation = ? ORDER BY seq DESC LIMIT ?')
      .all(this.conversation(peer), limit);
    return rows
      .reverse()
      .map((row) => this.decode(row))
      .filter((m) => m.peer === peer);
  }

  /**
   * Marks every unread incoming message from `peer` read; returns them. With `receiptPending`
   * they stay listed by {@link pendingReadReceipts} until {@link readReceiptsSent}.
   */
  markConversationRead(peer: string, at: number, receiptPending = false): MessageRecord[] {
    const run = this.db.transaction((): MessageRecord[] => {
      const rows = this.db
        .prepare<[Uint8Array], Row>(`SELECT ref, body FROM messages WHERE conversation = ? AND unread = ${UNREAD} ORDER BY seq`)
        .all(this.conversation(peer));
      const updated: MessageRecord[] = [];
      for (const row of rows) {
        const message = this.decode(row);
        if (message.peer !== peer) continue;
        const next: MessageRecord = { ...message, readAt: at };
        this.db
          .prepare('UPDATE messages SET unread = ?, body = ? WHERE ref = ?')
          .run(receiptPending && message.relayId !== null ? RECEIPT_PENDING : 0, this.cipher.sealJson(TABLE, row.ref, next), row.ref);
        updated.push(next);
      }
      return updated;
    });
    return run.immediate();
  }

  /** Read messages whose read receipt has not reached the relay yet (oldest first, at most `limit`). */
  pendingReadReceipts(limit = 500): MessageRecord[] {
    const rows = this.db.prepare<[number], Row>(`SELECT ref, body FROM messages WHERE unread = ${RECEIPT_PENDING} ORDER BY seq LIMIT ?`).all(limit);
    return rows.map((row) => this.decode(row));
  }

  /** Marks the read receipts of these incoming messages as sent. */
  readReceiptsSent(messages: readonly Pick<MessageRecord, 'peer' | 'id'>[]): void {
    const update = this.db.prepare(`UPDATE messages SET unread = 0 WHERE ref = ? AND unread = ${RECEIPT_PENDING}`);
    for (const m of messages) update.run(this.ref('in', m.peer, m.id));
  }

  /** Unread incoming messages per conversation; decrypts one message per conversation for the peer. */
  unreadCounts(): UnreadCount[] {
    const groups = this.db
      .prepare<[], { conversation: Uint8Array; n: number; first: number }>(
        `SELECT conversation, count(*) AS n, min(seq) AS first FROM messages WHERE unread = ${UNREAD} GROUP BY conversation`,
      )
      .all();
    const counts: UnreadCount[] = [];
    for (const group of groups) {
      const row = this.db.prepare<[number], Row>('SELECT ref, body FROM messages WHERE seq = ?').get(group.first);
      if (row === undefined) continue;
      counts.push({ peer: this.decode(row).peer, count: group.n });
    }
    return counts.sort((a, b) => b.count - a.count || a.peer.localeCompare(b.peer));
  }
}
