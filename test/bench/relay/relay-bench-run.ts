/**
 * The relay benchmark's orchestrator: starts the real relay (relay/dist/bin/sealpost-relay.js,
 * temp data folder, ephemeral port, lifted rate limits), the bare baseline server and the load
 * generator, each in its own process, then runs the phases — each against freshly started
 * servers — hitting the relay and its baseline in turn with the same generator. Returns the raw results; relay-figures.ts turns them into
 * figures. Nothing here times anything itself except through the generator and /proc.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '@sealpost/relay';
import type { Endpoint } from './bench-peer.js';
import { BenchServers } from './bench-servers.js';
import type { BundleFetchResult } from './bundle-fetches.js';
import type { ClosedLoopResult } from './closed-loop-throughput.js';
import { measureFsync } from './fsync-floor.js';
import { GeneratorClient } from './generator-client.js';
import type { SetupResult } from './generator-protocol.js';
import type { HoldResult } from './held-connections.js';
import type { LatencySummary } from './latency-stats.js';
import type { OfflineDrainResult } from './offline-drain.js';
import type { OpenLoopResult } from './open-loop-latency.js';
import { sleep } from './pair-traffic.js';
import { openFileLimit, residentBytes } from './process-stats.js';
import { FULL_SIZES, PREKEYS_PER_UPLOAD, SMOKE_SIZES, relayBenchConfig } from './relay-bench-config.js';
import type { RelayBenchSizes } from './relay-bench-config.js';
import { withRelayMetrics } from './relay-metrics-probe.js';
import type { RelayRunMetrics } from './relay-metrics-probe.js';
import type { ServerChild } from './server-child.js';

export const PHASES = ['connections', 'throughput', 'latency', 'bundles', 'drain'] as const;
export type Phase = (typeof PHASES)[number];

export interface RelayBenchOptions {
  readonly smoke: boolean;
  /** Phases to run (default all); latency needs throughput's maximum, so it implies it. */
  readonly phases?: readonly Phase[];
  /** Write a V8 CPU profile of the relay process into this folder (node --cpu-prof). */
  readonly profileDir?: string;
  /**
   * Open-loop rate for the loaded latency run instead of half the measured maximum (a developer
   * knob for profiling one rate): the throughput phase is then not implied.
   */
  readonly latencyRate?: number;
  readonly log: (line: string) => void;
}

export interface ConnectionRound {
  readonly rssBefore: number;
  readonly rssHeld: number;
  readonly initial: HoldResult;
  /** The same connections again, all at once after every one was cut. */
  readonly storm: HoldResult;
  readonly bytesPerConnection: number;
}

