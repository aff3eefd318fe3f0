/**
 * Provisioning channels over real sockets: opening (auth, per-address rate limit), the exchange
 * in both directions with long polls, who may play which role, every limit, expiry, closing,
 * aborted and shut-down long polls, and a whole device link following docs/api.md.
 */
import { toBase64Url } from '@sealpost/crypto/public';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, provisioningChannelSchema, provisioningMessageSchema } from '../../../src/api/index.js';
import { deviceListText, newDevice } from '../../support/crypto-fixtures.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import type { Harness } from '../../support/relay-harness.js';
import { login, registerAccount } from '../../support/test-accounts.js';
import type { TestAccount } from '../../support/test-accounts.js';
import { connect } from '../../support/ws-client.js';

const code = (body: unknown) => errorBodySchema.parse(body).error.code;
const blob = (text: string) => toBase64Url(new TextEncoder().encode(text));
const unblob = (body: unknown) => Buffer.from(provisioningMessageSchema.parse(body).ciphertext, 'base64url').toString('utf8');

async function open(h: Harness, account: TestAccount, deviceId?: number) {
  const result = await request(h.url, 'POST', '/v1/provisioning', { token: account.token(deviceId) });
  expect(result.status, JSON.stringify(result.body)).toBe(201);
  return provisioningChannelSchema.parse(result.body);
}

const messages = (channelId: string, role: string) => `/v1/provisioning/${channelId}/messages/${role}`;

