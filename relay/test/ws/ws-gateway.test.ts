/**
 * The WebSocket edge over real sockets: authentication in the upgrade, the hello frame, and each
 * close code the gateway and connections use (docs/close-codes.md).
 */
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { errorBodySchema, helloFrameSchema } from '../../src/api/index.js';
import { deviceListText, newDevice } from '../support/crypto-fixtures.js';
import { request } from '../support/http-client.js';
import { useRelayPerTest } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { TestSocket, connect, refusedUpgrade } from '../support/ws-client.js';

describe('WebSocket gateway', () => {
  const start = useRelayPerTest();

  it('refuses upgrades without a valid session token, or on another path', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url);
    const none = await refusedUpgrade(relay.wsUrl);
    expect(none.status).toBe(401);
    expect(errorBodySchema.parse(none.body).error.code).toBe('RELAY_ERR_UNAUTHENTICATED');
    const forged = await refusedUpgrade(relay.wsUrl, { authorization: `Bearer ${alice.token()}x` });
    expect(errorBodySchema.parse(forged.body).error.code).toBe('RELAY_ERR_UNAUTHENTICATED');
    const path = await refusedUpgrade(relay.wsUrl.replace('/v1/ws', '/v1/other'), { authorization: `Bearer ${alice.token()}` });
    expect(path.status).toBe(404);
    expect(errorBodySchema.parse(path.body).error.code).toBe('RELAY_ERR_NOT_FOUND');
  });

  it('greets an authenticated device with its limits, then says its empty queue is drained', async () => {
    const relay = await start({ delivery: { window: 7 } });
    const alice = await registerAccount(relay.url, { deviceIds: [3] });
    const socket = await connect(relay.wsUrl, alice.token(3));
    const hello = helloFrameSchema.parse(socket.frames[0]);
    expect(hello).toMatchObject({ accountId: alice.accountId, deviceId: 3, window: 7, maxEnvelopeBytes: 65_536 });
    await socket.next('drained');
    await socket.close();
  });

  it('closes an older connection of the same device with 4009', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url);
    const first = await connect(relay.wsUrl, alice.token());
    const second = await connect(relay.wsUrl, alice.token());
    expect(await first.closed).toEqual({ code: 4009, reason: 'RELAY_ERR_CONNECTION_REPLACED' });
    second.send({ v: 1, type: 'ping', id: 'still-here' });
    expect(await second.next('pong')).toEqual({ v: 1, type: 'pong', id: 'still-here' });
    await second.close();
  });

  it('keeps exactly one of several connections of a device opened at the same time', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url);
    // Raw sockets: a connection replaced during its start may never get as far as its hello.
    const sockets = Array.from({ length: 4 }, () => new TestSocket(new WebSocket(relay.wsUrl, { headers: { authorization: `Bearer ${alice.token()}` } })));
    await Promise.all(sockets.map((s) => new Promise((resolve) => s.socket.once('open', resolve))));
    const codes: number[] = [];
    for (const s of sockets) void s.closed.then((c) => codes.push(c.code));
    await expect.poll(() => codes.length).toBe(3);
    expect(codes).toEqual([4009, 4009, 4009]);
    await expect.poll(() => relay.relay.gateway.connectionCount).toBe(1);
    const survivor = sockets.find((x) => x.socket.readyState === x.socket.OPEN)!;
    survivor.send({ v: 1, type: 'ping', id: 'alive' });
    expect(await survivor.next('pong')).toMatchObject({ id: 'alive' });
    await survivor.close();
  });

  it('closes a device removed from its device list with 4003', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const socket = await connect(relay.wsUrl, alice.token(2));
    const update = await request(relay.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: await deviceListText(alice.identity, 2, [alice.device(1)]) } });
    expect(update.status).toBe(200);
    expect(await socket.closed).toEqual({ code: 4003, reason: 'RELAY_ERR_DEVICE_REMOVED' });
    // A device whose keys were replaced under the same id is closed the same way.
    const again = await connect(relay.wsUrl, alice.token(1));
    const replacement = await newDevice(1);
    await request(relay.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: await deviceListText(alice.identity, 3, [replacement]) } });
    expect((await again.closed).code).toBe(4003);
  });

  it('finds a dead peer by heartbeat and closes it with 4501', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 100 } });
    const alice = await registerAccount(relay.url);
    // autoPong off: this client never answers pings, like a vanished peer.
    const raw = new WebSocket(relay.wsUrl, { headers: { authorization: `Bearer ${alice.token()}` }, autoPong: false });
    const socket = new TestSocket(raw);
    await socket.next('hello');
    expect((await socket.closed).code).toBe(4501);
    await expect.poll(() => relay.relay.gateway.connectionCount).toBe(0);
  });

  it('keeps a responsive peer connected across heartbeats', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 50 } });
    const alice = await registerAccount(relay.url);
    const socket = await connect(relay.wsUrl, alice.token());
    let pings = 0;
    socket.socket.on('ping', () => pings++);
    await expect.poll(() => pings, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    socket.send({ v: 1, type: 'ping' });
    await socket.next('pong');
    await socket.close();
  });

  it('answers every send already received before closing with 1001 on shutdown', async () => {
    const relay = await start();
    const [alice, bob] = [await registerAccount(relay.url), await registerAccount(relay.url)];
    const socket = await connect(relay.wsUrl, alice.token());
    const clientIds = Array.from({ length: 40 }, (_, i) => `s${i}`);
    for (const clientId of clientIds) socket.send({ v: 1, type: 'send', clientId, to: bob.accountId, copies: [{ deviceId: 1, ciphertext: 'AAAA' }] });
    // Frames are handled in arrival order: once the pong is back, every send above is in flight.
    socket.send({ v: 1, type: 'ping' });
    await socket.next('pong');
    const closing = relay.relay.close();
    expect(await socket.closed).toEqual({ code: 1001, reason: 'RELAY_ERR_SHUTTING_DOWN' });
    await closing;
    const answered = socket.frames.filter((f) => f.type === 'sent').map((f) => (f.type === 'sent' ? f.clientId : ''));
    expect(answered.sort()).toEqual([...clientIds].sort());
  });

  it('closes every connection with 1001 on shutdown', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url);
    const socket = await connect(relay.wsUrl, alice.token());
    const closing = relay.relay.close();
    expect(await socket.closed).toEqual({ code: 1001, reason: 'RELAY_ERR_SHUTTING_DOWN' });
    await closing;
  });
});
