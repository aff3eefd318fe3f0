/**
 * The live connection of this device to the relay: signs in, opens the WebSocket, hands every
 * delivered frame to one serial handler (so frames are processed in order, one at a time),
 * matches `sent` / `error` answers to pending sends, and reconnects with backoff after a
 * transient loss, re-sending unanswered sends under the same client id (the relay stores a
 * client id once, so a retry never duplicates a message; DESIGN.md §4).
 *
 * Close codes 4000–4499 are final (e.g. 4009: another process of this device took the
 * connection; 4003: this device was removed) and end the link with an error.
 */
import type { ClientFrame, HelloFrame, SendFrame, SentFrame, ServerFrame } from '@sealpost/relay/api';
import { CliError, isCliError } from '../errors.js';
import { backoffDelay } from '../transport/backoff.js';
import { RelayRefusal } from '../transport/relay-errors.js';
import { isAuthRefusal, type Authenticator } from '../transport/relay-http.js';
import { isTransientClose, RelaySocket } from '../transport/relay-socket.js';
import type { SessionEvent } from './events.js';

/** Frames the link hands to the session's frame handler (everything but answers to our sends). */
export type DeliveredFrame = Exclude<ServerFrame, { type: 'sent' | 'error' | 'hello' | 'pong' }>;

export interface RelayLinkOptions {
  /** Session tokens for the WebSocket upgrade (cached, or fresh after a refusal). */
  readonly authenticate: Authenticator;
  readonly relayUrl: string;
  /** Processes one delivered frame; the next one waits for it. A throw ends the link. */
  readonly onFrame: (frame: DeliveredFrame) => Promise<void>;
  readonly onEvent: (event: SessionEvent) => void;
  /** Reconnect attempts after a loss before giving up (Infinity for `listen`). */
  readonly maxReconnects: number;
  readonly random?: () => number;
}

interface PendingSend {
  readonly frame: SendFrame;
  resolve(sent: SentFrame): void;
  reject(error: unknown): void;
}

const CLOSE_REASONS: Readonly<Record<number, string>> = {
  4003: 'this device is no longer on its account device list',
  4009: 'another sealpost process connected as this device',
  4002: 'the relay refused too many invalid frames',
};

function isTransientError(error: unknown): boolean {
  if (error instanceof RelayRefusal) return error.info.code === 'RELAY_ERR_RATE_LIMITED' || error.info.code === 'RELAY_ERR_SHUTTING_DOWN' || error.info.code === 'RELAY_ERR_INTERNAL';
  return isCliError(error) && (error.code === 'CLI_ERR_RELAY_UNREACHABLE' || error.code === 'CLI_ERR_RATE_LIMITED');
}

export class RelayLink {
  private socket: RelaySocket | undefined;
  private readonly pending = new Map<string, PendingSend>();
  private frames: Promise<void> = Promise.resolve();
  private stopped = false;
  private failed: unknown;
  private hello: HelloFrame | undefined;
  private wakeSleeper: (() => void) | undefined;
  private endWaiters: Array<{ resolve(): void; reject(error: unknown): void }> = [];

  constructor(private readonly options: RelayLinkOptions) {}

  /** Connects once; throws when the relay cannot be reached or refuses this device. */
  async start(): Promise<void> {
    await this.connect();
  }

  get connected(): boolean {
    return this.socket?.open === true;
  }

  /** Heartbeat and limits the relay announced on the current connection. */
  get relayHello(): HelloFrame | undefined {
    return this.hello;
  }

  private async connect(): Promise<void> {
    const handlers = { onFrame: (frame: ServerFrame) => this.onFrame(frame), onClose: (code: number, reason: string) => this.onClose(code, reason) };
    let socket: RelaySocket;
    try {
      socket = await RelaySocket.connect(this.options.relayUrl, await this.options.authenticate(false), handlers);
    } catch (error) {
      // The cached token expired or the relay forgot it (e.g. restarted): sign in once more.
      if (!isAuthRefusal(error)) throw error;
      socket = await RelaySocket.connect(this.options.relayUrl, await this.options.authenticate(true), handlers);
    }
    if (this.stopped) {
      await socket.close();
      return;
    }
    this.socket = socket;
    for (const send of this.pending.values()) socket.send(send.frame);
    this.options.onEvent({ type: 'connection', state: 'connected' });
  }