describe('provisioning routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({ provisioning: { ttlSeconds: 60, maxMessageBytes: 64, maxMessagesPerRole: 2 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('opens a channel for an authenticated device only', async () => {
    const alice = await registerAccount(h.url);
    const channel = await open(h, alice);
    expect(channel.channelId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(channel.expiresAt).toBe(h.clock() + 60_000);
    expect((await open(h, alice)).channelId).not.toBe(channel.channelId);
    const anonymous = await request(h.url, 'POST', '/v1/provisioning');
    expect(anonymous.status).toBe(401);
    expect(code(anonymous.body)).toBe('RELAY_ERR_UNAUTHENTICATED');
  });

  it('carries messages both ways, oldest first, each once; the joiner needs no token', async () => {
    const alice = await registerAccount(h.url);
    const { channelId } = await open(h, alice);
    // The joiner waits before anything was sent (long poll); the initiator's PUT wakes it.
    const waiting = request(h.url, 'GET', `${messages(channelId, 'joiner')}?waitMs=20000`);
    await expect.poll(async () => (await h.relay.services.deps.provisioning.stats()).waiting).toBe(1);
    const put = await request(h.url, 'PUT', messages(channelId, 'initiator'), { token: alice.token(), json: { ciphertext: blob('hello joiner') } });
    expect(put.status).toBe(204);
    const got = await waiting;
    expect(got.status).toBe(200);
    expect(unblob(got.body)).toBe('hello joiner');

    for (const text of ['one', 'two']) {
      expect((await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: blob(text) } })).status).toBe(204);
    }
    const first = await request(h.url, 'GET', messages(channelId, 'initiator'), { token: alice.token() });
    const second = await request(h.url, 'GET', `${messages(channelId, 'initiator')}?waitMs=0`, { token: alice.token() });
    expect([unblob(first.body), unblob(second.body)]).toEqual(['one', 'two']);
    const none = await request(h.url, 'GET', `${messages(channelId, 'initiator')}?waitMs=50`, { token: alice.token() });
    expect(none.status).toBe(204);
    expect(none.body).toBeNull();
    // The initiator's own message was taken by the joiner, not left for anyone else.
    expect((await request(h.url, 'GET', messages(channelId, 'joiner'))).status).toBe(204);
  });

  it('lets only the device that opened the channel act as initiator', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url);
    const { channelId } = await open(h, alice, 1);
    const path = messages(channelId, 'initiator');
    for (const method of ['GET', 'PUT'] as const) {
      const json = method === 'PUT' ? { ciphertext: blob('x') } : undefined;
      const anonymous = await request(h.url, method, path, { json });
      expect(anonymous.status, method).toBe(401);
      for (const token of [alice.token(2), bob.token()]) {
        const other = await request(h.url, method, path, { token, json });
        expect(other.status, method).toBe(403);
        expect(code(other.body)).toBe('RELAY_ERR_FORBIDDEN');
      }
    }
    const close = await request(h.url, 'DELETE', `/v1/provisioning/${channelId}`, { token: bob.token() });
    expect(code(close.body)).toBe('RELAY_ERR_FORBIDDEN');
    // None of the refused PUTs reached the joiner.
    expect((await request(h.url, 'GET', messages(channelId, 'joiner'))).status).toBe(204);
  });

  it('enforces the message size and the uncollected-message limit, and validates input', async () => {
    const alice = await registerAccount(h.url);
    const { channelId } = await open(h, alice);
    const big = await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: toBase64Url(new Uint8Array(65)) } });
    expect(big.status).toBe(413);
    expect(errorBodySchema.parse(big.body).error).toMatchObject({ code: 'RELAY_ERR_PROVISIONING_TOO_LARGE', details: { maxMessageBytes: 64 } });
    expect((await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: toBase64Url(new Uint8Array(64)) } })).status).toBe(204);
    expect((await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: blob('2') } })).status).toBe(204);
    const full = await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: blob('3') } });
    expect(full.status).toBe(507);
    expect(code(full.body)).toBe('RELAY_ERR_PROVISIONING_FULL');

    const bad = [
      request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: 'not base64url!' } }),
      request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: blob('x'), extra: 1 } }),
      request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: '' } }),
      request(h.url, 'GET', messages(channelId, 'observer')),
      request(h.url, 'GET', messages('short', 'joiner')),
      request(h.url, 'GET', `${messages(channelId, 'joiner')}?waitMs=30001`),
      request(h.url, 'GET', `${messages(channelId, 'joiner')}?waitMs=soon`),
      request(h.url, 'GET', `${messages(channelId, 'joiner')}?other=1`),
    ];
    for (const result of await Promise.all(bad)) {
      expect(result.status).toBe(400);
      expect(code(result.body)).toBe('RELAY_ERR_INVALID_REQUEST');
    }
    const unknown = await request(h.url, 'GET', messages('AAAAAAAAAAAAAAAAAAAAAA', 'joiner'));
    expect(unknown.status).toBe(404);
    expect(code(unknown.body)).toBe('RELAY_ERR_PROVISIONING_NOT_FOUND');
  });

  it('forgets a channel when it expires or its initiator closes it', async () => {
    const alice = await registerAccount(h.url);
    const expiring = await open(h, alice);
    const closing = await open(h, alice);
    expect((await request(h.url, 'PUT', messages(expiring.channelId, 'joiner'), { json: { ciphertext: blob('x') } })).status).toBe(204);

    expect((await request(h.url, 'DELETE', `/v1/provisioning/${closing.channelId}`, { token: alice.token() })).status).toBe(204);
    expect(code((await request(h.url, 'GET', messages(closing.channelId, 'joiner'))).body)).toBe('RELAY_ERR_PROVISIONING_NOT_FOUND');

    h.clock.advance(60_000);
    const gone = await request(h.url, 'GET', messages(expiring.channelId, 'initiator'), { token: alice.token() });
    expect(gone.status).toBe(404);
    expect(code(gone.body)).toBe('RELAY_ERR_PROVISIONING_NOT_FOUND');
    expect(code((await request(h.url, 'PUT', messages(expiring.channelId, 'joiner'), { json: { ciphertext: blob('y') } })).body)).toBe('RELAY_ERR_PROVISIONING_NOT_FOUND');
  });

  it('takes no message for a long poll whose client went away', async () => {
    const alice = await registerAccount(h.url);
    const { channelId } = await open(h, alice);
    const gaveUp = new AbortController();
    const abandoned = fetch(`${h.url}${messages(channelId, 'joiner')}?waitMs=20000`, { signal: gaveUp.signal }).catch(() => 'aborted');
    const mailbox = h.relay.services.deps.provisioning;
    await expect.poll(async () => (await mailbox.stats()).waiting).toBe(1);
    gaveUp.abort();
    expect(await abandoned).toBe('aborted');
    await expect.poll(async () => (await mailbox.stats()).waiting).toBe(0);
    await request(h.url, 'PUT', messages(channelId, 'initiator'), { token: alice.token(), json: { ciphertext: blob('kept') } });
    expect(unblob((await request(h.url, 'GET', messages(channelId, 'joiner'))).body)).toBe('kept');
  });
});

