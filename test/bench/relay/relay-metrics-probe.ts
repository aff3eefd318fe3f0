/**
 * Reads the relay's own Prometheus metrics (GET /metrics, docs/api.md "Operations") around a
 * scenario, to explain its figures without touching relay code: how many group commits ran,
 * their mean batch size and duration and the bucket bound of their p99 (commit_* histograms,
 * diffed between two scrapes), the relay's CPU time, and the event-loop delay seen during the run (prom-client's
 * eventloop_lag gauges, which it resets at every scrape — so the first scrape starts the window).
 */

const PREFIX = 'sealpost_relay_';

export interface RelayRunMetrics {
  readonly commits: number;
  readonly meanBatch: number;
  readonly meanCommitMs: number;
  /** Checkpoints that held writes back, and the longest bucket bound reached (ms). */
  readonly checkpointPauses: number;
  readonly checkpointPauseMaxBoundMs: number;
  /** Upper bound of the histogram bucket holding the 99th-percentile commit (ms). */
  readonly commitP99BoundMs: number;
  readonly loopDelayP99Ms: number;
  readonly loopDelayMaxMs: number;
  /** CPU time the relay process used during the scenario (prom-client's process_cpu_seconds_total, all threads). */
  readonly cpuSeconds: number;
  /** Wall time of the scenario, to turn cpuSeconds into a share of one core. */
  readonly wallSeconds: number;
}

type Samples = Map<string, number>;

async function scrape(httpUrl: string): Promise<Samples> {
  const response = await fetch(`${httpUrl}/metrics`);
  const text = await response.text();
  const samples: Samples = new Map();
  if (response.status !== 200) return samples;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

const value = (samples: Samples, key: string) => samples.get(PREFIX + key) ?? Number.NaN;

function quantileBound(before: Samples, after: Samples, histogram: string, quantile: number): number {
  const buckets: Array<{ le: number; count: number }> = [];
  for (const [key, count] of after) {
    if (!key.startsWith(`${PREFIX}${histogram}_bucket{`)) continue;
    const match = /\{le="([^"]+)"\}$/.exec(key);
    if (match === null) continue;
    buckets.push({ le: match[1] === '+Inf' ? Number.POSITIVE_INFINITY : Number(match[1]), count: count - (before.get(key) ?? 0) });
  }
  buckets.sort((a, b) => a.le - b.le);
  const total = buckets[buckets.length - 1]?.count ?? 0;
  const hit = buckets.find((b) => b.count >= quantile * total);
  return total === 0 || hit === undefined ? Number.NaN : hit.le * 1000;
}

/** Runs `scenario` between two scrapes of the relay's metrics. */
export async function withRelayMetrics<T>(httpUrl: string, scenario: () => Promise<T>): Promise<{ result: T; metrics: RelayRunMetrics }> {
  const before = await scrape(httpUrl);
  const started = performance.now();
  const result = await scenario();
  const wallSeconds = (performance.now() - started) / 1000;
  const after = await scrape(httpUrl);
  const diff = (key: string) => value(after, key) - value(before, key);
  const commits = diff('commit_duration_seconds_count');
  return {
    result,
    metrics: {
      commits,
      meanBatch: diff('commit_batch_size_sum') / commits,
      meanCommitMs: (diff('commit_duration_seconds_sum') * 1000) / commits,
      commitP99BoundMs: quantileBound(before, after, 'commit_duration_seconds', 0.99),
      checkpointPauses: diff('wal_checkpoint_pause_seconds_count'),
      checkpointPauseMaxBoundMs: quantileBound(before, after, 'wal_checkpoint_pause_seconds', 1),
      loopDelayP99Ms: value(after, 'nodejs_eventloop_lag_p99_seconds') * 1000,
      loopDelayMaxMs: value(after, 'nodejs_eventloop_lag_max_seconds') * 1000,
      cpuSeconds: diff('process_cpu_seconds_total'),
      wallSeconds,
    },
  };
}
