/** Presence viewers and presence lookups: visible only to allowed accounts and the owner. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema, presenceResponseSchema, presenceViewersSchema } from '../../../src/api/index.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import type { Harness } from '../../support/relay-harness.js';
import { registerAccount } from '../../support/test-accounts.js';
import { connect } from '../../support/ws-client.js';

describe('presence routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('shows online and last seen only to allowed accounts', async () => {
    const [alice, bob, eve] = await Promise.all([registerAccount(h.url), registerAccount(h.url), registerAccount(h.url)]);
    const path = `/v1/accounts/${alice.accountId}/presence`;

    const hidden = await request(h.url, 'GET', path, { token: bob.token() });
    expect(hidden.status).toBe(403);
    expect(errorBodySchema.parse(hidden.body).error.code).toBe('RELAY_ERR_PRESENCE_NOT_ALLOWED');

    const set = await request(h.url, 'PUT', '/v1/presence/viewers', { token: alice.token(), json: { accountIds: [bob.accountId, bob.accountId] } });
    expect(set.status).toBe(204);
    const viewers = await request(h.url, 'GET', '/v1/presence/viewers', { token: alice.token() });
    expect(presenceViewersSchema.parse(viewers.body)).toEqual({ accountIds: [bob.accountId] });

    const offline = presenceResponseSchema.parse((await request(h.url, 'GET', path, { token: bob.token() })).body);
    expect(offline.online).toBe(false);

    const socket = await connect(h.wsUrl, alice.token());
    const online = presenceResponseSchema.parse((await request(h.url, 'GET', path, { token: bob.token() })).body);
    expect(online).toEqual({ accountId: alice.accountId, online: true, lastSeenAt: h.clock() });
    expect((await request(h.url, 'GET', path, { token: eve.token() })).status).toBe(403);
    // The owner always sees itself.
    expect((await request(h.url, 'GET', path, { token: alice.token() })).status).toBe(200);

    h.clock.advance(5_000);
    await socket.close();
    await expect.poll(async () => presenceResponseSchema.parse((await request(h.url, 'GET', path, { token: bob.token() })).body).online).toBe(false);
    const after = presenceResponseSchema.parse((await request(h.url, 'GET', path, { token: bob.token() })).body);
    expect(after.lastSeenAt).toBe(h.clock());
  });

  it('validates the viewer list', async () => {
    const alice = await registerAccount(h.url);
    const bad = await request(h.url, 'PUT', '/v1/presence/viewers', { token: alice.token(), json: { accountIds: ['not-an-id'] } });
    expect(bad.status).toBe(400);
    expect(errorBodySchema.parse(bad.body).error.code).toBe('RELAY_ERR_INVALID_REQUEST');
  });
});