export interface RelayBenchRaw {
  readonly sizes: RelayBenchSizes;
  readonly notes: string[];
  readonly fsync: LatencySummary;
  readonly setup: Omit<SetupResult, 'bundleBody'> & { readonly bundleBodyBytes: number };
  connections?: { readonly relay: ConnectionRound; readonly bare: ConnectionRound };
  throughput?: { readonly relay: ClosedLoopResult[]; readonly bare: ClosedLoopResult[] };
  unloaded?: { readonly relay: OpenLoopResult; readonly bare: OpenLoopResult };
  loaded?: { readonly relay: OpenLoopResult; readonly bare: OpenLoopResult };
  quarter?: OpenLoopResult;
  bundles?: { readonly relay: BundleFetchResult; readonly bare: BundleFetchResult };
  drain?: OfflineDrainResult;
  /** The relay's own metrics around each relay run (commits, batch sizes, event-loop delay), by run. */
  readonly relayMetrics: Record<string, RelayRunMetrics>;
  /** The loaded latency rate came from --latency-rate, not from the measured maximum. */
  readonly latencyRateFixed?: boolean;
  /** CPU profile files of the relay, by the phase each process served (--profile). */
  profiles?: Record<string, string[]>;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const RELAY_BIN = join(HERE, '..', '..', '..', '..', 'relay', 'dist', 'bin', 'sealpost-relay.js');
const MINUTE = 60_000;
/** Descriptors a server needs beyond its connections (database, WAL, listeners, stdio, ...). */
const FD_HEADROOM = 1_024;

function endpointOf(kind: Endpoint['kind'], server: ServerChild): Endpoint {
  return { kind, httpUrl: server.httpUrl, wsUrl: server.wsUrl };
}

/** Scales the connection count to the open-file limit, which each process inherits. */
function fitConnections(sizes: RelayBenchSizes, notes: string[]): RelayBenchSizes {
  const limit = openFileLimit();
  if (!Number.isFinite(limit) || limit >= sizes.connections + FD_HEADROOM) return sizes;
  const fitted = Math.max(sizes.devicesPerAccount, Math.floor((limit - FD_HEADROOM) / sizes.devicesPerAccount) * sizes.devicesPerAccount);
  notes.push(`ulimit -n is ${limit}: held connections scaled down from ${sizes.connections} to ${fitted} (raise it with \`ulimit -n ${sizes.connections + FD_HEADROOM}\` for the full figure).`);
  return { ...sizes, connections: fitted };
}

export function best(results: readonly ClosedLoopResult[]): ClosedLoopResult | undefined {
  return [...results].sort((a, b) => b.messagesPerSecond - a.messagesPerSecond)[0];
}

export function bestThroughput(results: readonly ClosedLoopResult[] | undefined): number {
  return best(results ?? [])?.messagesPerSecond ?? Number.NaN;
}

async function connectionRound(gen: GeneratorClient, endpoint: Endpoint, pid: number, sizes: RelayBenchSizes): Promise<ConnectionRound> {
  const hold = { op: 'hold', endpoint, count: sizes.connections, concurrency: sizes.connectConcurrency } as const;
  const rssBefore = residentBytes(pid);
  const initial = await gen.request(hold, 10 * MINUTE);
  await sleep(sizes.settleMs);
  const rssHeld = residentBytes(pid);
  await gen.request({ op: 'release' }, 5 * MINUTE);
  // Let the server notice every close before the storm starts.
  await sleep(sizes.settleMs);
  const storm = await gen.request(hold, 10 * MINUTE);
  await gen.request({ op: 'release' }, 5 * MINUTE);
  await sleep(sizes.settleMs);
  return { rssBefore, rssHeld, initial, storm, bytesPerConnection: (rssHeld - rssBefore) / Math.max(1, initial.opened) };
}

export async function runRelayBench(options: RelayBenchOptions): Promise<RelayBenchRaw> {
  const notes: string[] = [];
  const sizes = fitConnections(options.smoke ? SMOKE_SIZES : FULL_SIZES, notes);
  const phases = new Set<Phase>(options.phases ?? PHASES);
  if (phases.has('latency') && options.latencyRate === undefined) phases.add('throughput');
  const log = options.log;
  const dir = mkdtempSync(join(tmpdir(), 'sealpost-relay-bench-'));
  const servers = new BenchServers({
    relayBin: RELAY_BIN,
    bareScript: join(HERE, 'bare-server-main.js'),
    configFile: join(dir, 'relay-bench-config.json'),
    dataDir: join(dir, 'data'),
    ...(options.profileDir === undefined ? {} : { profileDir: options.profileDir }),
  });
  let gen: GeneratorClient | undefined;
  try {
    const sessionKeyFile = join(dir, 'session.key');
    writeFileSync(sessionKeyFile, randomBytes(32).toString('hex'));
    writeFileSync(join(dir, 'relay-bench-config.json'), JSON.stringify(relayBenchConfig(Object.keys(defaultConfig().rateLimits), sizes, sessionKeyFile), null, 2));

    log(`fsync floor: ${sizes.fsyncSamples} x (4 KiB write + fdatasync) in ${dir}`);
    const fsync = measureFsync(dir, sizes.fsyncSamples);

    const setupRelay = await servers.restartRelay('setup');
    gen = GeneratorClient.start(join(HERE, 'load-generator.js'));
    log(`relay pid ${setupRelay.pid} on ${setupRelay.httpUrl}; load generator pid ${gen.pid}`);
    const pairs = Math.max(sizes.latencyPairs, sizes.unloadedPairs, ...sizes.throughputShapes.map((s) => s.pairs));
    log(`setup: accounts and sessions for ${[...phases].join(', ')}`);
    const { bundleBody, ...setup } = await gen.request(
      {
        op: 'setup',
        relay: endpointOf('relay', setupRelay),
        pairs,
        // Phases left out get no accounts; one small target always exists for the sample body.
        connections: phases.has('connections') ? sizes.connections : 0,
        devicesPerAccount: sizes.devicesPerAccount,
        drainSenders: phases.has('drain') ? sizes.drainSenders : 0,
        bundleTargets: phases.has('bundles') ? sizes.bundleTargets : 1,
        bundleKeys: phases.has('bundles') ? sizes.bundleKeys : 2,
        prekeysPerUpload: PREKEYS_PER_UPLOAD,
        concurrency: sizes.setupConcurrency,
      },
      30 * MINUTE,
    );
    const bodyFile = join(dir, 'bundle-body.json');
    writeFileSync(bodyFile, bundleBody);
    const raw: RelayBenchRaw = {
      sizes,
      notes,
      fsync,
      setup: { ...setup, bundleBodyBytes: Buffer.byteLength(bundleBody) },
      relayMetrics: {},
      ...(options.latencyRate === undefined ? {} : { latencyRateFixed: true }),
    };
    const client = gen;
    /** Runs a scenario; against the relay, also records the relay's metrics around it. */
    const observed = async <T>(endpoint: Endpoint, label: string, scenario: () => Promise<T>): Promise<T> => {
      if (endpoint.kind !== 'relay') return scenario();
      const { result, metrics } = await withRelayMetrics(endpoint.httpUrl, scenario);
      raw.relayMetrics[label] = metrics;
      return result;
    };

    /** Fresh relay and baseline processes for each phase. */
    const fresh = async (phase: Phase) => {
      const relayChild = await servers.restartRelay(phase);
      const bareChild = await servers.restartBare(bodyFile);
      return { relay: endpointOf('relay', relayChild), relayPid: relayChild.pid, bare: endpointOf('bare', bareChild), barePid: bareChild.pid };
    };

    if (phases.has('connections')) {
      const { relay, relayPid, bare, barePid } = await fresh('connections');
      log(`connections: hold ${sizes.connections} idle connections, then a reconnect storm (${sizes.connectConcurrency} handshakes in flight)`);
      const relayRound = await observed(relay, 'connections (hold, release, storm)', () => connectionRound(client, relay, relayPid, sizes));
      const bareRound = await connectionRound(client, bare, barePid, sizes);
      raw.connections = { relay: relayRound, bare: bareRound };
    }

    if (phases.has('throughput')) {
      const { relay, bare } = await fresh('throughput');
      const relayRuns: ClosedLoopResult[] = [];
      const bareRuns: ClosedLoopResult[] = [];
      for (const shape of sizes.throughputShapes) {
        for (const [endpoint, into] of [[relay, relayRuns], [bare, bareRuns]] as const) {
          log(`throughput: ${endpoint.kind}, ${shape.pairs} pairs x ${shape.window} outstanding`);
          const run = { op: 'throughput', endpoint, ...shape, warmupMs: sizes.throughputWarmupMs, durationMs: sizes.throughputMs, maxMessages: sizes.maxMessagesPerRun } as const;
          into.push(await observed(endpoint, `throughput ${shape.pairs}x${shape.window}`, () => client.request(run, 5 * MINUTE)));
        }
      }
      raw.throughput = { relay: relayRuns, bare: bareRuns };
    }

    if (phases.has('latency')) {
      const { relay, bare } = await fresh('latency');
      const openLoop = async (endpoint: Endpoint, rate: number, pairCount: number) => {
        log(`latency: ${endpoint.kind} at ${Math.round(rate)} msg/s over ${pairCount} pairs`);
        const run = { op: 'open-loop', endpoint, pairs: pairCount, rate, warmupMs: sizes.latencyWarmupMs, durationMs: sizes.latencyMs, drainTimeoutMs: 15_000 } as const;
        return observed(endpoint, `latency ${Math.round(rate)} msg/s`, () => client.request(run, 5 * MINUTE));
      };
      raw.unloaded = {
        relay: await openLoop(relay, sizes.unloadedRate, sizes.unloadedPairs),
        bare: await openLoop(bare, sizes.unloadedRate, sizes.unloadedPairs),
      };
      const half = options.latencyRate ?? Math.max(1, bestThroughput(raw.throughput?.relay) / 2);
      raw.loaded = {
        relay: await openLoop(relay, half, sizes.latencyPairs),
        bare: await openLoop(bare, half, sizes.latencyPairs),
      };
      // Where the knee is: the same traffic at half that rate (relay only, informational).
      raw.quarter = await openLoop(relay, half / 2, sizes.latencyPairs);
    }

    if (phases.has('bundles')) {
      const { relay, bare } = await fresh('bundles');
      // The relay's budget is its one-time keys (the sample answer for the baseline already took
      // one); the baseline has no pool, so only time bounds it.
      const budget = { relay: sizes.bundleTargets * sizes.bundleKeys - 1, bare: 10_000_000 };
      const fetches = (endpoint: Endpoint) => {
        log(`bundles: ${endpoint.kind}, ${sizes.bundleConcurrency} keep-alive connections`);
        const request = { op: 'bundles', endpoint, concurrency: sizes.bundleConcurrency, warmupMs: sizes.bundleWarmupMs, durationMs: sizes.bundleMs, maxRequests: budget[endpoint.kind] } as const;
        return observed(endpoint, 'bundles', () => client.request(request, 5 * MINUTE));
      };
      raw.bundles = { relay: await fetches(relay), bare: await fetches(bare) };
    }

    if (phases.has('drain')) {
      const { relay } = await fresh('drain');
      log(`offline drain: queue ${sizes.drainCount} messages from ${sizes.drainSenders} senders, then connect the recipient`);
      const run = { op: 'offline-drain', endpoint: relay, count: sizes.drainCount, window: sizes.drainWindow, fillTimeoutMs: 20 * MINUTE, drainTimeoutMs: 10 * MINUTE } as const;
      raw.drain = await observed(relay, 'offline drain (fill and drain)', () => client.request(run, 35 * MINUTE));
    }

    await gen.close();
    const code = await servers.stopRelay();
    if (code !== 0) notes.push(`the relay exited with code ${code} at the end of the run.`);
    await servers.stopAll();
    if (options.profileDir !== undefined) raw.profiles = servers.profiles;
    return raw;
  } finally {
    // Bounded cleanup even when a phase threw: every child is stopped, the temp folder removed.
    await gen?.close();
    await servers.stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}
