/**
 * Maximum online 1:1 throughput: every pair keeps `window` messages outstanding, and a message
 * counts once its sender holds both the durable `sent` ack and the `delivered` receipt (the
 * recipient acked it). Completions are counted only inside the measuring window, after a warm-up.
 */
import type { Endpoint, PeerSpec } from './bench-peer.js';
import { PairTraffic, sleep, waitUntil } from './pair-traffic.js';

export interface ClosedLoopOptions {
  readonly run: number;
  readonly window: number;
  readonly warmupMs: number;
  readonly durationMs: number;
  /** Hard cap on messages issued, so the loop is bounded whatever the speed. */
  readonly maxMessages: number;
}

export interface ClosedLoopResult {
  readonly pairs: number;
  readonly window: number;
  readonly messagesPerSecond: number;
  readonly completedInWindow: number;
  readonly issued: number;
  readonly measuredMs: number;
  /** Messages still outstanding when the run gave up waiting for them. */
  readonly unfinished: number;
  readonly errors: number;
  readonly firstError?: string;
}

const SENT = 1;
const RECEIPT = 2;

export async function runClosedLoop(endpoint: Endpoint, specs: readonly (readonly [PeerSpec, PeerSpec])[], options: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const { window, maxMessages } = options;
  const flags = new Uint8Array(maxMessages);
  const pairOf = new Int32Array(maxMessages);
  const outstanding = new Int32Array(specs.length);
  let issued = 0;
  let issuing = false;
  let inFlight = 0;
  let completed = 0;
  let errors = 0;
  let firstError: string | undefined;
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;

  const fill = (pair: number) => {
    while (issuing && (outstanding[pair] as number) < window && issued < maxMessages) {
      const index = issued++;
      pairOf[index] = pair;
      outstanding[pair] = (outstanding[pair] as number) + 1;
      inFlight++;
      traffic.send(pair, index);
    }
  };
  const mark = (index: number, bit: number, now: number) => {
    if (index >= maxMessages || ((flags[index] as number) & bit) !== 0) return;
    flags[index] = (flags[index] as number) | bit;
    if (flags[index] !== (SENT | RECEIPT)) return;
    const pair = pairOf[index] as number;
    outstanding[pair] = (outstanding[pair] as number) - 1;
    inFlight--;
    if (now >= windowStart && now < windowEnd) completed++;
    fill(pair);
  };

  const traffic = await PairTraffic.open(endpoint, specs, options.run, {
    sent: (index, now) => mark(index, SENT, now),
    delivered: () => {},
    receipt: (index, now) => mark(index, RECEIPT, now),
    error: (frame) => {
      errors++;
      firstError ??= `${frame.code}: ${frame.message}`;
    },
  });
  try {
    const start = performance.now();
    windowStart = start + options.warmupMs;
    windowEnd = windowStart + options.durationMs;
    issuing = true;
    for (let pair = 0; pair < specs.length; pair++) fill(pair);
    await sleep(options.warmupMs + options.durationMs);
    issuing = false;
    await waitUntil(() => inFlight === 0, 15_000);
    return {
      pairs: specs.length,
      window,
      messagesPerSecond: (completed * 1000) / options.durationMs,
      completedInWindow: completed,
      issued,
      measuredMs: options.durationMs,
      unfinished: inFlight,
      errors,
      ...(firstError === undefined ? {} : { firstError }),
    };
  } finally {
    await traffic.close();
  }
}
