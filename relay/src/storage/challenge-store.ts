/**
 * ChallengeStore: the nonces of outstanding auth challenges. A nonce is consumed (deleted) by its
 * first use, so a replayed answer finds nothing. Kept in storage rather than memory so several
 * relays behind one load balancer share it. Contract: relay/test/support/challenge-store-contract.ts.
 */

export interface IssuedChallenge {
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface ChallengeStore {
  /** Records a fresh nonce; drops the oldest ones beyond `maxPending`. */
  issue(nonce: string, challenge: IssuedChallenge, maxPending: number): Promise<void>;
  /** Deletes and returns the challenge (expired or not), or null if unknown or already used. */
  consume(nonce: string): Promise<IssuedChallenge | null>;
  purgeExpired(now: number): Promise<number>;
}
