/**
 * POST /v1/auth/challenge and /v1/auth/session over a real socket: a correct answer gets a token;
 * a bad signature, a replayed or stale challenge, another relay's origin, an unknown device and
 * a tampered or expired token are each refused with their documented code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeResponseSchema, errorBodySchema, sessionResponseSchema } from '../../../src/api/index.js';
import { answerChallenge, newDevice } from '../../support/crypto-fixtures.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import type { Harness } from '../../support/relay-harness.js';
import { challenge, registerAccount } from '../../support/test-accounts.js';
import type { TestAccount } from '../../support/test-accounts.js';

describe('auth routes', () => {
  let h: Harness;
  let alice: TestAccount;

  beforeAll(async () => {
    h = await startRelay({ auth: { challengeTtlMs: 60_000, sessionTtlMs: 600_000 } });
    alice = await registerAccount(h.url, { deviceIds: [1, 2] });
  });
  afterAll(async () => {
    await h.stop();
  });

  const session = (json: unknown) => request(h.url, 'POST', '/v1/auth/session', { json });

  it('issues fresh challenges bound to the relay origin', async () => {
    const a = await request(h.url, 'POST', '/v1/auth/challenge');
    const b = await request(h.url, 'POST', '/v1/auth/challenge');
    const first = challengeResponseSchema.parse(a.body);
    expect(first.origin).toBe(h.url);
    expect(first.expiresAt - first.issuedAt).toBe(60_000);
    expect(challengeResponseSchema.parse(b.body).nonce).not.toBe(first.nonce);
  });

  it('gives a session token for a correct answer, usable on authenticated routes', async () => {
    const c = await challenge(h.url);
    const result = await session({ accountId: alice.accountId, deviceId: 2, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(2)) });
    expect(result.status).toBe(200);
    const { token, expiresAt } = sessionResponseSchema.parse(result.body);
    expect(expiresAt).toBe(h.clock() + 600_000);
    const me = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}`, { token });
    expect(me.status).toBe(200);
  });

  it('refuses a signature by another device', async () => {
    const c = await challenge(h.url);
    const result = await session({ accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(2)) });
    expect(result.status).toBe(422);
    expect(errorBodySchema.parse(result.body).error.code).toBe('RELAY_ERR_BAD_SIGNATURE');
  });

  it('refuses a replayed challenge even with a correct signature', async () => {
    const c = await challenge(h.url);
    const answer = { accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(1)) };
    expect((await session(answer)).status).toBe(200);
    const replay = await session(answer);
    expect(replay.status).toBe(401);
    expect(errorBodySchema.parse(replay.body).error.code).toBe('RELAY_ERR_CHALLENGE_INVALID');
  });

  it('uses up a challenge even when the answer is wrong', async () => {
    const c = await challenge(h.url);
    const wrong = await session({ accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(2)) });
    expect(wrong.status).toBe(422);
    const right = await session({ accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(1)) });
    expect(errorBodySchema.parse(right.body).error.code).toBe('RELAY_ERR_CHALLENGE_INVALID');
  });

  it('refuses a stale challenge', async () => {
    const c = await challenge(h.url);
    h.clock.advance(60_001);
    const result = await session({ accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, alice.device(1)) });
    expect(result.status).toBe(401);
    expect(errorBodySchema.parse(result.body).error.code).toBe('RELAY_ERR_CHALLENGE_EXPIRED');
  });

  it('refuses an answer signed for another relay origin', async () => {
    const c = await challenge(h.url);
    const signature = await answerChallenge({ ...c, origin: 'https://evil.example' }, alice.accountId, alice.device(1));
    const result = await session({ accountId: alice.accountId, deviceId: 1, nonce: c.nonce, signature });
    expect(errorBodySchema.parse(result.body).error.code).toBe('RELAY_ERR_BAD_SIGNATURE');
  });

  it('refuses an unknown device', async () => {
    const c = await challenge(h.url);
    const stranger = await newDevice(9);
    const result = await session({ accountId: alice.accountId, deviceId: 9, nonce: c.nonce, signature: await answerChallenge(c, alice.accountId, stranger) });
    expect(result.status).toBe(404);
    expect(errorBodySchema.parse(result.body).error.code).toBe('RELAY_ERR_DEVICE_NOT_FOUND');
  });

  it('refuses missing, tampered and expired tokens', async () => {
    const path = `/v1/accounts/${alice.accountId}`;
    const missing = await request(h.url, 'GET', path);
    expect(missing.status).toBe(401);
    expect(errorBodySchema.parse(missing.body).error.code).toBe('RELAY_ERR_UNAUTHENTICATED');

    const token = alice.token(1);
    const [prefix, payload, mac] = token.split('.') as [string, string, string];
    const forgedPayload = Buffer.from(JSON.stringify({ a: alice.accountId, d: 2, e: 9e15 })).toString('base64url');
    for (const bad of [`${prefix}.${forgedPayload}.${mac}`, `${prefix}.${payload}.${mac.slice(0, -2)}AA`, 'garbage', `${token}x`]) {
      const result = await request(h.url, 'GET', path, { token: bad });
      expect(result.status).toBe(401);
      expect(errorBodySchema.parse(result.body).error.code).toBe('RELAY_ERR_UNAUTHENTICATED');
    }

    h.clock.advance(600_001);
    const expired = await request(h.url, 'GET', path, { token });
    expect(expired.status).toBe(401);
    expect(errorBodySchema.parse(expired.body).error.code).toBe('RELAY_ERR_SESSION_EXPIRED');
  });

  it('validates the session request body', async () => {
    const c = await challenge(h.url);
    const result = await session({ accountId: 'sp1notanid', deviceId: -1, nonce: c.nonce, signature: 'AA', extra: true });
    expect(result.status).toBe(400);
    const body = errorBodySchema.parse(result.body);
    expect(body.error.code).toBe('RELAY_ERR_INVALID_REQUEST');
    const paths = (body.error.details?.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['accountId', 'deviceId', '(root)']));
  });
});
