/**
 * Latency percentiles for the relay benchmark. Samples are kept whole (runs are bounded, at most a
 * few hundred thousand samples) and sorted once, so p99.9 is exact rather than bucketed. A message
 * that never completed counts as +Infinity: dropping it would flatter the tail, which is the
 * same mistake as coordinated omission.
 */

export interface LatencySummary {
  readonly count: number;
  /** Messages that did not complete before the run's deadline (counted as infinitely late). */
  readonly incomplete: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** Nearest-rank percentile of sorted samples (q in 0..1). */
function rank(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index] as number;
}

/** Summarizes milliseconds; NaN entries are incomplete messages. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = new Float64Array(samples.length);
  let incomplete = 0;
  let sum = 0;
  let finite = 0;
  for (let i = 0; i < samples.length; i++) {
    const value = samples[i] as number;
    if (Number.isNaN(value)) {
      incomplete++;
      sorted[i] = Number.POSITIVE_INFINITY;
    } else {
      sorted[i] = value;
      sum += value;
      finite++;
    }
  }
  sorted.sort();
  return {
    count: samples.length,
    incomplete,
    p50: rank(sorted, 0.5),
    p90: rank(sorted, 0.9),
    p99: rank(sorted, 0.99),
    p999: rank(sorted, 0.999),
    max: sorted.length === 0 ? Number.NaN : (sorted[sorted.length - 1] as number),
    mean: finite === 0 ? Number.NaN : sum / finite,
  };
}
