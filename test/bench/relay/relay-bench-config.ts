/**
 * Sizes of the relay benchmark (full and smoke) and the relay configuration it runs with: the
 * defaults, except that every rate limit is lifted (the bench is one client address and a few
 * accounts doing what thousands of users would), queues are deep enough for the offline drain,
 * accounts may list the 100 devices a signed device list holds, prekey pools are as large as
 * the bundle scenario needs, and sessions outlive the run and survive restarts. Everything else — durability
 * (every `sent` waits for an fdatasync of the WAL), delivery window, logging at info, metrics — stays at its default.
 */

export interface ThroughputShape {
  readonly pairs: number;
  /** Messages each pair keeps outstanding. */
  readonly window: number;
}

export interface RelayBenchSizes {
  readonly setupConcurrency: number;
  readonly fsyncSamples: number;
  /** Shapes tried for maximum throughput; each server's best is its figure. */
  readonly throughputShapes: readonly ThroughputShape[];
  readonly throughputWarmupMs: number;
  readonly throughputMs: number;
  readonly maxMessagesPerRun: number;
  readonly latencyPairs: number;
  readonly latencyWarmupMs: number;
  readonly latencyMs: number;
  readonly unloadedRate: number;
  readonly unloadedPairs: number;
  readonly drainCount: number;
  readonly drainSenders: number;
  readonly drainWindow: number;
  readonly connections: number;
  readonly devicesPerAccount: number;
  readonly connectConcurrency: number;
  readonly settleMs: number;
  readonly bundleTargets: number;
  readonly bundleKeys: number;
  readonly bundleConcurrency: number;
  readonly bundleWarmupMs: number;
  readonly bundleMs: number;
}

export const FULL_SIZES: RelayBenchSizes = {
  setupConcurrency: 16,
  fsyncSamples: 200,
  throughputShapes: [
    { pairs: 16, window: 8 },
    { pairs: 64, window: 16 },
    { pairs: 128, window: 32 },
  ],
  throughputWarmupMs: 2_000,
  throughputMs: 8_000,
  maxMessagesPerRun: 2_000_000,
  latencyPairs: 64,
  latencyWarmupMs: 2_000,
  latencyMs: 10_000,
  unloadedRate: 50,
  unloadedPairs: 4,
  drainCount: 100_000,
  drainSenders: 4,
  drainWindow: 128,
  connections: 10_000,
  devicesPerAccount: 100,
  connectConcurrency: 500,
  settleMs: 3_000,
  bundleTargets: 16,
  bundleKeys: 500,
  bundleConcurrency: 32,
  bundleWarmupMs: 1_000,
  bundleMs: 5_000,
};

/** Tiny sizes: the whole bench in a few seconds, figures meaningless, every code path run. */
export const SMOKE_SIZES: RelayBenchSizes = {
  setupConcurrency: 8,
  fsyncSamples: 10,
  throughputShapes: [{ pairs: 2, window: 4 }],
  throughputWarmupMs: 200,
  throughputMs: 800,
  maxMessagesPerRun: 100_000,
  latencyPairs: 2,
  latencyWarmupMs: 200,
  latencyMs: 800,
  unloadedRate: 20,
  unloadedPairs: 2,
  drainCount: 200,
  drainSenders: 2,
  drainWindow: 32,
  connections: 40,
  devicesPerAccount: 10,
  connectConcurrency: 20,
  settleMs: 300,
  bundleTargets: 2,
  bundleKeys: 40,
  bundleConcurrency: 4,
  bundleWarmupMs: 200,
  bundleMs: 800,
};

/** Prekey uploads are split into chunks of this many keys of each kind (250 signed ML-KEM keys
 * are about 560 kB of JSON, under the default server.bodyLimitBytes of 1 MiB). */
export const PREKEYS_PER_UPLOAD = 250;

/** The relay config file contents; `rateLimitNames` come from the relay's own defaults. */
export function relayBenchConfig(rateLimitNames: readonly string[], sizes: RelayBenchSizes, sessionKeyFile: string): Record<string, unknown> {
  const lifted = { limit: 1_000_000_000, windowMs: 1_000 };
  return {
    server: { host: '127.0.0.1', shutdownGraceMs: 5_000 },
    // A fixed session key keeps setup's sessions valid when the relay restarts between phases.
    auth: { sessionTtlMs: 6 * 3_600_000, maxPendingChallenges: 1_000_000, sessionKeyFile },
    limits: {
      maxQueueMessages: Math.max(1_000_000, sizes.drainCount * 2),
      maxQueueBytes: 4 * 1024 * 1024 * 1024,
      maxDevicesPerAccount: Math.max(10, sizes.devicesPerAccount),
      maxPrekeysPerUpload: PREKEYS_PER_UPLOAD,
      maxPrekeyPool: Math.max(500, sizes.bundleKeys),
    },
    rateLimits: Object.fromEntries(rateLimitNames.map((name) => [name, lifted])),
  };
}
