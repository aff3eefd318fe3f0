/**
 * A TCP proxy in front of a test relay that can break media transfers on purpose, for the CLI's
 * fault tests: it cuts an upload or a download after a number of bytes (a dropped connection),
 * or holds a transfer back before it reaches the relay (so its signed URL expires on the way).
 *
 * The relay is started with `server.publicOrigin` set to the proxy's origin, so every URL it
 * issues (and the origin clients sign in for) points through the proxy. The CLI opens one
 * connection per HTTP request (no keep-alive), so each connection is one request: the proxy
 * reads its request line and applies the fault set for that kind of request. Everything else
 * (the JSON API, the WebSocket) passes through untouched.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export interface ProxyFaults {
  /** A `PUT /v1/media/blob/…`: forward this many bytes of the request (headers included), then drop both sides. */
  cutUploadAfter?: number;
  /** A `GET /v1/media/blob/…`: forward this many bytes of the answer (headers included), then drop both sides. */
  cutDownloadAfter?: number;
  /** A media blob request of either kind: hold it this long before it reaches the relay. */
  holdBlobMs?: number;
}

const BLOB_REQUEST = /^(PUT|GET) \/v1\/media\/blob\//;

export class FaultProxy {
  faults: ProxyFaults = {};
  /** Blob requests cut or held so far (a test checks its fault really happened). */
  readonly applied: string[] = [];
  private target = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FaultProxy> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the proxy has no port');
    const proxy = new FaultProxy(server, address.port);
    server.on('connection', (socket) => proxy.accept(socket));
    return proxy;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Where the relay listens (known once it started). */
  forwardTo(port: number): void {
    this.target = port;
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(client: Socket): void {
    this.track(client);
    client.once('data', (first: Buffer) => {
      // Nothing more is read until the upstream connection is there (pipe resumes).
      client.pause();
      const kind = BLOB_REQUEST.exec(first.toString('latin1'))?.[1];
      const faults = { ...this.faults };
      const start = (): void => this.pipe(client, first, kind, faults);
      if (kind !== undefined && faults.holdBlobMs !== undefined) {
        this.applied.push(`hold ${kind}`);
        setTimeout(start, faults.holdBlobMs);
      } else {
        start();
      }
    });
  }

  private pipe(client: Socket, first: Buffer, kind: string | undefined, faults: ProxyFaults): void {
    const upstream = connect(this.target, '127.0.0.1');
    this.track(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    // One direction of the proxy: forwards bytes until `limit` (if any), then sends the part
    // that fits, stops reading and closes both sockets once it is written.
    const forwarder = (from: Socket, to: Socket, limit: number | undefined, label: string) => {
      let forwarded = 0;
      return (chunk: Buffer): void => {
        if (limit !== undefined && forwarded + chunk.length >= limit) {
          to.write(chunk.subarray(0, limit - forwarded), drop);
          this.applied.push(label);
          from.removeAllListeners('data');
          return;
        }
        forwarded += chunk.length;
        to.write(chunk);
      };
    };
    const forwardUp = forwarder(client, upstream, kind === 'PUT' ? faults.cutUploadAfter : undefined, 'cut PUT');
    client.on('data', forwardUp);
    upstream.on('data', forwarder(upstream, client, kind === 'GET' ? faults.cutDownloadAfter : undefined, 'cut GET'));
    upstream.on('connect', () => {
      forwardUp(first);
      client.resume();
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
