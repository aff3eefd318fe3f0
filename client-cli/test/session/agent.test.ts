// The local agent over a real Unix socket: mutual authentication, requests, events, ownership.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CryptoSuite } from '@sealpost/crypto';
import { CliError } from '../../src/errors.js';
import { AgentClient } from '../../src/session/agent-client.js';
import type { ClientRequest } from '../../src/session/agent-protocol.js';
import { AgentServer } from '../../src/session/agent-server.js';
import type { SessionEvent } from '../../src/session/events.js';
import { testCrypto } from '../support/store.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
let suite: CryptoSuite;
const key = new Uint8Array(32).fill(7);
const open: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  suite = await testCrypto();
});
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
  temp.cleanup();
});

function fakeOwner(): { handle: (r: ClientRequest) => Promise<unknown>; emit: (e: SessionEvent) => void; subscribe: (l: (e: SessionEvent) => void) => () => void } {
  const listeners = new Set<(e: SessionEvent) => void>();
  return {
    handle: async (request) => {
      if (request.t === 'send' && request.body === 'boom') throw new CliError('CLI_ERR_UNTRUSTED_IDENTITY', 'changed', { contact: request.contact });
      return { echoed: request };
    },
    emit: (event) => listeners.forEach((l) => l(event)),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

async function owner(path: string) {
  const server = await AgentServer.bind(path, suite, key);
  expect(server).toBeDefined();
  open.push(server!);
  const handler = fakeOwner();
  server!.attach(handler);
  return handler;
}

describe('local agent', () => {
  it('serves requests and forwards events to an authenticated client', async () => {
    const path = join(temp.make(), 'run', 'agent.sock');
    const handler = await owner(path);
    const client = await AgentClient.connect(path, suite, key);
    expect(client).toBeDefined();
    open.push(client!);
    expect(client!.ownerPid).toBe(process.pid);
    expect(await client!.request({ t: 'send', contact: 'sp1x', body: 'hi' })).toEqual({ echoed: { t: 'send', contact: 'sp1x', body: 'hi', rid: 1 } });
    await expect(client!.request({ t: 'send', contact: 'sp1x', body: 'boom' })).rejects.toMatchObject({ code: 'CLI_ERR_UNTRUSTED_IDENTITY', exitCode: 4, data: { contact: 'sp1x' } });

    const events: SessionEvent[] = [];
    client!.onEvent((e) => events.push(e));
    // The owner subscribed the client before it sent `ready`, so nothing emitted now is missed.
    handler.emit({ type: 'drained' });
    await expect.poll(() => events).toEqual([{ type: 'drained' }]);
  });

  it('finds no owner when nobody listens', async () => {
    expect(await AgentClient.connect(join(temp.make(), 'agent.sock'), suite, key)).toBeUndefined();
  });

  it('lets exactly one process own the socket, and replaces one left by a crash', async () => {
    const dir = temp.make();
    const path = join(dir, 'agent.sock');
    await owner(path);
    expect(await AgentServer.bind(path, suite, key)).toBeUndefined();

    const stalePath = join(dir, 'stale.sock');
    writeFileSync(stalePath, ''); // not a socket anyone listens on
    const server = await AgentServer.bind(stalePath, suite, key);
    expect(server).toBeDefined();
    open.push(server!);
  });

  it('refuses a client without the profile key, and a client refuses an owner without it', async () => {
    const path = join(temp.make(), 'agent.sock');
    await owner(path);
    await expect(AgentClient.connect(path, suite, new Uint8Array(32).fill(8))).rejects.toBeInstanceOf(CliError);

    const otherPath = join(temp.make(), 'agent.sock');
    const impostor = await AgentServer.bind(otherPath, suite, new Uint8Array(32).fill(9));
    open.push(impostor!);
    impostor!.attach(fakeOwner());
    await expect(AgentClient.connect(otherPath, suite, key)).rejects.toBeInstanceOf(CliError);
  });

  it('ends clients when the owner closes, and removes the socket file', async () => {
    const path = join(temp.make(), 'agent.sock');
    const server = await AgentServer.bind(path, suite, key);
    server!.attach(fakeOwner());
    const client = await AgentClient.connect(path, suite, key);
    open.push(client!);
    const ended = client!.ended();
    await server!.close();
    expect((await ended).code).toBe('CLI_ERR_INTERRUPTED');
    expect(existsSync(path)).toBe(false);
  });
});
