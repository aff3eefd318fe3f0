/**
 * 1:1 traffic between pairs of simulated devices, shared by the throughput and latency
 * scenarios: opens the pairs, sends stamped messages, and reports for each message index the
 * three moments that matter — the durable `sent` ack at the sender, the `message` at the
 * recipient, and the `delivered` receipt back at the sender. Frames of other runs are ignored
 * (BenchPeer acks them anyway).
 */
import { BenchPeer } from './bench-peer.js';
import type { ErrorFrame } from '@sealpost/relay/api';
import type { Endpoint, Frame, PeerSpec } from './bench-peer.js';
import { clientIdFor, readStamp, stampedCiphertext } from './message-stamp.js';

export interface Pair {
  readonly sender: BenchPeer;
  readonly recipient: BenchPeer;
}

export interface TrafficEvents {
  sent(index: number, now: number): void;
  delivered(index: number, now: number): void;
  receipt(index: number, now: number): void;
  error(frame: ErrorFrame): void;
}

export class PairTraffic {
  readonly pairs: Pair[] = [];
  /** messageId → index, learned at the recipient, so the sender's receipt can be matched. */
  private readonly indexOf = new Map<string, number>();
  private readonly clientPrefix: string;

  private constructor(
    private readonly run: number,
    private readonly events: TrafficEvents,
  ) {
    this.clientPrefix = clientIdFor(run, 0).slice(0, -1);
  }

  /** Opens every pair (`concurrency` pairs at a time); throws if any connection fails. */
  static async open(endpoint: Endpoint, specs: readonly (readonly [PeerSpec, PeerSpec])[], run: number, events: TrafficEvents, concurrency = 32): Promise<PairTraffic> {
    const traffic = new PairTraffic(run, events);
    const slots: Pair[] = new Array<Pair>(specs.length);
    let next = 0;
    const worker = async () => {
      while (next < specs.length) {
        const i = next++;
        const [senderSpec, recipientSpec] = specs[i] as readonly [PeerSpec, PeerSpec];
        const recipient = await BenchPeer.open(endpoint, recipientSpec, (frame) => traffic.onRecipientFrame(frame));
        const sender = await BenchPeer.open(endpoint, senderSpec, (frame) => traffic.onSenderFrame(frame));
        slots[i] = { sender, recipient };
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, worker));
    } catch (error) {
      await traffic.close(slots.filter((pair) => pair !== undefined));
      throw error;
    }
    traffic.pairs.push(...slots);
    return traffic;
  }

  send(pairIndex: number, index: number): void {
    const pair = this.pairs[pairIndex] as Pair;
    const to = pair.recipient.spec;
    pair.sender.send({ v: 1, type: 'send', clientId: clientIdFor(this.run, index), to: to.address, copies: [{ deviceId: to.deviceId, ciphertext: stampedCiphertext(this.run, index) }] });
  }

  private onRecipientFrame(frame: Frame): void {
    if (frame.type !== 'message' || frame.messageId === undefined) return;
    const stamp = readStamp(frame.ciphertext);
    if (stamp === null || stamp.run !== this.run) return;
    this.indexOf.set(frame.messageId, stamp.index);
    this.events.delivered(stamp.index, performance.now());
  }

  private onSenderFrame(frame: Frame): void {
    const now = performance.now();
    switch (frame.type) {
      case 'sent':
        if (frame.clientId.startsWith(this.clientPrefix)) this.events.sent(Number(frame.clientId.slice(this.clientPrefix.length)), now);
        return;
      case 'receipt':
        if (frame.kind !== 'delivered') return;
        for (const messageId of frame.messageIds) {
          const index = this.indexOf.get(messageId);
          if (index === undefined) continue;
          this.indexOf.delete(messageId);
          this.events.receipt(index, now);
        }
        return;
      case 'error':
        this.events.error(frame);
        return;
      default:
        return;
    }
  }

  async close(pairs: readonly Pair[] = this.pairs): Promise<void> {
    await Promise.all(pairs.flatMap((pair) => [pair.sender.terminate(), pair.recipient.terminate()]));
  }
}

/** Resolves after `ms`, or at once if `until()` turns true first (checked every 20 ms). */
export async function waitUntil(until: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!until()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
