/**
 * One authenticated WebSocket to the relay (docs/api.md "WebSocket"): text frames of JSON, each
 * checked against the relay's frame contract (./wire-checks.ts). The session token goes in the upgrade's
 * Authorization header (the relay authenticates during the upgrade, so a bad token is an HTTP
 * error, not a WebSocket close). Reconnecting is the caller's job: it needs a fresh token.
 *
 * Close codes (relay docs/close-codes.md): 4000–4499 mean "do not reconnect until something
 * changes", 4500–4999 and 1001/1006/1011 are transient.
 */
import type { ClientFrame, ServerFrame } from '@sealpost/relay/api';
import WebSocket from 'ws';
import { CliError } from '../errors.js';
import { RelayRefusal, unreachable } from './relay-errors.js';
import { checkServerFrame, WS_PATH } from './wire-checks.js';

export interface SocketHandlers {
  onFrame(frame: ServerFrame): void;
  /** The connection ended (not called when `close()` was asked for). */
  onClose(code: number, reason: string): void;
}

/** True when a close code says reconnecting may help. */
export function isTransientClose(code: number): boolean {
  return code < 4000 || code >= 4500;
}

export function webSocketUrl(relayUrl: string): string {
  const url = new URL(WS_PATH, relayUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

const CONNECT_TIMEOUT_MS = 20_000;

export class RelaySocket {
  private closing = false;

  private constructor(private readonly socket: WebSocket) {}

  static connect(relayUrl: string, token: string, handlers: SocketHandlers): Promise<RelaySocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(webSocketUrl(relayUrl), { headers: { authorization: `Bearer ${token}` }, handshakeTimeout: CONNECT_TIMEOUT_MS, perMessageDeflate: false });
      const relaySocket = new RelaySocket(socket);
      let opened = false;
      socket.on('unexpected-response', (_request, response) => {
        // The relay refused the upgrade with an HTTP error body (e.g. 401 after a token expired).
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          try {
            const parsed = JSON.parse(body) as { error?: { code?: string; message?: string } };
            reject(new RelayRefusal({ code: parsed.error?.code ?? `HTTP_${response.statusCode ?? 0}`, message: parsed.error?.message ?? 'upgrade refused' }));
          } catch {
            reject(new CliError('CLI_ERR_RELAY_PROTOCOL', `WebSocket upgrade answered HTTP ${response.statusCode ?? 0}`));
          }
          socket.terminate();
        });
      });
      socket.on('open', () => {
        opened = true;
        resolve(relaySocket);
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) return;
        let json: unknown;
        try {
          json = JSON.parse(data.toString());
        } catch {
          return;
        }
        let frame: ServerFrame | undefined;
        try {
          frame = checkServerFrame(json);
        } catch {
          frame = undefined;
        }
        // A frame this client does not understand is skipped, not fatal: newer relays may add
        // frame types, and a seq-carrying frame left unacknowledged is simply redelivered.
        if (frame !== undefined) handlers.onFrame(frame);
      });
      socket.on('error', (error) => {
        if (!opened) reject(unreachable(relayUrl, error));
      });
      socket.on('close', (code, reason) => {
        if (!opened) {
          reject(unreachable(relayUrl, new Error(`closed before opening (${code})`)));
          return;
        }
        if (!relaySocket.closing) handlers.onClose(code, reason.toString());
      });
    });
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: ClientFrame): void {
    if (!this.open) throw new CliError('CLI_ERR_RELAY_UNREACHABLE', 'the connection to the relay is closed');
    this.socket.send(JSON.stringify(frame));
  }

  /** Closes the connection (code 1000) and waits until it is gone. */
  close(): Promise<void> {
    this.closing = true;
    if (this.socket.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.socket.terminate();
        resolve();
      }, 2_000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.close(1000, 'bye');
    });
  }
}
