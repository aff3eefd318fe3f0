/**
 * SqliteMediaStore: MediaStore on the relay's SQLite database (the `media` table, migration 3).
 * `sweep_at` is derived from state and deadlines (../media-store.ts sweepAt) so the sweeper reads
 * one index in order. Writes go through the group committer, so they share its batched fsyncs;
 * the quota check and the insert are one unit of work, so no other writer can come between them.
 */
import type Database from 'better-sqlite3';
import type { InsertOutcome, MediaLimits, MediaRecord, MediaState, MediaStore, MediaUsage } from '../media-store.js';
import { sweepAt } from '../media-store.js';
import type { GroupCommitter } from './group-commit.js';

interface Row {
  media_id: string;
  owner: string;
  declared_size: number;
  state: MediaState;
  created_at: number;
  pending_until: number;
  expires_at: number;
  stored_at: number | null;
}

const COLUMNS = 'media_id, owner, declared_size, state, created_at, pending_until, expires_at, stored_at';

function toRecord(row: Row): MediaRecord {
  return {
    mediaId: row.media_id,
    owner: row.owner,
    declaredSize: row.declared_size,
    state: row.state,
    createdAt: row.created_at,
    pendingUntil: row.pending_until,
    expiresAt: row.expires_at,
    storedAt: row.stored_at,
  };
}

function statements(db: Database.Database) {
  return {
    insert: db.prepare(`INSERT INTO media (${COLUMNS}, sweep_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    get: db.prepare(`SELECT ${COLUMNS} FROM media WHERE media_id = ?`),
    // Live records only: the same rule as isLive() in ./media-store.ts.
    usage: db.prepare(`
      SELECT COALESCE(SUM(declared_size), 0) AS bytes, COUNT(*) AS objects, COALESCE(SUM(state = 'pending'), 0) AS pending
      FROM media
      WHERE owner = ? AND ((state = 'pending' AND pending_until > ?) OR (state = 'stored' AND expires_at > ?))`),
    markStored: db.prepare(`UPDATE media SET state = 'stored', stored_at = ?, sweep_at = expires_at WHERE media_id = ? AND state = 'pending'`),
    markDeleted: db.prepare(`UPDATE media SET state = 'deleted', sweep_at = 0 WHERE media_id = ? AND state != 'deleted'`),
    markOwnerDeleted: db.prepare(`UPDATE media SET state = 'deleted', sweep_at = 0 WHERE owner = ? AND state != 'deleted'`),
    // `LIMIT ?+0`: a bare `LIMIT ?` re-prepares the statement on every run (sqlite-message-store.ts).
    sweepable: db.prepare(`SELECT ${COLUMNS} FROM media WHERE sweep_at <= ? ORDER BY sweep_at, media_id LIMIT ?+0`),
    remove: db.prepare('DELETE FROM media WHERE media_id = ? AND sweep_at <= ?'),
  };
}

export class SqliteMediaStore implements MediaStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  private usageNow(owner: string, now: number): MediaUsage {
    const row = this.s.usage.get(owner, now, now) as { bytes: number; objects: number; pending: number };
    return { bytes: row.bytes, objects: row.objects, pending: row.pending };
  }

  insertWithinLimits(record: MediaRecord, limits: MediaLimits, now: number): Promise<InsertOutcome> {
    // Inside one transaction: the usage read and the insert cannot be split by another writer.
    return this.committer.run(() => {
      const usage = this.usageNow(record.owner, now);
      if (usage.pending + 1 > limits.maxPending) return 'too-many-pending';
      if (usage.objects + 1 > limits.maxObjects) return 'quota-objects';
      if (usage.bytes + record.declaredSize > limits.maxBytes) return 'quota-bytes';
      const r = record;
      this.s.insert.run(r.mediaId, r.owner, r.declaredSize, r.state, r.createdAt, r.pendingUntil, r.expiresAt, r.storedAt, sweepAt(r));
      return 'inserted';
    });
  }

  async get(mediaId: string): Promise<MediaRecord | undefined> {
    const row = this.s.get.get(mediaId) as Row | undefined;
    return row === undefined ? undefined : toRecord(row);
  }

  async usage(owner: string, now: number): Promise<MediaUsage> {
    return this.usageNow(owner, now);
  }

  markStored(mediaId: string, storedAt: number): Promise<boolean> {
    return this.committer.run(() => this.s.markStored.run(storedAt, mediaId).changes === 1);
  }

  markDeleted(mediaId: string): Promise<boolean> {
    return this.committer.run(() => this.s.markDeleted.run(mediaId).changes === 1);
  }

  markOwnerDeleted(owner: string): Promise<number> {
    return this.committer.run(() => this.s.markOwnerDeleted.run(owner).changes);
  }

  async listSweepable(now: number, limit: number): Promise<MediaRecord[]> {
    return (this.s.sweepable.all(now, limit) as Row[]).map(toRecord);
  }

  remove(mediaId: string, now: number): Promise<boolean> {
    return this.committer.run(() => this.s.remove.run(mediaId, now).changes === 1);
  }
}
