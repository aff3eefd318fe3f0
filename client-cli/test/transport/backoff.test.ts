import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/transport/backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with full jitter', () => {
    const options = { baseMs: 100, capMs: 1000 };
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, options, () => 0.999999))).toEqual([99, 199, 399, 799, 999, 999]);
    expect(backoffDelay(5, options, () => 0)).toBe(0);
    expect(backoffDelay(1_000, options, () => 0.5)).toBe(500);
  });
});
