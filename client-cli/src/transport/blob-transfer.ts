/**
 * Streaming transfers of media objects to and from the URLs the relay issues (docs/media.md
 * "Backends"): a PUT whose body is an async iterable, and a GET into a writable stream. Both keep
 * memory flat whatever the size: the PUT asks its source for at most one piece beyond what the
 * socket has taken and waits for `drain` (so encryption runs only as fast as the network takes
 * it, overlapping with it), and the GET is piped with
 * backpressure. node:http / node:https as in ./http-request.ts (no undici at start-up).
 *
 * Failures, as CLI errors a user can act on:
 * - the URL's answer: the relay's JSON error body (RelayRefusal, mapped by relay-errors.ts), or
 *   for an S3 endpoint's XML answer the status alone (403 "expired" = CLI_ERR_MEDIA_URL_EXPIRED);
 * - a connection lost after bytes went through: CLI_ERR_MEDIA_TRUNCATED (nothing was stored or
 *   saved, so the command can simply run again); lost before: CLI_ERR_RELAY_UNREACHABLE;
 * - a download longer than declared: CLI_ERR_MEDIA_DIGEST_MISMATCH, stopped at once.
 * An error thrown by the PUT's source (e.g. the file changed while being read) aborts the
 * request and is rethrown as it is.
 */
import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError } from '../errors.js';
import { RelayRefusal, unreachable } from './relay-errors.js';
import { checkErrorBody, parser } from './wire-checks.js';

/** A transfer with no byte moving for this long counts as lost. */
export const TRANSFER_IDLE_TIMEOUT_MS = 30_000;
/** Most bytes of an error answer read (the relay's JSON or an S3 XML body are far smaller). */
const MAX_ERROR_BODY = 64 * 1024;
/** Errors that mean the URL's server was never reached. */
const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID']);

const ERROR_BODY = parser(checkErrorBody);

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface TransferOptions {
  /** Aborts the transfer (Ctrl-C): it then fails with CLI_ERR_INTERRUPTED. */
  readonly signal: AbortSignal;
  /** Bytes moved so far, after each piece. */
  readonly onBytes: (bytes: number) => void;
  /**
   * getBlob only: sees each piece of the answer before it is written out (e.g. to hash it as it
   * arrives); if it throws, the download stops with that error.
   */
  readonly onChunk?: (chunk: Uint8Array) => void;
}

function open(url: URL, method: 'PUT' | 'GET', headers: Record<string, string>, signal: AbortSignal): ClientRequest {
  // agent: false, as in http-request.ts: no kept-alive socket the server may have closed.
  const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, agent: false, headers, signal });
  request.setTimeout(TRANSFER_IDLE_TIMEOUT_MS, () => request.destroy(Object.assign(new Error(`nothing moved for ${TRANSFER_IDLE_TIMEOUT_MS} ms`), { code: 'ETIMEDOUT' })));
  return request;
}

function readBody(response: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (text.length < MAX_ERROR_BODY) text += chunk;
    });
    response.on('end', () => resolve(text));
    // An answer cut short still says what it says so far.
    response.on('error', () => resolve(text));
    response.on('aborted', () => resolve(text));
  });
}

/** The error for a non-2xx answer of a media URL. */
export function blobRefusal(url: URL, answer: Answer): Error {
  let json: unknown;
  try {
    json = JSON.parse(answer.body);
  } catch {
    json = undefined;
  }
  const parsed = json === undefined ? undefined : ERROR_BODY.safeParse(json);
  if (parsed?.success === true) return new RelayRefusal({ code: parsed.data.error.code, message: parsed.data.error.message, details: parsed.data.error.details });
  // An S3 endpoint answers XML: <Code>AccessDenied</Code><Message>Request has expired</Message>.
  if (answer.status === 403 && /expired/i.test(answer.body)) return new CliError('CLI_ERR_MEDIA_URL_EXPIRED', `${url.host}: HTTP 403`);
  if (answer.status === 404) return new CliError('CLI_ERR_MEDIA_NOT_FOUND', `${url.host}: HTTP 404`);
  return new CliError('CLI_ERR_RELAY_REFUSED', `${url.host}: HTTP ${answer.status}`, { status: answer.status });
}

/** A transport failure: nothing reached the server, or a transfer that broke off part-way. */
function lost(url: URL, error: unknown, moved: number): CliError {
  if ((error as { name?: unknown }).name === 'AbortError') return new CliError('CLI_ERR_INTERRUPTED', 'the transfer was stopped', undefined, { cause: error });
  const code = (error as { code?: unknown }).code;
  if (moved === 0 && typeof code === 'string' && NOT_REACHED.has(code)) return unreachable(url.origin, error);
  const reason = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
  return new CliError('CLI_ERR_MEDIA_TRUNCATED', `${moved} bytes went through before the connection was lost (${reason})`, { bytes: moved, reason }, { cause: error });
}

/** The answer to `request`: settles once its body is read; rejects if none comes. */
function answerOf(request: ClientRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    const onClose = (): void => reject(Object.assign(new Error('the connection closed without an answer'), { code: 'ECONNRESET' }));
    request.once('error', onError);
    request.once('close', onClose);
    request.once('response', (response) => {
      // From here on the answer decides, even if the connection then closes.
      request.off('error', onError);
      request.off('close', onClose);
      request.on('error', () => undefined);
      void readBody(response).then((body) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
  });
}

/** True once the request can take more; false if it closed or failed instead. */
function writable(request: ClientRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (value: boolean) => () => {
      request.off('drain', onDrain);
      request.off('close', onClose);
      request.off('error', onClose);
      resolve(value);
    };
    const onDrain = done(true);
    const onClose = done(false);
    request.once('drain', onDrain);
    request.once('close', onClose);
    request.once('error', onClose);
  });
}

