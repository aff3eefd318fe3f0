/**
 * InMemoryRateLimiter: continuous-refill token buckets in a bounded map. When the map is full
 * the oldest-touched buckets are evicted first; an evicted bucket restarts full, which errs on
 * the side of serving clients rather than refusing them.
 */
import type { RateDecision, RateLimiter, RateRule } from './rate-limiter.js';

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export class InMemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly maxKeys = 100_000) {}

  async take(key: string, rule: RateRule, now: number): Promise<RateDecision> {
    const refillPerMs = rule.limit / rule.windowMs;
    const prior = this.buckets.get(key);
    const bucket: Bucket = prior ?? { tokens: rule.limit, updatedAt: now };
    bucket.tokens = Math.min(rule.limit, bucket.tokens + Math.max(0, now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    // Re-insert so Map order is least-recently-used first.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (oldest.done !== true) this.buckets.delete(oldest.value);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterMs: 0 };
    }
    return { allowed: false, retryAfterMs: Math.ceil((1 - bucket.tokens) / refillPerMs) };
  }
}
