/**
 * Turns the relay benchmark's raw results into the figures and goals of issue 7 (relay part):
 * throughput against the bare ws forwarder, latency at half the relay's own maximum, unloaded
 * latency, offline drain against online throughput, memory per idle connection and reconnect
 * rate against bare ws, and bundle fetches against bare node:http. Missing phases give no figures.
 */
import { compared, info, withGoal } from '../bench-report.js';
import type { BenchFigure, BenchReport } from '../bench-report.js';
import { best, bestThroughput } from './relay-bench-run.js';
import type { RelayBenchRaw } from './relay-bench-run.js';
import type { RelayRunMetrics } from './relay-metrics-probe.js';

const BARE_WS = 'bare ws forwarder';
const BARE_HTTP = 'bare node:http';

const atLeast = (min: number, text = `≥ ${min}x`) => ({ text, check: (_value: number, ratio: number) => ratio >= min });
const atMost = (max: number, text = `≤ ${max}x`) => ({ text, check: (_value: number, ratio: number) => ratio <= max });
const msAtMost = (max: number) => ({ text: `≤ ${max} ms`, check: (value: number) => value <= max });

function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** The relay's CPU time over a scenario as a share of one core, and per message. */
function cpuShare(metrics: RelayRunMetrics, messages?: number): string {
  const share = `${((100 * metrics.cpuSeconds) / metrics.wallSeconds).toFixed(0)}% of one core`;
  return messages === undefined || messages === 0 ? share : `${share}, ${((1e6 * metrics.cpuSeconds) / messages).toFixed(0)} µs per message`;
}

function messagingFigures(raw: RelayBenchRaw): BenchFigure[] {
  const figures: BenchFigure[] = [];
  const relayMax = bestThroughput(raw.throughput?.relay);
  if (raw.throughput !== undefined) {
    const bareMax = bestThroughput(raw.throughput.bare);
    const ratio = relayMax / bareMax;
    figures.push(
      compared('online 1:1 throughput, durable `sent` + `delivered` acks', relayMax, 'msg/s', { name: BARE_WS, value: bareMax }, atLeast(0.2, '≥ 0.2x bare (stretch 0.4x)'), ratio >= 0.4 ? 'stretch goal met' : 'stretch goal (0.4x) not met'),
    );
    const top = best(raw.throughput.relay);
    const metrics = top === undefined ? undefined : raw.relayMetrics[`throughput ${top.pairs}x${top.window}`];
    if (top !== undefined && metrics !== undefined) {
      figures.push(info(`relay CPU at maximum throughput (${top.pairs} pairs x ${top.window} outstanding)`, (1e6 * metrics.cpuSeconds) / top.issued, 'µs/msg', `${cpuShare(metrics)}; mean group-commit batch ${metrics.meanBatch.toFixed(1)}`));
    }
  }
  if (raw.loaded !== undefined) {
    const { relay, bare } = raw.loaded;
    const at = `at ${count(Math.round(relay.rate))} msg/s (${raw.latencyRateFixed === true ? 'fixed by --latency-rate' : '50% of relay max'})`;
    figures.push(
      compared(`delivery latency p50 ${at}`, relay.delivery.p50, 'ms', { name: `${BARE_WS}, same rate`, value: bare.delivery.p50 }),
      withGoal(`delivery latency p99 ${at}`, relay.delivery.p99, 'ms', msAtMost(20), `bare at the same rate: ${bare.delivery.p99.toFixed(2)} ms`),
      withGoal(`delivery latency p99.9 ${at}`, relay.delivery.p999, 'ms', msAtMost(50), `bare at the same rate: ${bare.delivery.p999.toFixed(2)} ms`),
      info(`durable \`sent\` ack latency p99 ${at}`, relay.sentAck.p99, 'ms'),
      info(`\`delivered\` receipt latency p99 ${at}`, relay.receipt.p99, 'ms'),
    );
    const metrics = raw.relayMetrics[`latency ${Math.round(relay.rate)} msg/s`];
    if (metrics !== undefined) {
      const commits = `${count(metrics.commits)} group commits, mean batch ${metrics.meanBatch.toFixed(1)}, mean ${metrics.meanCommitMs.toFixed(2)} ms, p99 ≤ ${metrics.commitP99BoundMs} ms; ${metrics.checkpointPauses} checkpoint pauses, longest ≤ ${metrics.checkpointPauseMaxBoundMs} ms; relay CPU ${cpuShare(metrics, relay.sent)}`;
      figures.push(info(`relay event-loop delay, max ${at}`, metrics.loopDelayMaxMs, 'ms', `p99 ${metrics.loopDelayP99Ms.toFixed(1)} ms; ${commits}`));
    }
    figures.push(info(`load generator event-loop delay, max ${at}`, relay.generatorLoopDelay.max, 'ms', `p99 ${relay.generatorLoopDelay.p99.toFixed(1)} ms: the generator's own share of the tail`));
    const incomplete = relay.delivery.incomplete + relay.receipt.incomplete;
    if (incomplete > 0) raw.notes.push(`latency at 50%: ${incomplete} messages did not complete in time and count as infinitely late.`);
  }
  if (raw.quarter !== undefined) {
    const q = raw.quarter;
    const at = `at ${count(Math.round(q.rate))} msg/s (${raw.latencyRateFixed === true ? 'half the --latency-rate' : '25% of relay max'})`;
    figures.push(info(`delivery latency p99 ${at}`, q.delivery.p99, 'ms', `p50 ${q.delivery.p50.toFixed(2)} ms, p99.9 ${q.delivery.p999.toFixed(2)} ms`));
  }
  if (raw.unloaded !== undefined) {
    const { relay, bare } = raw.unloaded;
    const at = `(${relay.rate} msg/s)`;
    figures.push(
      compared(`unloaded delivery latency p50 ${at}`, relay.delivery.p50, 'ms', { name: BARE_WS, value: bare.delivery.p50 }, atMost(3)),
      compared(`unloaded delivery latency p99 ${at}`, relay.delivery.p99, 'ms', { name: BARE_WS, value: bare.delivery.p99 }),
      info(`unloaded durable \`sent\` ack latency p50 ${at}`, relay.sentAck.p50, 'ms'),
    );
  }
  figures.push(info('disk floor: 4 KiB write + fdatasync, p50', raw.fsync.p50, 'ms', `p99 ${raw.fsync.p99.toFixed(2)} ms; every durable ack waits for at least one`));
  if (raw.drain !== undefined) {
    const drain = raw.drain;
    figures.push(
      compared(`offline drain of ${count(drain.count)} queued messages to a reconnecting device`, drain.drainPerSecond, 'msg/s', { name: 'relay online throughput', value: relayMax }, atLeast(0.5)),
      info(`offline fill: ${count(drain.count)} sends stored for an offline device (${drain.senders} senders)`, drain.fillPerSecond, 'msg/s'),
    );
    if (drain.received < drain.count) raw.notes.push(`offline drain: only ${drain.received} of ${drain.count} messages arrived before the deadline.`);
    if (drain.fillErrors > 0) raw.notes.push(`offline fill: ${drain.fillErrors} sends were refused (${drain.firstError ?? ''}).`);
  }
  return figures;
}