describe('linking a device through a provisioning channel', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('links a new device: keys in, account material and a new signed list out, then the device logs in', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1] });
    const { channelId } = await open(h, alice);
    const newcomer = await newDevice(2);

    // New device → existing one: its public device keys (the CLI encrypts this under the code's secret).
    const keys = { signingKey: toBase64Url(newcomer.keys.signingKey), identityKey: toBase64Url(newcomer.keys.identityDhKey) };
    expect((await request(h.url, 'PUT', messages(channelId, 'joiner'), { json: { ciphertext: blob(JSON.stringify(keys)) } })).status).toBe(204);
    const offer = JSON.parse(unblob((await request(h.url, 'GET', `${messages(channelId, 'initiator')}?waitMs=5000`, { token: alice.token() })).body)) as typeof keys;
    expect(offer).toEqual(keys);

    // Existing device: signs and uploads a list with the new device, then answers with the account material.
    const list = await deviceListText(alice.identity, 2, [alice.device(1), newcomer]);
    const update = await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: { deviceList: list } });
    expect(update.status).toBe(200);
    const material = { accountId: alice.accountId, deviceId: 2, listVersion: 2 };
    expect((await request(h.url, 'PUT', messages(channelId, 'initiator'), { token: alice.token(), json: { ciphertext: blob(JSON.stringify(material)) } })).status).toBe(204);
    const answer = JSON.parse(unblob((await request(h.url, 'GET', `${messages(channelId, 'joiner')}?waitMs=5000`)).body)) as { accountId: string; deviceId: number };
    expect((await request(h.url, 'DELETE', `/v1/provisioning/${channelId}`, { token: alice.token() })).status).toBe(204);

    // The new device is now a device of the account like any other.
    const token = await login(h.url, answer.accountId, newcomer);
    const socket = await connect(h.wsUrl, token);
    expect(socket.frames[0]).toMatchObject({ type: 'hello', accountId: alice.accountId, deviceId: 2 });
    await socket.close();
  });
});

describe('provisioning limits per relay', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('rate-limits channel creation per client address', async () => {
    h = await startRelay({ rateLimits: { provisioningCreatePerAddress: { limit: 2, windowMs: 600_000 } } });
    const alice = await registerAccount(h.url);
    await open(h, alice);
    await open(h, alice);
    const limited = await request(h.url, 'POST', '/v1/provisioning', { token: alice.token() });
    expect(limited.status).toBe(429);
    expect(code(limited.body)).toBe('RELAY_ERR_RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('refuses new channels past provisioning.maxChannels until one expires', async () => {
    h = await startRelay({ provisioning: { maxChannels: 1, ttlSeconds: 10 } });
    const alice = await registerAccount(h.url);
    await open(h, alice);
    const busy = await request(h.url, 'POST', '/v1/provisioning', { token: alice.token() });
    expect(busy.status).toBe(503);
    expect(code(busy.body)).toBe('RELAY_ERR_PROVISIONING_BUSY');
    h.clock.advance(10_000);
    await open(h, alice);
  });

  it('ends waiting long polls with 204 when the relay shuts down', async () => {
    h = await startRelay();
    const alice = await registerAccount(h.url);
    const { channelId } = await open(h, alice);
    const waiting = request(h.url, 'GET', `${messages(channelId, 'joiner')}?waitMs=30000`);
    await expect.poll(async () => (await h!.relay.services.deps.provisioning.stats()).waiting).toBe(1);
    const closing = h.relay.close();
    expect((await waiting).status).toBe(204);
    await closing;
  });
});
