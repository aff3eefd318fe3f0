/**
 * The IPC contract between the relay benchmark's orchestrator (relay-bench-run.ts) and its
 * load-generator child process (load-generator.ts): one request at a time, answered with the
 * same id. Only plain JSON crosses the boundary.
 */
import type { BundleFetchOptions, BundleFetchResult } from './bundle-fetches.js';
import type { ClosedLoopResult } from './closed-loop-throughput.js';
import type { HoldResult } from './held-connections.js';
import type { OfflineDrainResult } from './offline-drain.js';
import type { OpenLoopResult } from './open-loop-latency.js';
import type { Endpoint } from './bench-peer.js';

export interface SetupRequest {
  readonly op: 'setup';
  readonly relay: Endpoint;
  /** Single-device account pairs for the messaging scenarios. */
  readonly pairs: number;
  /** Devices for the idle-connection and reconnect-storm scenarios. */
  readonly connections: number;
  readonly devicesPerAccount: number;
  /** Sending accounts for the offline drain (one more account receives). */
  readonly drainSenders: number;
  readonly bundleTargets: number;
  readonly bundleKeys: number;
  readonly prekeysPerUpload: number;
  readonly concurrency: number;
}

export interface SetupResult {
  readonly logins: number;
  readonly loginMs: number;
  readonly setupMs: number;
  /** A real bundle answer body, for the node:http baseline to serve. */
  readonly bundleBody: string;
}

export type GeneratorRequest =
  | SetupRequest
  | { readonly op: 'throughput'; readonly endpoint: Endpoint; readonly pairs: number; readonly window: number; readonly warmupMs: number; readonly durationMs: number; readonly maxMessages: number }
  | { readonly op: 'open-loop'; readonly endpoint: Endpoint; readonly pairs: number; readonly rate: number; readonly warmupMs: number; readonly durationMs: number; readonly drainTimeoutMs: number }
  | { readonly op: 'offline-drain'; readonly endpoint: Endpoint; readonly count: number; readonly window: number; readonly fillTimeoutMs: number; readonly drainTimeoutMs: number }
  | { readonly op: 'hold'; readonly endpoint: Endpoint; readonly count: number; readonly concurrency: number }
  | { readonly op: 'release' }
  | ({ readonly op: 'bundles'; readonly endpoint: Endpoint } & BundleFetchOptions);

export interface GeneratorResults {
  setup: SetupResult;
  throughput: ClosedLoopResult;
  'open-loop': OpenLoopResult;
  'offline-drain': OfflineDrainResult;
  hold: HoldResult;
  release: { readonly released: number };
  bundles: BundleFetchResult;
}

export type GeneratorOp = GeneratorRequest['op'];

export interface GeneratorEnvelope {
  readonly id: number;
  readonly request: GeneratorRequest;
}

export type GeneratorReply = { readonly id: number; readonly ok: true; readonly result: unknown } | { readonly id: number; readonly ok: false; readonly error: string };
