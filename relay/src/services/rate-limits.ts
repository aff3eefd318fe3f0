/** Applies a configured rate rule, refusing with RELAY_ERR_RATE_LIMITED and the retry delay. */
import { RelayError } from '../errors.js';
import type { RateLimiter, RateRule } from '../rate-limit/rate-limiter.js';

export async function enforceRate(limiter: RateLimiter, key: string, rule: RateRule, now: number): Promise<void> {
  const decision = await limiter.take(key, rule, now);
  if (!decision.allowed) {
    throw new RelayError('RELAY_ERR_RATE_LIMITED', undefined, { retryAfterMs: decision.retryAfterMs });
  }
}
