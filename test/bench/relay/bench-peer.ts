/**
 * One simulated device in the load generator: a WebSocket to the relay (authenticated in the
 * upgrade with its session token) or to the bare forwarder (named in the query string), speaking
 * the relay's JSON frames (docs/api.md). Every queued entry is acked, batched per event-loop turn as
 * docs/api.md asks clients to, and both servers are driven through this same class so their figures compare.
 */
import { WebSocket } from 'ws';
import type { ServerFrame } from '@sealpost/relay/api';

export type ServerKind = 'relay' | 'bare';

/** Where a scenario sends its load: the real relay or a baseline server. */
export interface Endpoint {
  readonly kind: ServerKind;
  readonly httpUrl: string;
  readonly wsUrl: string;
}

/** A device the generator can connect as. */
export interface PeerSpec {
  /** Account id on the relay; any unique name on the bare forwarder. */
  readonly address: string;
  readonly deviceId: number;
  /** Session token (relay only). */
  readonly token?: string;
}

/** The frames the generator reads; the bare forwarder sends the same shapes. */
export type Frame = ServerFrame;

export class BenchPeer {
  onFrame: (frame: Frame) => void = () => {};
  private pendingAcks: number[] = [];
  private ackScheduled = false;
  readonly closed: Promise<void>;

  private constructor(
    readonly spec: PeerSpec,
    private readonly ws: WebSocket,
  ) {
    this.closed = new Promise((resolve) => ws.once('close', () => resolve()));
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Frame;
      // Every queued entry is acked, whoever handles the frame: an unacked entry (say, one left
      // over from an earlier run) would hold a slot of the relay's delivery window for good.
      const seq = (frame as { seq?: unknown }).seq;
      if (typeof seq === 'number') this.ack(seq);
      this.onFrame(frame);
    });
  }

  /**
   * Connects and resolves on the server's first frame (`hello`): the connection is usable then.
   * `onFrame` is installed in the same turn as the hello, so no frame that follows it is missed.
   */
  static open(endpoint: Endpoint, spec: PeerSpec, onFrame: (frame: Frame) => void = () => {}, timeoutMs = 30_000): Promise<BenchPeer> {
    const url = endpoint.kind === 'bare' ? `${endpoint.wsUrl}?id=${encodeURIComponent(spec.address)}` : endpoint.wsUrl;
    const headers: Record<string, string> = spec.token === undefined ? {} : { authorization: `Bearer ${spec.token}` };
    const ws = new WebSocket(url, { headers, perMessageDeflate: false, handshakeTimeout: timeoutMs });
    const peer = new BenchPeer(spec, ws);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no hello from ${endpoint.kind} within ${timeoutMs} ms`));
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      ws.once('error', fail);
      ws.once('unexpected-response', (_request, response) => {
        ws.terminate();
        fail(new Error(`${endpoint.kind} refused the upgrade with HTTP ${response.statusCode ?? '?'}`));
      });
      peer.onFrame = (frame) => {
        if (frame.type !== 'hello') return;
        clearTimeout(timer);
        ws.off('error', fail);
        // A socket error after the handshake surfaces as a close; keep the process alive.
        ws.on('error', () => {});
        peer.onFrame = onFrame;
        resolve(peer);
      };
    });
  }

  send(frame: object): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Acks a queued entry; all acks of one event-loop turn go out in one frame. */
  ack(seq: number): void {
    this.pendingAcks.push(seq);
    if (this.ackScheduled) return;
    this.ackScheduled = true;
    setImmediate(() => this.flushAcks());
  }

  private flushAcks(): void {
    this.ackScheduled = false;
    // The relay accepts at most 1,000 seqs per ack frame (docs/api.md).
    while (this.pendingAcks.length > 0) this.send({ v: 1, type: 'ack', seqs: this.pendingAcks.splice(0, 1_000) });
  }

  /** Cuts the connection without a closing handshake (a reconnect storm's clients do the same). */
  async terminate(timeoutMs = 5_000): Promise<void> {
    this.ws.terminate();
    await Promise.race([this.closed, new Promise((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }
}

/** Opens many peers with at most `concurrency` handshakes in flight; failures are counted, not thrown. */
export async function openPeers(endpoint: Endpoint, specs: readonly PeerSpec[], concurrency: number): Promise<{ peers: BenchPeer[]; failures: number; firstError?: string }> {
  const peers: BenchPeer[] = [];
  let failures = 0;
  let firstError: string | undefined;
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const spec = specs[next++] as PeerSpec;
      try {
        peers.push(await BenchPeer.open(endpoint, spec));
      } catch (error) {
        failures++;
        firstError ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, specs.length)) }, worker));
  return { peers, failures, ...(firstError === undefined ? {} : { firstError }) };
}

/** Closes every peer (bounded wait per peer). */
export async function terminateAll(peers: readonly BenchPeer[]): Promise<void> {
  await Promise.all(peers.map((peer) => peer.terminate()));
}
