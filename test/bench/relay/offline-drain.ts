/**
 * Offline drain: `count` messages are queued for a device that is not connected (the fill,
 * pipelined from several senders, each waiting only for its durable `sent` acks), the senders
 * leave, and then the device connects and is timed from the start of its connection until it
 * holds every message, acking as it goes so the relay's delivery window keeps moving.
 */
import { BenchPeer } from './bench-peer.js';
import type { Endpoint, Frame, PeerSpec } from './bench-peer.js';
import { clientIdFor, readStamp, stampedCiphertext } from './message-stamp.js';
import { waitUntil } from './pair-traffic.js';

export interface OfflineDrainOptions {
  readonly run: number;
  readonly count: number;
  /** Sends each sender keeps waiting for their `sent` ack during the fill. */
  readonly window: number;
  readonly fillTimeoutMs: number;
  readonly drainTimeoutMs: number;
}

export interface OfflineDrainResult {
  readonly count: number;
  readonly senders: number;
  readonly fillMs: number;
  readonly fillPerSecond: number;
  readonly fillErrors: number;
  readonly firstError?: string;
  /** Connect start → every message received. */
  readonly drainMs: number;
  readonly drainPerSecond: number;
  /** Connect start → the relay's `drained` frame (NaN on servers that do not send one). */
  readonly drainedFrameMs: number;
  readonly received: number;
}

async function fill(endpoint: Endpoint, senders: readonly PeerSpec[], recipient: PeerSpec, options: OfflineDrainOptions): Promise<{ ms: number; errors: number; firstError?: string }> {
  let acked = 0;
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const peers: BenchPeer[] = [];
  const issue = (peer: BenchPeer) => {
    if (next >= options.count) return;
    const index = next++;
    peer.send({ v: 1, type: 'send', clientId: clientIdFor(options.run, index), to: recipient.address, copies: [{ deviceId: recipient.deviceId, ciphertext: stampedCiphertext(options.run, index) }] });
  };
  /** Each answered send makes room for the next one from the same sender. */
  const onFrame = (slot: { peer?: BenchPeer }) => (frame: Frame) => {
    if (frame.type === 'sent') acked++;
    else if (frame.type === 'error') {
      errors++;
      firstError ??= `${frame.code}: ${frame.message}`;
    } else return;
    if (slot.peer !== undefined) issue(slot.peer);
  };
  try {
    for (const spec of senders) {
      const slot: { peer?: BenchPeer } = {};
      slot.peer = await BenchPeer.open(endpoint, spec, onFrame(slot));
      peers.push(slot.peer);
    }
    const start = performance.now();
    for (const peer of peers) for (let i = 0; i < options.window; i++) issue(peer);
    const done = await waitUntil(() => acked + errors >= options.count, options.fillTimeoutMs);
    if (!done) throw new Error(`offline fill: only ${acked} of ${options.count} sends acked within ${options.fillTimeoutMs} ms`);
    return { ms: performance.now() - start, errors, ...(firstError === undefined ? {} : { firstError }) };
  } finally {
    await Promise.all(peers.map((peer) => peer.terminate()));
  }
}

export async function runOfflineDrain(endpoint: Endpoint, senders: readonly PeerSpec[], recipient: PeerSpec, options: OfflineDrainOptions): Promise<OfflineDrainResult> {
  const filled = await fill(endpoint, senders, recipient, options);
  const seen = new Uint8Array(options.count);
  let received = 0;
  let finishedAt = Number.NaN;
  let drainedAt = Number.NaN;
  const start = performance.now();
  const peer = await BenchPeer.open(endpoint, recipient, (frame) => {
    if (frame.type === 'drained') drainedAt = performance.now();
    if (frame.type !== 'message') return;
    const stamp = readStamp(frame.ciphertext);
    if (stamp === null || stamp.run !== options.run || stamp.index >= options.count || seen[stamp.index] === 1) return;
    seen[stamp.index] = 1;
    received++;
    if (received === options.count) finishedAt = performance.now();
  });
  try {
    await waitUntil(() => received >= options.count - filled.errors, options.drainTimeoutMs);
    if (Number.isNaN(finishedAt)) finishedAt = performance.now();
    const drainMs = finishedAt - start;
    return {
      count: options.count,
      senders: senders.length,
      fillMs: filled.ms,
      fillPerSecond: (options.count * 1000) / filled.ms,
      fillErrors: filled.errors,
      ...(filled.firstError === undefined ? {} : { firstError: filled.firstError }),
      drainMs,
      drainPerSecond: (received * 1000) / drainMs,
      drainedFrameMs: drainedAt - start,
      received,
    };
  } finally {
    // Let the last acks go out so the queue is left empty for whatever runs next.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await peer.terminate();
  }
}
