/**
 * SqliteChallengeStore: outstanding auth-challenge nonces on SQLite. Consuming deletes the row in
 * a committed write, so a nonce answers at most one authentication even across a crash.
 */
import type Database from 'better-sqlite3';
import type { ChallengeStore, IssuedChallenge } from '../challenge-store.js';
import type { GroupCommitter } from './group-commit.js';

function statements(db: Database.Database) {
  return {
    insert: db.prepare('INSERT INTO challenges (nonce, issued_at, expires_at) VALUES (?, ?, ?)'),
    count: db.prepare('SELECT COUNT(*) AS n FROM challenges'),
    // `LIMIT ?+0`: a bare `LIMIT ?` re-prepares the statement on every run (sqlite-message-store.ts).
    trim: db.prepare('DELETE FROM challenges WHERE nonce IN (SELECT nonce FROM challenges ORDER BY issued_at LIMIT ?+0)'),
    take: db.prepare('DELETE FROM challenges WHERE nonce = ? RETURNING issued_at, expires_at'),
    purge: db.prepare('DELETE FROM challenges WHERE expires_at <= ?'),
  };
}

export class SqliteChallengeStore implements ChallengeStore {
  private readonly s: ReturnType<typeof statements>;

  constructor(private readonly committer: GroupCommitter) {
    this.s = statements(committer.database);
  }

  issue(nonce: string, challenge: IssuedChallenge, maxPending: number): Promise<void> {
    return this.committer.run(() => {
      this.s.insert.run(nonce, challenge.issuedAt, challenge.expiresAt);
      // Bound the table so a flood of unanswered challenges cannot grow it without limit.
      const { n } = this.s.count.get() as { n: number };
      if (n > maxPending) this.s.trim.run(n - maxPending);
    });
  }

  consume(nonce: string): Promise<IssuedChallenge | null> {
    return this.committer.run(() => {
      const row = this.s.take.get(nonce) as { issued_at: number; expires_at: number } | undefined;
      return row === undefined ? null : { issuedAt: row.issued_at, expiresAt: row.expires_at };
    });
  }

  purgeExpired(now: number): Promise<number> {
    return this.committer.run(() => this.s.purge.run(now).changes);
  }
}
