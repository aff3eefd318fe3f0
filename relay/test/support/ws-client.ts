/**
 * A WebSocket test client over a real socket: collects every frame, waits for the next frame
 * matching a predicate, and reports how the connection closed.
 */
import { WebSocket } from 'ws';
import type { ServerFrame } from '../../src/api/frames.js';

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

type Waiter = { match: (frame: ServerFrame) => boolean; resolve: (frame: ServerFrame) => void };

export class TestSocket {
  readonly frames: ServerFrame[] = [];
  private unread: ServerFrame[] = [];
  private waiters: Waiter[] = [];
  readonly closed: Promise<Closed>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as ServerFrame;
      this.frames.push(frame);
      const waiter = this.waiters.find((w) => w.match(frame));
      if (waiter === undefined) this.unread.push(frame);
      else {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** The next not-yet-consumed frame matching `match` (of `type` when a string is given). */
  next<T extends ServerFrame['type']>(type: T, timeoutMs?: number): Promise<Extract<ServerFrame, { type: T }>>;
  next(match: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  next(matcher: string | ((frame: ServerFrame) => boolean), timeoutMs = 10_000): Promise<ServerFrame> {
    const match = typeof matcher === 'string' ? (frame: ServerFrame) => frame.type === matcher : matcher;
    const index = this.unread.findIndex(match);
    if (index >= 0) return Promise.resolve(this.unread.splice(index, 1)[0] as ServerFrame);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no frame matching ${String(matcher)} arrived; got ${JSON.stringify(this.frames.map((f) => f.type))}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Frames not consumed by next() so far, of one type. */
  pending(type: ServerFrame['type']): ServerFrame[] {
    return this.unread.filter((f) => f.type === type);
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  async close(): Promise<void> {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(1000);
    await this.closed;
  }
}

/** Opens an authenticated connection and waits for its hello. */
export async function connect(wsUrl: string, token: string): Promise<TestSocket> {
  const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${token}` } });
  const client = new TestSocket(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
  });
  await client.next('hello');
  return client;
}

/** Attempts an upgrade and returns the HTTP status and body of its refusal. */
export function refusedUpgrade(wsUrl: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { headers });
    socket.once('open', () => {
      socket.close();
      reject(new Error('upgrade was accepted'));
    });
    socket.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    socket.once('error', () => {});
  });
}
