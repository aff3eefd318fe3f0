/**
 * The owner side of the local agent (./agent-protocol.ts): the process holding this device's
 * relay connection serves the profile's other processes. Binding the socket doubles as the lock
 * that decides who owns the connection: a second process finds the socket live and becomes a
 * client. A socket file left by a crashed owner is detected (connection refused) and replaced.
 */
import { chmodSync, mkdirSync, unlinkSync } from 'node:fs';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import type { CryptoSuite } from '@sealpost/crypto';
import { CliError } from '../errors.js';
import { checkProof, LineReader, makeProof, serializeError, AGENT_NONCE_BYTES, type ClientRequest } from './agent-protocol.js';
import { toB64 } from './encoding.js';
import type { SessionEvent } from './events.js';

/** What the owner does for a client; implemented over its live session. */
export interface AgentHandler {
  handle(request: ClientRequest): Promise<unknown>;
  subscribe(listener: (event: SessionEvent) => void): () => void;
}

const AUTH_TIMEOUT_MS = 5_000;

function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = netConnect(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function listenOn(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(path, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export class AgentServer {
  private readonly clients = new Set<Socket>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private handlerReady!: (handler: AgentHandler) => void;
  private readonly ready = new Promise<AgentHandler>((resolve) => (this.handlerReady = resolve));
  private closed = false;

  private constructor(
    private readonly server: Server,
    private readonly suite: CryptoSuite,
    private readonly key: Uint8Array,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Takes the owner's socket; undefined when another live process owns it. */
  static async bind(path: string, suite: CryptoSuite, key: Uint8Array): Promise<AgentServer | undefined> {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new CliError('CLI_ERR_STORE_IO', `${dirname(path)}: ${(error as NodeJS.ErrnoException).code ?? 'mkdir failed'}`);
    }
    for (let attempt = 0; attempt < 3; attempt++) {
      const server = createServer();
      try {
        await listenOn(server, path);
        chmodSync(path, 0o600);
        return new AgentServer(server, suite, key);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw new CliError('CLI_ERR_STORE_IO', `${path}: ${(error as NodeJS.ErrnoException).code ?? 'listen failed'}`);
        if (await isLive(path)) return undefined;
        // Left behind by an owner that crashed: nobody answers on it.
        try {
          unlinkSync(path);
        } catch {
          // Removed by another process racing us; try again.
        }
      }
    }
    return undefined;
  }

  /** Starts serving requests with the owner's live session. */
  attach(handler: AgentHandler): void {
    this.handlerReady(handler);
  }

  get clientCount(): number {
    return this.clients.size;
  }

  private accept(socket: Socket): void {
    if (this.closed) {
      socket.destroy();
      return;
    }
    this.clients.add(socket);
    socket.setEncoding('utf8');
    socket.on('close', () => this.clients.delete(socket));
    socket.on('error', () => socket.destroy());
    const ownerNonce = toB64(this.suite.randomBytes(AGENT_NONCE_BYTES));
    let authenticated = false;
    let unsubscribe: (() => void) | undefined;
    const timer = setTimeout(() => {
      if (!authenticated) socket.destroy();
    }, AUTH_TIMEOUT_MS);
    const write = (value: unknown): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(value)}\n`);
    };
    socket.on('close', () => {
      clearTimeout(timer);
      unsubscribe?.();
    });
    const reader = new LineReader(
      (message) => {
        if (!authenticated) {
          if (message.t !== 'auth' || typeof message.nonce !== 'string' || !checkProof(this.suite, this.key, 'client', ownerNonce, message.nonce, message.proof)) {
            socket.destroy();
            return;
          }
          authenticated = true;
          clearTimeout(timer);
          write({ t: 'ready', proof: makeProof(this.suite, this.key, 'owner', ownerNonce, message.nonce), pid: process.pid });
          void this.ready.then((handler) => {
            unsubscribe = handler.subscribe((event) => write({ t: 'event', event }));
          });
          return;
        }
        this.serve(message, write);
      },
      () => socket.destroy(),
    );
    socket.on('data', (chunk: string) => reader.push(chunk));
    write({ t: 'challenge', nonce: ownerNonce });
  }

  private serve(message: Record<string, unknown>, write: (value: unknown) => void): void {
    const rid = message.rid;
    if (typeof rid !== 'number') return;
    const work = this.ready.then((handler) => handler.handle(message as unknown as ClientRequest));
    this.inFlight.add(work);
    work.then(
      (result) => write({ t: 'result', rid, ok: true, result }),
      (error: unknown) => write({ t: 'result', rid, ok: false, error: serializeError(error) }),
    );
    void work.finally(() => this.inFlight.delete(work)).catch(() => undefined);
  }

  /** Finishes requests in progress, then disconnects clients and removes the socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    for (const socket of this.clients) socket.end();
    // Closing a Unix socket server removes its file (never unlink by hand afterwards: by then the
    // path may belong to the next owner).
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
