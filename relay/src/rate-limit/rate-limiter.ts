/**
 * RateLimiter: token buckets keyed by a string (an account, a pair of accounts, a client
 * address). Async so a shared implementation (Redis) can back several relays.
 */

export interface RateRule {
  /** Events allowed per window; also the burst size. */
  readonly limit: number;
  readonly windowMs: number;
}

export interface RateDecision {
  readonly allowed: boolean;
  /** When refused: how long until one event is allowed again. */
  readonly retryAfterMs: number;
}

export interface RateLimiter {
  /** Takes one token from `key`'s bucket under `rule` if one is available. */
  take(key: string, rule: RateRule, now: number): Promise<RateDecision>;
}
