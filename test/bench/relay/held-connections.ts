/**
 * Many idle connections: opens them with a bounded number of handshakes in flight (each one done
 * when the server's `hello` arrives, i.e. after authentication on the relay) and holds them, so
 * the orchestrator can read the server's memory; releasing cuts them all at once, which is how a
 * reconnect storm starts. The connect rate is connections divided by wall time for the whole set.
 */
import { openPeers, terminateAll } from './bench-peer.js';
import type { BenchPeer, Endpoint, PeerSpec } from './bench-peer.js';

export interface HoldResult {
  readonly requested: number;
  readonly opened: number;
  readonly failures: number;
  readonly firstError?: string;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly connectsPerSecond: number;
}

export class HeldConnections {
  private peers: BenchPeer[] = [];

  get count(): number {
    return this.peers.length;
  }

  async hold(endpoint: Endpoint, specs: readonly PeerSpec[], concurrency: number): Promise<HoldResult> {
    const start = performance.now();
    const { peers, failures, firstError } = await openPeers(endpoint, specs, concurrency);
    const elapsedMs = performance.now() - start;
    this.peers.push(...peers);
    return {
      requested: specs.length,
      opened: peers.length,
      failures,
      ...(firstError === undefined ? {} : { firstError }),
      concurrency,
      elapsedMs,
      connectsPerSecond: (peers.length * 1000) / elapsedMs,
    };
  }

  async release(): Promise<number> {
    const peers = this.peers;
    this.peers = [];
    await terminateAll(peers);
    return peers.length;
  }
}