function connectionFigures(raw: RelayBenchRaw): BenchFigure[] {
  if (raw.connections === undefined) return [];
  const { relay, bare } = raw.connections;
  const n = count(relay.initial.opened);
  for (const [kind, round] of [['relay', relay], ['bare ws', bare]] as const) {
    for (const hold of [round.initial, round.storm]) {
      if (hold.failures > 0) raw.notes.push(`${kind}: ${hold.failures} of ${hold.requested} connections failed (${hold.firstError ?? ''}).`);
    }
  }
  return [
    compared(`memory per idle authenticated connection, ${n} held (RSS growth)`, relay.bytesPerConnection / 1024, 'KiB', { name: 'bare ws', value: bare.bytesPerConnection / 1024 }, atMost(2.5)),
    compared(`connect + auth rate, reconnect storm of ${count(relay.storm.opened)}`, relay.storm.connectsPerSecond, 'conn/s', { name: 'bare ws connect rate', value: bare.storm.connectsPerSecond }, atLeast(0.5)),
    compared(`connect + auth rate, first connection of ${n}`, relay.initial.connectsPerSecond, 'conn/s', { name: 'bare ws connect rate', value: bare.initial.connectsPerSecond }),
  ];
}

function httpFigures(raw: RelayBenchRaw): BenchFigure[] {
  const figures: BenchFigure[] = [];
  if (raw.bundles !== undefined) {
    const { relay, bare } = raw.bundles;
    const empty = relay.withoutOneTimeKey > 0 ? `${count(relay.withoutOneTimeKey)} of ${count(relay.ok)} answers found the one-time pool empty` : 'every answer carried one-time keys';
    figures.push(compared('key bundle fetches', relay.perSecond, 'req/s', { name: BARE_HTTP, value: bare.perSecond }, atLeast(0.3), empty));
    if (relay.failed > 0) raw.notes.push(`bundle fetches: ${relay.failed} answers were not 200 (${JSON.stringify(relay.statuses)}).`);
  }
  if (raw.setup.logins > 0) figures.push(info('device logins (challenge + signed session), setup', (raw.setup.logins * 1000) / raw.setup.loginMs, 'logins/s', `${count(raw.setup.logins)} logins with ${raw.sizes.setupConcurrency} in flight`));
  return figures;
}

export function relayReport(raw: RelayBenchRaw, smoke: boolean): BenchReport {
  const figures = [...messagingFigures(raw), ...connectionFigures(raw), ...httpFigures(raw)];
  return {
    area: 'relay',
    title: 'Relay',
    smoke,
    figures,
    notes: [
      'Relay and baselines each run in their own process; one load-generator process drives them all with the same client code, so on a 2-core machine the generator shares the CPU with the server under test and also caps the baselines.',
      ...raw.notes,
    ],
    details: raw,
  };
}
