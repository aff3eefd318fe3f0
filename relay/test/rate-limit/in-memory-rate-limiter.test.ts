/** Token buckets: burst, refill over time, independent keys, bounded memory. */
import { describe, expect, it } from 'vitest';
import { InMemoryRateLimiter } from '../../src/rate-limit/in-memory-rate-limiter.js';

describe('InMemoryRateLimiter', () => {
  const rule = { limit: 3, windowMs: 3_000 };

  it('allows a burst of `limit`, then refuses with the time until the next token', async () => {
    const limiter = new InMemoryRateLimiter();
    for (let i = 0; i < 3; i++) expect((await limiter.take('k', rule, 0)).allowed).toBe(true);
    expect(await limiter.take('k', rule, 0)).toEqual({ allowed: false, retryAfterMs: 1_000 });
    expect(await limiter.take('k', rule, 400)).toEqual({ allowed: false, retryAfterMs: 600 });
    expect((await limiter.take('k', rule, 1_000)).allowed).toBe(true);
    expect((await limiter.take('other', rule, 1_000)).allowed).toBe(true);
  });

  it('refills to at most the limit', async () => {
    const limiter = new InMemoryRateLimiter();
    await limiter.take('k', rule, 0);
    for (let i = 0; i < 3; i++) expect((await limiter.take('k', rule, 1e9)).allowed).toBe(true);
    expect((await limiter.take('k', rule, 1e9)).allowed).toBe(false);
  });

  it('evicts the least recently used key beyond maxKeys (which then starts full)', async () => {
    const limiter = new InMemoryRateLimiter(2);
    const tight = { limit: 1, windowMs: 1e9 };
    await limiter.take('a', tight, 0);
    await limiter.take('b', tight, 0);
    await limiter.take('c', tight, 0);
    expect((await limiter.take('a', tight, 0)).allowed).toBe(true);
    expect((await limiter.take('c', tight, 0)).allowed).toBe(false);
  });
});