/** Hands `piece` (one array, or several in order) to the request; false when its buffer is full. */
function writePiece(request: ClientRequest, piece: Uint8Array | readonly Uint8Array[]): boolean {
  if (piece instanceof Uint8Array) return request.write(piece);
  // Corked: the socket gets all of them in one writev.
  request.cork();
  let more = true;
  for (const part of piece) more = request.write(part);
  request.uncork();
  return more;
}

function pieceLength(piece: Uint8Array | readonly Uint8Array[]): number {
  if (piece instanceof Uint8Array) return piece.length;
  let length = 0;
  for (const part of piece) length += part.length;
  return length;
}

/**
 * PUTs `body` (exactly `size` bytes) to `url` with the headers the relay gave. Each item of the
 * body is one array or a list of arrays to send in order. Resolves on a 2xx answer.
 */
export async function putBlob(url: string, headers: Readonly<Record<string, string>>, size: number, body: AsyncIterable<Uint8Array | readonly Uint8Array[]>, options: TransferOptions): Promise<void> {
  const target = new URL(url);
  const request = open(target, 'PUT', { 'content-type': 'application/octet-stream', ...headers, 'content-length': String(size) }, options.signal);
  const answer = answerOf(request);
  answer.catch(() => undefined); // awaited below; an early rejection must not go unhandled
  const source = body[Symbol.asyncIterator]();
  let sent = 0;
  let broken = false;
  // One piece of read-ahead: the next piece is asked for as soon as the current one is handed to
  // the socket, so producing it (reading and encrypting) overlaps with the socket draining.
  // Memory stays flat: at most one piece waits besides the socket's own buffer.
  const ask = (): Promise<IteratorResult<Uint8Array | readonly Uint8Array[]>> => {
    const promise = source.next();
    promise.catch(() => undefined); // handled where it is awaited; never an unhandled rejection meanwhile
    return promise;
  };
  let upcoming = ask();
  for (;;) {
    let next: IteratorResult<Uint8Array | readonly Uint8Array[]>;
    try {
      next = await upcoming;
    } catch (error) {
      request.destroy();
      throw error;
    }
    if (next.done === true) break;
    // The server may answer early (a refused size, an expired URL) and close the connection.
    if (request.destroyed || request.writableEnded) {
      broken = true;
      break;
    }
    const more = writePiece(request, next.value);
    sent += pieceLength(next.value);
    options.onBytes(sent);
    upcoming = ask();
    if (!more && !(await writable(request))) {
      broken = true;
      break;
    }
  }
  if (broken) {
    // Let the piece being produced settle (its failure no longer matters), then stop the source.
    await upcoming.catch(() => undefined);
    await source.return?.();
  } else {
    request.end();
  }
  let result: Answer;
  try {
    result = await answer;
  } catch (error) {
    throw lost(target, error, sent);
  }
  if (result.status >= 200 && result.status < 300) return;
  throw blobRefusal(target, result);
}

/**
 * GETs `url` into `out`, refusing more than `expectedSize` bytes. Resolves once exactly
 * `expectedSize` bytes were written (and `out` finished).
 */
export async function getBlob(url: string, out: Writable, expectedSize: number, options: TransferOptions): Promise<void> {
  const target = new URL(url);
  const request = open(target, 'GET', { accept: 'application/octet-stream' }, options.signal);
  let received = 0;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('error', (error) => reject(lost(target, error, 0)));
    request.end();
  });
  if (response.statusCode !== 200) {
    const body = await readBody(response);
    out.destroy();
    throw blobRefusal(target, { status: response.statusCode ?? 0, headers: response.headers, body });
  }
  const declared = response.headers['content-length'];
  if (declared !== undefined && Number(declared) !== expectedSize) {
    response.destroy();
    out.destroy();
    throw new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', `the relay serves ${declared} bytes, the message says ${expectedSize}`);
  }
  let chunkError: unknown;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      // Stop a runaway answer at once rather than store more than the pointer allows.
      if (received > expectedSize) {
        callback(new CliError('CLI_ERR_MEDIA_DIGEST_MISMATCH', `more than the ${expectedSize} bytes the message declares`));
        return;
      }
      try {
        options.onChunk?.(chunk);
      } catch (error) {
        chunkError = error;
        callback(error as Error);
        return;
      }
      options.onBytes(received);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, counter, out);
  } catch (error) {
    request.destroy();
    if (chunkError !== undefined) throw chunkError;
    if (error instanceof CliError) throw error;
    // A write to the local file failing is a local problem, not a lost connection.
    if ((error as { syscall?: unknown }).syscall === 'write' || (error as { syscall?: unknown }).syscall === 'open') {
      throw new CliError('CLI_ERR_FILE_WRITE', `${(error as NodeJS.ErrnoException).code ?? 'write failed'}`, undefined, { cause: error });
    }
    throw lost(target, error, received);
  }
  if (received !== expectedSize) throw new CliError('CLI_ERR_MEDIA_TRUNCATED', `${received} of ${expectedSize} bytes arrived`, { bytes: received, expected: expectedSize });
}
