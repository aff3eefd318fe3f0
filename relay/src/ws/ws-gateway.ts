/**
 * The WebSocket edge on the relay's HTTP server (ws in noServer mode). Authentication happens in
 * the HTTP upgrade, before a WebSocket exists: the client sends `Authorization: Bearer <session
 * token>` with the upgrade request and a bad or missing token is answered with a plain HTTP 401
 * error body. One heartbeat timer pings every connection; one that missed the previous pong is
 * closed (4501), so a dead peer is found within twice presence.heartbeatIntervalMs. The same tick
 * has each connection check that its device still exists (4003 otherwise), for removals made by
 * another process on the same database. Closing the gateway (relay shutdown) ends with the final
 * write of the "last seen" times its connections left in memory (PresenceService.close).
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { WS_PATH } from '../api/common.js';
import { RelayError } from '../errors.js';
import { errorBody, toRelayError } from '../http/error-handler.js';
import type { RelayServices } from '../services/relay-services.js';
import { DeviceConnection } from './device-connection.js';

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable' };

function rejectUpgrade(socket: Duplex, error: RelayError): void {
  const body = JSON.stringify(errorBody(error));
  const status = error.httpStatus;
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export class WsGateway {
  private readonly wss: WebSocketServer;
  private readonly connections = new Set<DeviceConnection>();
  private readonly heartbeat: NodeJS.Timeout;
  private draining = false;

  constructor(
    server: Server,
    private readonly services: RelayServices,
  ) {
    const { config } = services.deps;
    // maxPayload: ws closes a connection whose frame is larger with 1009 (RELAY_ERR_FRAME_TOO_LARGE).
    this.wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxFrameBytes, perMessageDeflate: false });
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => void this.onUpgrade(request, socket, head));
    this.heartbeat = setInterval(() => {
      for (const connection of this.connections) connection.ping();
    }, config.presence.heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  private async onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH) return rejectUpgrade(socket, new RelayError('RELAY_ERR_NOT_FOUND'));
    if (this.draining) return rejectUpgrade(socket, new RelayError('RELAY_ERR_SHUTTING_DOWN'));
    let device;
    try {
      device = await this.services.auth.authenticate(request.headers.authorization);
    } catch (error) {
      const relayError = toRelayError(error);
      this.services.deps.metrics.errors.inc({ code: relayError.code });
      return rejectUpgrade(socket, relayError);
    }
    if (this.draining || socket.destroyed) return rejectUpgrade(socket, new RelayError('RELAY_ERR_SHUTTING_DOWN'));
    // The 101 answer and what the connection sends in this turn of the event loop (`hello`,
    // `prekeys.low`, the first queued entries, `drained`) leave in one write, in order, instead of
    // one system call each. (A refusal by ws ends the socket, and end() uncorks it.)
    socket.cork();
    setImmediate(() => socket.uncork());
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      const connection = new DeviceConnection(ws, socket, device, this.services, (closed) => this.connections.delete(closed));
      this.connections.add(connection);
    });
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /**
   * Shutdown: refuses new upgrades, lets every connection answer the frames it already received
   * (sends in flight get their `sent` ack), closes them with 1001 (RELAY_ERR_SHUTTING_DOWN), and
   * terminates whatever is still open after `graceMs`.
   */
  async close(graceMs: number): Promise<void> {
    this.draining = true;
    clearInterval(this.heartbeat);
    const deadline = Date.now() + graceMs;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all([...this.connections].map((c) => c.drain())), grace]);
    clearTimeout(timer);
    for (const connection of this.connections) connection.close('RELAY_ERR_SHUTTING_DOWN');
    while (this.connections.size > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    for (const connection of this.connections) connection.terminate();
    // Terminated sockets report their close a moment later; give them that moment to note their
    // "last seen" before the final write.
    const settled = Date.now() + 1_000;
    while (this.connections.size > 0 && Date.now() < settled) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    try {
      await this.services.presence.close();
    } catch (error) {
      this.services.deps.logger.warn({ err: error }, 'writing last-seen times at shutdown failed');
    }
  }
}
