/**
 * One authenticated WebSocket connection of one device (DESIGN.md §4 "Delivery"): pushes the
 * device's queue in sequence order with at most `delivery.window` entries unacknowledged, sends
 * `drained` once the backlog is out, handles send/ack/read/ping frames, forwards bus events
 * (new entries, online-only envelopes, pool-low notices, presence changes), and closes with a
 * documented code when replaced, removed, too slow or sending too much garbage
 * (docs/close-codes.md). A device removed where no bus event reaches this process (an operator
 * command on the same database) is caught by its next send/read frame and by the next heartbeat.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { ClientFrame, SendFrame, ServerFrame } from '../api/frames.js';
import type { BusEvent, BusSubscription } from '../bus/message-bus.js';
import { RELAY_ERRORS, RelayError } from '../errors.js';
import type { RelayErrorCode } from '../errors.js';
import { toRelayError } from '../http/error-handler.js';
import type { Logger } from '../logging/create-logger.js';
import type { PlannedSend } from '../services/message-service.js';
import type { RelayServices } from '../services/relay-services.js';
import type { DeviceAddress, QueueEntry } from '../storage/records.js';
import { parseClientFrame } from './parse-client-frame.js';

const noop = () => {};
let openedCount = 0;

/** True when connection `a` opened after `b` (see the `connected` bus event). */
function isNewer(a: { openedAt: number; sequence: number; connectionId: string }, b: { openedAt: number; sequence: number; connectionId: string }): boolean {
  if (a.openedAt !== b.openedAt) return a.openedAt > b.openedAt;
  if (a.sequence !== b.sequence) return a.sequence > b.sequence;
  return a.connectionId > b.connectionId;
}

export class DeviceConnection {
  readonly id = randomUUID();
  /** Wall-clock time and process-local order of opening, to tell which connection is newest. */
  private readonly openedAt = Date.now();
  private readonly sequence = ++openedCount;
  private readonly log: Logger;
  private readonly inFlight = new Set<number>();
  private highestSent = 0;
  private pumping = false;
  private pumpAgain = false;
  /**
   * False once a fetch came back short (the queue was read to its end) until a `queued` event
   * announces new entries: an ack then frees window room without a pointless read.
   */
  private mayHaveMore = true;
  private drainedSent = false;
  private badFrames = 0;
  private closed = false;
  private started = false;
  /** Cleared by every heartbeat ping, set by the pong; still clear at the next ping = dead. */
  alive = true;
  private subscription: BusSubscription | undefined;
  /** Frames are handled only after start() finished, in arrival order. */
  private ready: Promise<void>;
  /** Sends are validated one after another so they commit in the order they were sent. */
  private sendChain: Promise<void> = Promise.resolve();
  /** Frames being handled, so shutdown can answer them before closing. */
  private readonly handling = new Set<Promise<void>>();
  private draining = false;
  /** The transport is corked until the end of this event-loop turn (see sendText). */
  private corked = false;

  constructor(
    private readonly socket: WebSocket,
    /** The TCP socket under `socket`, corked to gather one turn's frames into one write. */
    private readonly transport: Pick<Duplex, 'cork' | 'uncork'>,
    readonly device: DeviceAddress,
    private readonly services: RelayServices,
    private readonly onClosed: (connection: DeviceConnection) => void,
  ) {
    this.log = services.deps.logger.child({ connectionId: this.id });
    // Listeners go on at once: ws drops messages that arrive while nobody listens.
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('pong', () => {
      this.alive = true;
      void this.services.presence.heartbeat(this.device, this.id).catch(noop);
    });
    socket.on('close', () => void this.onSocketClosed());
    socket.on('error', (error) => this.log.info({ err: error.message }, 'socket error'));
    this.ready = this.start().catch((error: unknown) => {
      this.log.error({ err: error }, 'connection start failed');
      this.close('RELAY_ERR_INTERNAL');
    });
  }

