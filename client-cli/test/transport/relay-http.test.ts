// RelayHttp against a small local HTTP server: answers, refusals, re-authentication, failures.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RelayRefusal } from '../../src/transport/relay-errors.js';
import { RelayHttp } from '../../src/transport/relay-http.js';

const alice = 'sp1c9gwc3kty36ifxkkweu4z9wkn9va892ymidyy';
let server: Server | undefined;

afterEach(async () => {
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  server = undefined;
});

async function relay(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

function reply(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

describe('RelayHttp', () => {
  it('returns checked answers and ignores fields it does not know', async () => {
    const url = await relay((_req, res) => reply(res, 200, { accountId: alice, accountKey: 'AQID', username: 'alice', since: 2024 }));
    const http = new RelayHttp(url);
    http.setToken('t');
    expect(await http.account(alice)).toEqual({ accountId: alice, accountKey: 'AQID', username: 'alice' });
  });

  it('turns an error body into a RelayRefusal with the retry delay', async () => {
    const url = await relay((_req, res) => reply(res, 429, { error: { code: 'RELAY_ERR_RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '3' }));
    const error = await new RelayHttp(url).challenge().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RelayRefusal);
    expect((error as RelayRefusal).info).toMatchObject({ code: 'RELAY_ERR_RATE_LIMITED', retryAfterMs: 3000 });
  });

  it('signs in again once when the relay refuses the cached token', async () => {
    const seen: Array<string | undefined> = [];
    const url = await relay((req, res) => {
      seen.push(req.headers.authorization);
      if (req.headers.authorization === 'Bearer fresh') reply(res, 200, { accountIds: [] });
      else reply(res, 401, { error: { code: 'RELAY_ERR_SESSION_EXPIRED', message: 'expired' } });
    });
    const http = new RelayHttp(url);
    const asked: boolean[] = [];
    http.setAuthenticator(async (fresh) => {
      asked.push(fresh);
      return fresh ? 'fresh' : 'stale';
    });
    expect(await http.presenceViewers()).toEqual({ accountIds: [] });
    expect(asked).toEqual([false, true]);
    expect(seen).toEqual(['Bearer stale', 'Bearer fresh']);
  });

  it('reports a malformed answer as a protocol error, and no relay as unreachable', async () => {
    const url = await relay((_req, res) => reply(res, 200, { nonce: 42 }));
    await expect(new RelayHttp(url).challenge()).rejects.toMatchObject({ code: 'CLI_ERR_RELAY_PROTOCOL', exitCode: 3 });
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(new RelayHttp(url).challenge()).rejects.toMatchObject({ code: 'CLI_ERR_RELAY_UNREACHABLE', exitCode: 3, data: { reason: 'ECONNREFUSED' } });
  });
});
