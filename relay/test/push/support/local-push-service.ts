/**
 * A push service on 127.0.0.1 over HTTPS (RFC 8030 §5: a push resource accepts POSTed messages)
 * that records every request it receives and answers with whatever the test scripted: a queue
 * of statuses per path (default 201 Created), silence (a hanging service), or an answer held
 * back until the test releases it (a slow service, to see what piles up meanwhile). Tests wait
 * for requests by count, never by time.
 */
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestCa } from './test-ca.js';

export interface ReceivedPush {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface ScriptedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

export class LocalPushService {
  readonly received: ReceivedPush[] = [];
  private readonly scripts = new Map<string, ScriptedAnswer[]>();
  private readonly hanging = new Set<string>();
  private readonly held: ServerResponse[] = [];
  private readonly holding = new Map<string, ServerResponse[]>();
  private waiters: Array<{ done: () => boolean; resolve: () => void }> = [];

  private readonly server: Server;
  private listeningPort = 0;

  private constructor(ca: TestCa) {
    this.server = createServer({ key: ca.serverKey, cert: ca.serverCert }, (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => this.handle(request.method ?? '', request.url ?? '', request.headers, Buffer.concat(chunks), response));
    });
  }

  static async start(ca: TestCa): Promise<LocalPushService> {
    const service = new LocalPushService(ca);
    await new Promise<void>((resolve) => service.server.listen(0, '127.0.0.1', resolve));
    service.listeningPort = (service.server.address() as AddressInfo).port;
    return service;
  }

  get port(): number {
    return this.listeningPort;
  }

  /** https://127.0.0.1:PORT — the origin a VAPID token for this service must name. */
  get origin(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  endpoint(path: string, host = '127.0.0.1'): string {
    return `https://${host}:${this.port}${path}`;
  }

  /** The next requests to `path` get these answers, in order; then 201 again. */
  script(path: string, ...answers: Array<number | ScriptedAnswer>): void {
    const queue = this.scripts.get(path) ?? [];
    queue.push(...answers.map((a) => (typeof a === 'number' ? { status: a } : a)));
    this.scripts.set(path, queue);
  }

  /** Requests to `path` are read and never answered. */
  hang(path: string): void {
    this.hanging.add(path);
  }

  /** Requests to `path` are read and left unanswered until release(path). */
  hold(path: string): void {
    if (!this.holding.has(path)) this.holding.set(path, []);
  }

  /** Answers the requests held at `path` (201 unless scripted) and stops holding new ones. */
  release(path: string): void {
    const responses = this.holding.get(path) ?? [];
    this.holding.delete(path);
    for (const response of responses) this.answer(path, response);
  }

  receivedAt(path: string): ReceivedPush[] {
    return this.received.filter((r) => r.path === path);
  }

  /** Resolves once `count` requests in total have been received. */
  waitForRequests(count: number): Promise<void> {
    return this.waitUntil(() => this.received.length >= count);
  }

  /** Resolves once `count` requests to `path` have been received. */
  waitForRequestsAt(path: string, count: number): Promise<void> {
    return this.waitUntil(() => this.receivedAt(path).length >= count);
  }

  private waitUntil(done: () => boolean): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ done, resolve }));
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, body: Buffer, response: ServerResponse): void {
    this.received.push({ method, path, headers, body });
    const ready = this.waiters.filter((w) => w.done());
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    const holding = this.holding.get(path);
    if (this.hanging.has(path)) this.held.push(response);
    else if (holding !== undefined) holding.push(response);
    else this.answer(path, response);
    for (const waiter of ready) waiter.resolve();
  }

  private answer(path: string, response: ServerResponse): void {
    const answer = this.scripts.get(path)?.shift() ?? { status: 201 };
    response.writeHead(answer.status, answer.headers ?? {});
    response.end();
  }

  async close(): Promise<void> {
    for (const response of [...this.held, ...[...this.holding.values()].flat()]) response.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
