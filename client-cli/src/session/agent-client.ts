/**
 * The client side of the local agent (./agent-protocol.ts): a process of the profile that found
 * another one holding the relay connection sends through it and receives its events.
 */
import { connect as netConnect, type Socket } from 'node:net';
import type { CryptoSuite } from '@sealpost/crypto';
import { CliError } from '../errors.js';
import { AGENT_NONCE_BYTES, checkProof, deserializeError, LineReader, makeProof, type ClientRequest, type SerializedError } from './agent-protocol.js';
import { toB64 } from './encoding.js';
import type { SessionEvent } from './events.js';

const HANDSHAKE_TIMEOUT_MS = 10_000;

type RequestBody = ClientRequest extends infer R ? (R extends { rid: number } ? Omit<R, 'rid'> : never) : never;

export class AgentClient {
  private nextRid = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: unknown): void }>();
  private readonly listeners = new Set<(event: SessionEvent) => void>();
  private endedWith: CliError | undefined;
  private readonly endWaiters: Array<(error: CliError) => void> = [];
  /** The owner's process id, for messages. */
  ownerPid = 0;

  private constructor(private readonly socket: Socket) {}

  /**
   * Connects and authenticates both ways. Undefined when nobody listens on `path` (no owner, or
   * one that crashed); throws when something answers but cannot prove it knows the profile key.
   */
  static connect(path: string, suite: CryptoSuite, key: Uint8Array): Promise<AgentClient | undefined> {
    return new Promise((resolve, reject) => {
      const socket = netConnect(path);
      const client = new AgentClient(socket);
      const clientNonce = toB64(suite.randomBytes(AGENT_NONCE_BYTES));
      let ownerNonce: string | undefined;
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        outcome();
      };
      const timer = setTimeout(() => {
        socket.destroy();
        settle(() => reject(new CliError('CLI_ERR_INTERNAL', `the sealpost process on ${path} did not answer`)));
      }, HANDSHAKE_TIMEOUT_MS);
      socket.setEncoding('utf8');
      socket.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') settle(() => resolve(undefined));
        else settle(() => reject(new CliError('CLI_ERR_STORE_IO', `${path}: ${error.code ?? error.message}`)));
      });
      const reader = new LineReader(
        (message) => {
          if (!settled) {
            if (message.t === 'challenge' && typeof message.nonce === 'string' && ownerNonce === undefined) {
              ownerNonce = message.nonce;
              socket.write(`${JSON.stringify({ t: 'auth', nonce: clientNonce, proof: makeProof(suite, key, 'client', ownerNonce, clientNonce) })}\n`);
              return;
            }
            if (message.t === 'ready' && ownerNonce !== undefined && checkProof(suite, key, 'owner', ownerNonce, clientNonce, message.proof)) {
              client.ownerPid = typeof message.pid === 'number' ? message.pid : 0;
              client.listen();
              settle(() => resolve(client));
              return;
            }
            socket.destroy();
            settle(() => reject(new CliError('CLI_ERR_INTERNAL', `the process on ${path} could not prove it belongs to this profile`)));
            return;
          }
          client.onMessage(message);
        },
        () => socket.destroy(),
      );
      socket.on('data', (chunk: string) => reader.push(chunk));
      socket.on('close', () => {
        settle(() => reject(new CliError('CLI_ERR_INTERNAL', `the sealpost process on ${path} closed the connection (wrong passphrase?)`)));
        client.end(new CliError('CLI_ERR_INTERRUPTED', 'the sealpost process holding the relay connection stopped'));
      });
    });
  }

  private listen(): void {
    this.socket.on('error', () => undefined);
  }

  private onMessage(message: Record<string, unknown>): void {
    if (message.t === 'event') {
      for (const listener of this.listeners) listener(message.event as SessionEvent);
      return;
    }
    if (message.t === 'result' && typeof message.rid === 'number') {
      const waiter = this.pending.get(message.rid);
      this.pending.delete(message.rid);
      if (message.ok === true) waiter?.resolve(message.result);
      else waiter?.reject(deserializeError(message.error as SerializedError));
    }
  }

  private end(error: CliError): void {
    if (this.endedWith !== undefined) return;
    this.endedWith = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    for (const waiter of this.endWaiters.splice(0)) waiter(error);
  }

  request(body: RequestBody): Promise<unknown> {
    if (this.endedWith !== undefined) return Promise.reject(this.endedWith);
    const rid = this.nextRid++;
    return new Promise((resolve, reject) => {
      this.pending.set(rid, { resolve, reject });
      this.socket.write(`${JSON.stringify({ ...body, rid })}\n`);
    });
  }

  onEvent(listener: (event: SessionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves with the error that ended the connection to the owner (when it stops). */
  ended(): Promise<CliError> {
    if (this.endedWith !== undefined) return Promise.resolve(this.endedWith);
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  close(): Promise<void> {
    this.end(new CliError('CLI_ERR_INTERRUPTED', 'closed'));
    return new Promise((resolve) => {
      if (this.socket.destroyed) resolve();
      else this.socket.end(() => resolve());
    });
  }
}