  private async start(): Promise<void> {
    const { deps, presence, prekeys } = this.services;
    this.subscription = await deps.bus.subscribe(this.device, (event) => this.onBusEvent(event));
    if (this.closed) return;
    // Tell any older connection of this device (on any relay) to close: one live connection per device.
    await deps.bus.publish(this.device, { type: 'connected', connectionId: this.id, openedAt: this.openedAt, sequence: this.sequence });
    // In memory only: "last seen" reaches storage later, in bulk (PresenceService), so no
    // durable write stands between the upgrade and `hello`.
    await presence.connected(this.device, this.id);
    deps.metrics.connections.inc();
    this.started = true;
    this.send({
      v: 1,
      type: 'hello',
      accountId: this.device.accountId,
      deviceId: this.device.deviceId,
      connectionId: this.id,
      window: deps.config.delivery.window,
      heartbeatIntervalMs: deps.config.presence.heartbeatIntervalMs,
      maxFrameBytes: deps.config.limits.maxFrameBytes,
      maxEnvelopeBytes: deps.config.limits.maxEnvelopeBytes,
    });
    const counts = await prekeys.counts(this.device);
    if (prekeys.isLow(counts)) this.send({ v: 1, type: 'prekeys.low', oneTimeX25519: counts.oneTimeX25519, oneTimeKem: counts.oneTimeKem, lowWatermark: counts.lowWatermark });
    await this.pump();
  }

  private onBusEvent(event: BusEvent): void {
    switch (event.type) {
      case 'queued':
        if (event.entry !== undefined && this.deliverAnnounced(event.entry)) return;
        this.mayHaveMore = true;
        // Before `hello`, only note it: start() pumps once the greeting is out.
        if (this.started) void this.pump();
        return;
      case 'online-only':
        this.sendText(event.frame);
        return;
      case 'connected':
        if (event.connectionId !== this.id && isNewer(event, { openedAt: this.openedAt, sequence: this.sequence, connectionId: this.id })) {
          this.close('RELAY_ERR_CONNECTION_REPLACED');
        }
        return;
      case 'device-removed':
        this.close('RELAY_ERR_DEVICE_REMOVED');
        return;
      case 'prekeys-low':
        this.send({ v: 1, type: 'prekeys.low', oneTimeX25519: event.oneTimeX25519, oneTimeKem: event.oneTimeKem, lowWatermark: this.services.deps.config.prekeys.lowWatermark });
        return;
      case 'presence':
        // Not before hello: a frame must never precede the greeting.
        if (this.started) this.send({ v: 1, type: 'presence', accountId: event.accountId, online: event.online, lastSeen: event.lastSeen });
        return;
    }
  }

  /**
   * Delivers an entry a `queued` event carried (already durable) without reading the queue, when
   * it is exactly the next one this connection owes and the queue is otherwise known to be read
   * to its end: no read running, none pending, room in the window. Anything else (a gap — an
   * event that overtook an earlier one —, a full window, a read in flight) returns false and the
   * caller falls back to reading the queue, which finds the entry there.
   */
  private deliverAnnounced(entry: QueueEntry): boolean {
    if (!this.started || this.closed || this.pumping || this.mayHaveMore) return false;
    // Already delivered by a read that ran after the commit.
    if (entry.seq <= this.highestSent) return true;
    if (entry.seq !== this.highestSent + 1 || this.inFlight.size >= this.services.deps.config.delivery.window) return false;
    // The frame first: should it fail, nothing is marked sent and the read path takes over.
    let frame: ServerFrame;
    try {
      frame = this.services.messages.toFrame(entry);
    } catch {
      return false;
    }
    this.inFlight.add(entry.seq);
    this.highestSent = entry.seq;
    this.send(frame);
    return true;
  }

