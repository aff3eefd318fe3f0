/**
 * Latency at a fixed offered rate, free of coordinated omission: message i is due at
 * t0 + i / rate whatever happened to earlier ones, and every latency is measured from that
 * *intended* send time, so a stall in the server (or in the generator) shows up in the tail
 * instead of silently lowering the rate. Messages are spread round-robin over the pairs.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Endpoint, PeerSpec } from './bench-peer.js';
import { summarize } from './latency-stats.js';
import type { LatencySummary } from './latency-stats.js';
import { PairTraffic, waitUntil } from './pair-traffic.js';

export interface OpenLoopOptions {
  readonly run: number;
  /** Offered messages per second, over all pairs together. */
  readonly rate: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** How long to wait for stragglers after the last send; later ones count as incomplete. */
  readonly drainTimeoutMs: number;
}

export interface OpenLoopResult {
  readonly rate: number;
  readonly pairs: number;
  readonly sent: number;
  /** Messages due after the warm-up: the ones the summaries cover. */
  readonly measured: number;
  /** Intended send → recipient receives the `message` frame. */
  readonly delivery: LatencySummary;
  /** Intended send → sender receives the durable `sent` ack. */
  readonly sentAck: LatencySummary;
  /** Intended send → sender receives the `delivered` receipt. */
  readonly receipt: LatencySummary;
  /** The generator's own event-loop delay during the run (ms): its share of any tail. */
  readonly generatorLoopDelay: { readonly p99: number; readonly max: number };
  readonly errors: number;
  readonly firstError?: string;
}

export async function runOpenLoop(endpoint: Endpoint, specs: readonly (readonly [PeerSpec, PeerSpec])[], options: OpenLoopOptions): Promise<OpenLoopResult> {
  const total = Math.max(1, Math.ceil((options.rate * (options.warmupMs + options.durationMs)) / 1000));
  const firstMeasured = Math.min(total - 1, Math.ceil((options.rate * options.warmupMs) / 1000));
  const interval = 1000 / options.rate;
  const sentAck = new Float64Array(total).fill(Number.NaN);
  const delivery = new Float64Array(total).fill(Number.NaN);
  const receipt = new Float64Array(total).fill(Number.NaN);
  let start = 0;
  let acks = 0;
  let receipts = 0;
  let errors = 0;
  let firstError: string | undefined;
  const due = (index: number) => start + index * interval;
  const record = (into: Float64Array, index: number, now: number): boolean => {
    if (index >= total || !Number.isNaN(into[index] as number)) return false;
    into[index] = now - due(index);
    return true;
  };

  const traffic = await PairTraffic.open(endpoint, specs, options.run, {
    sent: (index, now) => {
      if (record(sentAck, index, now)) acks++;
    },
    delivered: (index, now) => void record(delivery, index, now),
    receipt: (index, now) => {
      if (record(receipt, index, now)) receipts++;
    },
    error: (frame) => {
      errors++;
      firstError ??= `${frame.code}: ${frame.message}`;
    },
  });
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  try {
    let next = 0;
    loopDelay.enable();
    start = performance.now();
    await new Promise<void>((resolve) => {
      // A 1 ms tick sends everything that has come due; lateness of the tick itself is charged
      // to the latency, as it would be for a real client whose send waited.
      const ticker = setInterval(() => {
        const now = performance.now();
        while (next < total && due(next) <= now) {
          traffic.send(next % traffic.pairs.length, next);
          next++;
        }
        if (next >= total) {
          clearInterval(ticker);
          resolve();
        }
      }, 1);
    });
    await waitUntil(() => acks >= total && receipts >= total, options.drainTimeoutMs);
    loopDelay.disable();
    const measured = (samples: Float64Array) => summarize(samples.subarray(firstMeasured));
    return {
      rate: options.rate,
      pairs: specs.length,
      sent: total,
      measured: total - firstMeasured,
      delivery: measured(delivery),
      sentAck: measured(sentAck),
      receipt: measured(receipt),
      generatorLoopDelay: { p99: loopDelay.percentile(99) / 1e6, max: loopDelay.max / 1e6 },
      errors,
      ...(firstError === undefined ? {} : { firstError }),
    };
  } finally {
    loopDelay.disable();
    await traffic.close();
  }
}
