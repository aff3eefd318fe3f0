/**
 * A device removed where no bus event reaches the relay — an operator command in another process
 * writing the same database, simulated here by writing the relay's storage directly — cannot go
 * on using an open connection: its next send or read closes it with 4003 and stores nothing, an
 * idle connection closes at the next heartbeat, and its token stops working over HTTP at once.
 * (The real cross-process case runs the real executable: relay/test/cli/relay-admin.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { request } from '../support/http-client.js';
import { useRelayPerTest } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

const REMOVED = { code: 4003, reason: 'RELAY_ERR_DEVICE_REMOVED' };

describe('devices removed behind the relay\'s back', () => {
  const start = useRelayPerTest();

  it('closes the connection at its next send, storing nothing', async () => {
    // A heartbeat far away: only the send can notice.
    const relay = await start({ presence: { heartbeatIntervalMs: 3_600_000 } });
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(relay.url);
    const socket = await connect(relay.wsUrl, alice.token(2));
    await socket.next('drained');
    expect(await relay.relay.services.deps.storage.accounts.removeDevice({ accountId: alice.accountId, deviceId: 2 })).toBe(true);

    socket.send({ v: 1, type: 'send', clientId: 'after-removal', to: bob.accountId, copies: [{ deviceId: 1, ciphertext: 'AAAA' }], selfCopies: [{ deviceId: 1, ciphertext: 'AAAA' }] });
    expect(await socket.closed).toEqual(REMOVED);
    expect(socket.frames.filter((f) => f.type === 'sent' || f.type === 'error')).toEqual([]);
    expect(await relay.relay.services.deps.storage.messages.stats({ accountId: bob.accountId, deviceId: 1 })).toEqual({ count: 0, bytes: 0 });
    const http = await request(relay.url, 'GET', `/v1/accounts/${bob.accountId}`, { token: alice.token(2) });
    expect(http.status).toBe(401);
  });

  it('closes the connection at its next read report', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 3_600_000 } });
    const alice = await registerAccount(relay.url);
    const socket = await connect(relay.wsUrl, alice.token());
    await socket.next('drained');
    await relay.relay.services.deps.storage.accounts.removeDevice({ accountId: alice.accountId, deviceId: 1 });
    socket.send({ v: 1, type: 'read', messageIds: ['m1'] });
    expect(await socket.closed).toEqual(REMOVED);
  });

  it('closes at once when the removal goes through the relay\'s own admin service (bus event)', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 3_600_000 } });
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2], username: 'alice' });
    const bob = await registerAccount(relay.url);
    const [two, bobs] = [await connect(relay.wsUrl, alice.token(2)), await connect(relay.wsUrl, bob.token())];
    expect(await relay.relay.services.admin.removeDevice('alice', 2)).toEqual({ accountId: alice.accountId, deviceId: 2 });
    expect(await two.closed).toEqual(REMOVED);
    expect(await relay.relay.services.admin.deleteAccount(bob.accountId)).toMatchObject({ accountId: bob.accountId, devices: 1 });
    expect(await bobs.closed).toEqual(REMOVED);
  });

  it('closes an idle connection at the next heartbeat, also when the whole account is deleted', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 100 } });
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const carol = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const idle = await connect(relay.wsUrl, alice.token(1));
    const kept = await connect(relay.wsUrl, alice.token(2));
    const carols = [await connect(relay.wsUrl, carol.token(1)), await connect(relay.wsUrl, carol.token(2))];
    const { accounts } = relay.relay.services.deps.storage;
    await accounts.removeDevice({ accountId: alice.accountId, deviceId: 1 });
    await accounts.deleteAccount(carol.accountId);
    expect(await idle.closed).toEqual(REMOVED);
    for (const socket of carols) expect(await socket.closed).toEqual(REMOVED);

    // The other device of alice survives heartbeats and still works.
    let pings = 0;
    kept.socket.on('ping', () => pings++);
    await expect.poll(() => pings).toBeGreaterThanOrEqual(2);
    kept.send({ v: 1, type: 'ping', id: 'alive' });
    expect(await kept.next('pong')).toMatchObject({ id: 'alive' });
    await kept.close();
  });
});