  /** Sends queued entries until the window is full or the queue is empty. Never runs twice at once. */
  async pump(): Promise<void> {
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const window = this.services.deps.config.delivery.window;
        while (!this.closed) {
          const room = window - this.inFlight.size;
          if (room <= 0 || !this.mayHaveMore) break;
          // Set again by a `queued` event that arrives while this read runs.
          this.mayHaveMore = false;
          const entries = await this.services.messages.fetchQueue(this.device, this.highestSent, room);
          for (const entry of entries) {
            if (this.closed) return;
            this.inFlight.add(entry.seq);
            this.highestSent = entry.seq;
            this.send(this.services.messages.toFrame(entry));
          }
          if (entries.length === room) this.mayHaveMore = true;
          if (entries.length < room) {
            if (!this.drainedSent && !this.closed) {
              this.drainedSent = true;
              this.send({ v: 1, type: 'drained' });
            }
            break;
          }
        }
      } while (this.pumpAgain && !this.closed);
    } catch (error) {
      this.log.error({ err: error }, 'delivery failed');
      this.close('RELAY_ERR_INTERNAL');
    } finally {
      this.pumping = false;
    }
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(data, isBinary);
    } catch (error) {
      this.refuse(toRelayError(error));
      return;
    }
    const task = this.ready.then(() => this.handle(frame));
    this.handling.add(task);
    void task.finally(() => this.handling.delete(task));
  }

  /**
   * Shutdown: refuses new sends, waits until every frame already received has been answered
   * (so each send in flight gets its `sent` ack or an error), then closes with 1001.
   */
  async drain(): Promise<void> {
    this.draining = true;
    await Promise.allSettled([...this.handling]);
    this.close('RELAY_ERR_SHUTTING_DOWN');
  }

  /** Answers a bad frame; too many of them end the connection. */
  private refuse(error: RelayError): void {
    this.sendError(error);
    this.badFrames++;
    if (this.badFrames > this.services.deps.config.limits.maxBadFrames) this.close('RELAY_ERR_TOO_MANY_BAD_FRAMES');
  }

  private async handle(frame: ClientFrame): Promise<void> {
    if (this.closed) return;
    try {
      switch (frame.type) {
        case 'send':
          if (this.draining) this.sendError(new RelayError('RELAY_ERR_SHUTTING_DOWN'), frame.clientId);
          else await this.handleSend(frame);
          return;
        case 'ack': {
          for (const seq of frame.seqs) this.inFlight.delete(seq);
          await this.services.messages.ack(this.device, frame.seqs);
          await this.pump();
          return;
        }
        case 'read': {
          const { refused } = await this.services.messages.read(this.device, frame.messageIds);
          if (refused.length > 0) this.sendError(new RelayError('RELAY_ERR_NOT_RECIPIENT', undefined, { messageIds: refused }), 'read');
          return;
        }
        case 'ping':
          this.send({ v: 1, type: 'pong', ...(frame.id === undefined ? {} : { id: frame.id }) });
          return;
      }
    } catch (error) {
      const relayError = toRelayError(error);
      if (relayError.code === 'RELAY_ERR_DEVICE_REMOVED') return this.close(relayError.code);
      if (relayError.code === 'RELAY_ERR_INTERNAL') this.log.error({ err: error, frame: frame.type }, 'frame failed');
      this.sendError(relayError, frame.type);
    }
  }

  private async handleSend(frame: SendFrame): Promise<void> {
    const started = process.hrtime.bigint();
    // Validate in order and *start* each commit before the next send is validated, so a
    // device's messages keep their order while their commits still share batches.
    const step = this.sendChain.then(async () => {
      const commit: PlannedSend = await this.services.messages.planSend(this.device, frame);
      return { done: commit() };
    });
    this.sendChain = step.then(noop, noop);
    try {
      const { done } = await step;
      const sent = await done;
      this.services.deps.metrics.sendLatency.observe(Number(process.hrtime.bigint() - started) / 1e9);
      this.send(sent);
    } catch (error) {
      this.services.deps.metrics.sends.inc({ result: 'refused' });
      const relayError = toRelayError(error);
      // Removed since it connected: nothing it sends is stored, and the connection ends (4003).
      if (relayError.code === 'RELAY_ERR_DEVICE_REMOVED') return this.close(relayError.code);
      if (relayError.code === 'RELAY_ERR_INTERNAL') this.log.error({ err: error }, 'send failed');
      this.sendError(relayError, frame.clientId);
    }
  }

  private sendError(error: RelayError, ref?: string): void {
    this.services.deps.metrics.errors.inc({ code: error.code });
    const retryAfterMs = error.details?.retryAfterMs;
    this.send({
      v: 1,
      type: 'error',
      code: error.code,
      message: error.code === 'RELAY_ERR_INTERNAL' ? RELAY_ERRORS.RELAY_ERR_INTERNAL.message : error.message,
      ...(ref === undefined ? {} : { ref }),
      ...(error.details === undefined || error.code === 'RELAY_ERR_INTERNAL' ? {} : { details: { ...error.details } }),
      ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
    });
  }

  private send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  private sendText(text: string): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    // Backpressure (ws `bufferedAmount`): a device that stops reading is cut off rather than
    // buffered for without bound; it reconnects and gets its queue again.
    if (this.socket.bufferedAmount > this.services.deps.config.delivery.slowConsumerBytes) {
      this.close('RELAY_ERR_SLOW_CONSUMER');
      return;
    }
    this.corkForThisTurn();
    this.socket.send(text);
  }

  /**
   * Frames for one device often come in bursts within one turn of the event loop (a committed
   * batch settles several sends, acks and receipts at once); corking the TCP socket until the
   * turn ends sends them in one system call instead of one each, at the cost of holding the first
   * one back only until the current callbacks finish.
   */
  private corkForThisTurn(): void {
    if (this.corked) return;
    this.corked = true;
    this.transport.cork();
    setImmediate(() => {
      this.corked = false;
      this.transport.uncork();
    });
  }

  /** Closes with the code from the error table; unresponsive peers are cut at once. */
  close(code: RelayErrorCode): void {
    if (this.closed) return;
    this.closed = true;
    const closeCode = (RELAY_ERRORS[code] as { closeCode?: number }).closeCode ?? 1011;
    this.log.info({ event: 'ws.close', code, closeCode }, 'closing connection');
    this.services.deps.metrics.wsCloses.inc({ code });
    try {
      this.socket.close(closeCode, code);
    } catch {
      // The socket may already be gone.
    }
    // A dead peer will never answer the close frame: cut it at once. A slow consumer gets its
    // close frame behind the data it has not read yet; nothing more is buffered for it, and ws
    // destroys the socket if the handshake does not finish within its close timeout (30 s).
    if (code === 'RELAY_ERR_HEARTBEAT_TIMEOUT') setImmediate(() => this.socket.terminate());
  }

  private async onSocketClosed(): Promise<void> {
    this.closed = true;
    await this.ready;
    try {
      await this.subscription?.unsubscribe();
      if (this.started) {
        this.services.deps.metrics.connections.dec();
        await this.services.presence.disconnected(this.device, this.id).catch((error: unknown) => this.log.warn({ err: error }, 'presence update failed'));
      }
    } finally {
      // Last: the gateway's shutdown waits for every connection to get here, so each one's
      // "last seen" is noted before the final write of them.
      this.onClosed(this);
    }
  }

  /** Terminates a connection that did not finish its closing handshake (shutdown grace over). */
  terminate(): void {
    this.closed = true;
    this.socket.terminate();
  }

  ping(): void {
    if (!this.alive) {
      this.close('RELAY_ERR_HEARTBEAT_TIMEOUT');
      return;
    }
    this.alive = false;
    try {
      this.socket.ping();
    } catch {
      // Closed between checks; the close handler cleans up.
    }
    void this.closeIfRemoved();
  }

  /**
   * A device removed by another process sharing the database (`sealpost-relay admin`) gets no
   * bus event here; an idle connection of it ends at the next heartbeat instead.
   */
  private async closeIfRemoved(): Promise<void> {
    if (!this.started || this.closed) return;
    try {
      if (!(await this.services.accounts.isDeviceActive(this.device))) this.close('RELAY_ERR_DEVICE_REMOVED');
    } catch (error) {
      this.log.warn({ err: error }, 'device check failed');
    }
  }
}
