/**
 * Registration under each policy, account and username lookups, and signed device-list updates,
 * over a real socket.
 */
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { accountResponseSchema, deviceListResponseSchema, deviceListUpdateResponseSchema, errorBodySchema, registerResponseSchema } from '../../../src/api/index.js';
import { answerChallenge, deviceListText, newDevice, newIdentity } from '../../support/crypto-fixtures.js';
import type { TestIdentity } from '../../support/crypto-fixtures.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import type { ConfigOverrides, Harness } from '../../support/relay-harness.js';
import { challenge, login, registerAccount } from '../../support/test-accounts.js';

const code = (body: unknown) => errorBodySchema.parse(body).error.code;

async function registrationBody(url: string, identity: TestIdentity, extra: Record<string, unknown> = {}, listVersion = 1) {
  const device = identity.devices[0]!;
  const c = await challenge(url);
  return {
    accountKey: identity.accountKeyText,
    deviceList: await deviceListText(identity, listVersion),
    deviceId: device.deviceId,
    nonce: c.nonce,
    signature: await answerChallenge(c, identity.account.accountId, device),
    ...extra,
  };
}

describe('registration (open policy)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({ limits: { maxDevicesPerAccount: 3 } });
  });
  afterAll(async () => {
    await h.stop();
  });
  const register = (json: unknown) => request(h.url, 'POST', '/v1/accounts', { json });

  it('registers an account whose id is derived from its key', async () => {
    const identity = await newIdentity([1, 2]);
    const result = await register(await registrationBody(h.url, identity, { username: 'Alice_1' }));
    expect(result.status).toBe(201);
    expect(registerResponseSchema.parse(result.body)).toEqual({ accountId: identity.account.accountId, username: 'Alice_1', deviceListVersion: 1 });
  });

  it('refuses a second account for the same key', async () => {
    const identity = await newIdentity();
    expect((await register(await registrationBody(h.url, identity))).status).toBe(201);
    const again = await register(await registrationBody(h.url, identity));
    expect(again.status).toBe(409);
    expect(code(again.body)).toBe('RELAY_ERR_ACCOUNT_EXISTS');
  });

  it('keeps usernames unique regardless of case and validates them', async () => {
    expect((await register(await registrationBody(h.url, await newIdentity(), { username: 'Carol.x' }))).status).toBe(201);
    const taken = await register(await registrationBody(h.url, await newIdentity(), { username: 'CAROL.X' }));
    expect(taken.status).toBe(409);
    expect(code(taken.body)).toBe('RELAY_ERR_USERNAME_TAKEN');
    for (const username of ['ab', '-dash', 'has space', 'ünï', 'x'.repeat(33)]) {
      const bad = await register(await registrationBody(h.url, await newIdentity(), { username }));
      expect(bad.status, username).toBe(400);
      expect(code(bad.body)).toBe('RELAY_ERR_USERNAME_INVALID');
    }
  });

  it('requires proof of possession by a listed device', async () => {
    const identity = await newIdentity([1]);
    const outsider = await newDevice(1);
    const c = await challenge(h.url);
    const forged = await register({
      ...(await registrationBody(h.url, identity)),
      nonce: c.nonce,
      signature: await answerChallenge(c, identity.account.accountId, outsider),
    });
    expect(forged.status).toBe(422);
    expect(code(forged.body)).toBe('RELAY_ERR_BAD_SIGNATURE');
    const notListed = await register(await registrationBody(h.url, identity, { deviceId: 7 }));
    expect(notListed.status).toBe(422);
    expect(code(notListed.body)).toBe('RELAY_ERR_DEVICE_LIST_INVALID');
  });

  it('refuses a device list not signed by the account key', async () => {
    const identity = await newIdentity();
    const other = await newIdentity();
    const result = await register(await registrationBody(h.url, identity, { deviceList: await deviceListText({ ...other, devices: identity.devices }, 1) }));
    expect(result.status).toBe(422);
    expect(code(result.body)).toBe('RELAY_ERR_BAD_SIGNATURE');
  });

  it('refuses malformed keys and lists with RELAY_ERR_INVALID_ENCODING', async () => {
    const identity = await newIdentity();
    const badKey = await register(await registrationBody(h.url, identity, { accountKey: 'AQID' }));
    expect(badKey.status).toBe(400);
    expect(code(badKey.body)).toBe('RELAY_ERR_INVALID_ENCODING');
    const badList = await register(await registrationBody(h.url, identity, { deviceList: 'AAAA' }));
    expect(code(badList.body)).toBe('RELAY_ERR_INVALID_ENCODING');
    const nonCanonical = await register(await registrationBody(h.url, identity, { deviceList: 'AB' }));
    expect(code(nonCanonical.body)).toBe('RELAY_ERR_INVALID_ENCODING');
  });

  it('refuses more devices than limits.maxDevicesPerAccount', async () => {
    const identity = await newIdentity([1, 2, 3, 4]);
    const result = await register(await registrationBody(h.url, identity));
    expect(result.status).toBe(422);
    expect(code(result.body)).toBe('RELAY_ERR_TOO_MANY_DEVICES');
  });
});