  private onFrame(frame: ServerFrame): void {
    switch (frame.type) {
      case 'hello':
        this.hello = frame;
        return;
      case 'pong':
        return;
      case 'sent': {
        const send = this.pending.get(frame.clientId);
        this.pending.delete(frame.clientId);
        send?.resolve(frame);
        return;
      }
      case 'error': {
        const send = frame.ref === undefined ? undefined : this.pending.get(frame.ref);
        if (send !== undefined && frame.ref !== undefined) {
          this.pending.delete(frame.ref);
          send.reject(new RelayRefusal({ code: frame.code, message: frame.message, details: frame.details, retryAfterMs: frame.retryAfterMs }));
        }
        return;
      }
      default:
        this.frames = this.frames.then(async () => {
          if (this.failed === undefined) await this.options.onFrame(frame);
        });
        this.frames.catch((error: unknown) => this.fail(error));
    }
  }

  private onClose(code: number, reason: string): void {
    this.socket = undefined;
    if (this.stopped) return;
    if (!isTransientClose(code)) {
      this.fail(new CliError('CLI_ERR_RELAY_REFUSED', `the relay closed the connection (${code} ${reason}): ${CLOSE_REASONS[code] ?? 'see docs/close-codes.md'}`, { closeCode: code }));
      return;
    }
    void this.reconnect(`closed ${code}${reason === '' ? '' : ` ${reason}`}`);
  }

  private async reconnect(reason: string): Promise<void> {
    for (let attempt = 0; !this.stopped; attempt++) {
      if (attempt >= this.options.maxReconnects) {
        this.fail(new CliError('CLI_ERR_RELAY_UNREACHABLE', `lost the relay connection (${reason}) and could not reconnect`));
        return;
      }
      const delay = backoffDelay(attempt, undefined, this.options.random);
      this.options.onEvent({ type: 'connection', state: 'disconnected', reason, retryInMs: delay });
      await this.sleep(delay);
      if (this.stopped) return;
      try {
        await this.connect();
        return;
      } catch (error) {
        if (!isTransientError(error)) {
          this.fail(error);
          return;
        }
        reason = error instanceof Error ? error.message : String(error);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeSleeper = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private fail(error: unknown): void {
    if (this.failed !== undefined || this.stopped) return;
    this.failed = error;
    for (const send of this.pending.values()) send.reject(error);
    this.pending.clear();
    for (const waiter of this.endWaiters.splice(0)) waiter.reject(error);
    void this.shutdown();
  }

  /** Sends a message frame; resolves with the relay's `sent` ack, rejects with its refusal. */
  submit(frame: SendFrame): Promise<SentFrame> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.set(frame.clientId, { frame, resolve, reject });
      if (this.socket?.open === true) this.socket.send(frame);
    });
  }

  /**
   * Sends a frame nobody waits an answer for (ack, read, online-only). Dropped while
   * disconnected: unacknowledged entries come again after reconnecting.
   */
  post(frame: ClientFrame): boolean {
    if (this.socket?.open !== true) return false;
    this.socket.send(frame);
    return true;
  }

  /** Resolves when the link is stopped; rejects with the error that ended it. */
  ended(): Promise<void> {
    if (this.failed !== undefined) return Promise.reject(this.failed);
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve, reject) => this.endWaiters.push({ resolve, reject }));
  }

  /** Waits until every frame received so far was processed. */
  settled(): Promise<void> {
    return this.frames.catch(() => undefined);
  }

  private async shutdown(): Promise<void> {
    this.stopped = true;
    this.wakeSleeper?.();
    const socket = this.socket;
    this.socket = undefined;
    await socket?.close();
  }

  /** Closes the connection after the frames already received were processed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    await this.settled();
    await this.shutdown();
    for (const send of this.pending.values()) send.reject(new CliError('CLI_ERR_INTERRUPTED', 'the connection was closed before the relay answered'));
    this.pending.clear();
    for (const waiter of this.endWaiters.splice(0)) waiter.resolve();
  }
}