describe('registration policies', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });
  const start = async (overrides: ConfigOverrides) => {
    h = await startRelay(overrides);
    return h;
  };

  it('closed: refuses everyone', async () => {
    const relay = await start({ registration: { policy: 'closed' } });
    const result = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity()) });
    expect(result.status).toBe(403);
    expect(code(result.body)).toBe('RELAY_ERR_REGISTRATION_CLOSED');
  });

  it('invite: needs an unused invite token, consumed by one registration', async () => {
    const relay = await start({ registration: { policy: 'invite' } });
    const { token } = await relay.relay.services.admin.createInvite();
    const stored = await relay.relay.services.deps.storage.accounts.listInvites();
    // Only the hash of the token is stored.
    expect(stored[0]?.tokenHash).toEqual(new Uint8Array(createHash('sha256').update(token).digest()));

    const none = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity()) });
    expect(none.status).toBe(403);
    expect(code(none.body)).toBe('RELAY_ERR_INVITE_INVALID');
    const wrong = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: 'nope' }) });
    expect(code(wrong.body)).toBe('RELAY_ERR_INVITE_INVALID');
    const ok = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: token }) });
    expect(ok.status).toBe(201);
    const reused = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: token }) });
    expect(code(reused.body)).toBe('RELAY_ERR_INVITE_INVALID');
  });

  it('invite: a token made for N uses admits N registrations, and not after it expires', async () => {
    const relay = await start({ registration: { policy: 'invite' } });
    const team = await relay.relay.services.admin.createInvite({ maxUses: 2, ttlSeconds: 60 });
    const late = await relay.relay.services.admin.createInvite({ maxUses: 5, ttlSeconds: 60 });
    for (let i = 0; i < 2; i++) {
      const ok = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: team.token }) });
      expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    }
    const third = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: team.token }) });
    expect(code(third.body)).toBe('RELAY_ERR_INVITE_INVALID');
    relay.clock.advance(60_000);
    const expired = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity(), { invite: late.token }) });
    expect(code(expired.body)).toBe('RELAY_ERR_INVITE_INVALID');
  });

  it('rate-limits registrations per client address', async () => {
    const relay = await start({ rateLimits: { registerPerAddress: { limit: 1, windowMs: 3_600_000 } } });
    expect((await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity()) })).status).toBe(201);
    const limited = await request(relay.url, 'POST', '/v1/accounts', { json: await registrationBody(relay.url, await newIdentity()) });
    expect(limited.status).toBe(429);
    expect(code(limited.body)).toBe('RELAY_ERR_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('lookups and device lists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({ limits: { maxDevicesPerAccount: 3 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('looks accounts up by id and by username, case-insensitively', async () => {
    const alice = await registerAccount(h.url, { username: 'AliceLookup' });
    const bob = await registerAccount(h.url);
    const byId = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}`, { token: bob.token() });
    expect(accountResponseSchema.parse(byId.body)).toEqual({ accountId: alice.accountId, accountKey: alice.identity.accountKeyText, username: 'AliceLookup' });
    const byName = await request(h.url, 'GET', '/v1/usernames/alicelookup', { token: bob.token() });
    expect(accountResponseSchema.parse(byName.body).accountId).toBe(alice.accountId);
    const unknown = await request(h.url, 'GET', '/v1/usernames/nobody-here', { token: bob.token() });
    expect(unknown.status).toBe(404);
    expect(code(unknown.body)).toBe('RELAY_ERR_ACCOUNT_NOT_FOUND');
    const badId = await request(h.url, 'GET', '/v1/accounts/sp1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', { token: bob.token() });
    expect(badId.status).toBe(400);
    expect(code(badId.body)).toBe('RELAY_ERR_INVALID_REQUEST');
  });

  it('serves the signed device list and accepts only newer signed ones', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const list = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/device-list`, { token: alice.token() });
    expect(deviceListResponseSchema.parse(list.body)).toEqual({ accountId: alice.accountId, version: 1, deviceList: await deviceListText(alice.identity, 1) });

    const three = await newDevice(3);
    const v2 = await deviceListText(alice.identity, 2, [alice.device(1), three]);
    const update = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: v2 } });
    expect(update.status).toBe(200);
    expect(deviceListUpdateResponseSchema.parse(update.body)).toEqual({ version: 2, added: [3], removed: [2], replaced: [] });

    // The removed device's session ends at once; the new device can log in.
    const removed = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}`, { token: alice.token(2) });
    expect(code(removed.body)).toBe('RELAY_ERR_UNAUTHENTICATED');
    await login(h.url, alice.accountId, three);

    const same = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: await deviceListText(alice.identity, 2) } });
    expect(same.status).toBe(409);
    expect(code(same.body)).toBe('RELAY_ERR_DEVICE_LIST_VERSION');
    const older = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: await deviceListText(alice.identity, 1) } });
    expect(code(older.body)).toBe('RELAY_ERR_DEVICE_LIST_VERSION');
  });

  it('refuses device lists signed by another key or listing too many devices', async () => {
    const alice = await registerAccount(h.url);
    const mallory = await newIdentity();
    const forged = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: { deviceList: await deviceListText({ ...mallory, devices: alice.identity.devices }, 5) } });
    expect(forged.status).toBe(422);
    expect(code(forged.body)).toBe('RELAY_ERR_BAD_SIGNATURE');
    const many = [alice.device(), await newDevice(2), await newDevice(3), await newDevice(4)];
    const tooMany = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: { deviceList: await deviceListText(alice.identity, 5, many) } });
    expect(tooMany.status).toBe(422);
    expect(code(tooMany.body)).toBe('RELAY_ERR_TOO_MANY_DEVICES');
  });
});
