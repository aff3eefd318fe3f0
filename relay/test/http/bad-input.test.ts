/**
 * Bad HTTP input: every class gets its documented code and status, and the relay keeps serving
 * other clients afterwards.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../../src/api/index.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';

describe('bad HTTP input', () => {
  let h: Harness;
  let alice: TestAccount;
  beforeAll(async () => {
    h = await startRelay({ server: { bodyLimitBytes: 4_096 } });
    alice = await registerAccount(h.url);
  });
  afterAll(async () => {
    await h.stop();
  });

  const cases: Array<{ name: string; status: number; code: string; send: () => ReturnType<typeof request> }> = [
    { name: 'malformed JSON', status: 400, code: 'RELAY_ERR_MALFORMED_JSON', send: () => request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), raw: '{"deviceList": ' }) },
    { name: 'empty JSON body', status: 400, code: 'RELAY_ERR_MALFORMED_JSON', send: () => request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), raw: '' }) },
    { name: 'binary garbage', status: 400, code: 'RELAY_ERR_MALFORMED_JSON', send: () => request(h.url, 'POST', '/v1/auth/session', { raw: new Uint8Array(randomBytes(300)) }) },
    { name: 'wrong types', status: 400, code: 'RELAY_ERR_INVALID_REQUEST', send: () => request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(), json: { oneTimeX25519: 'nope', signedPrekey: 5 } }) },
    { name: 'JSON that is not an object', status: 400, code: 'RELAY_ERR_INVALID_REQUEST', send: () => request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: [1, 2] }) },
    { name: 'unknown fields', status: 400, code: 'RELAY_ERR_INVALID_REQUEST', send: () => request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: { deviceList: 'AA', admin: true } }) },
    { name: 'unsupported media type', status: 415, code: 'RELAY_ERR_UNSUPPORTED_MEDIA_TYPE', send: () => request(h.url, 'POST', '/v1/auth/session', { raw: 'a=b', contentType: 'application/x-www-form-urlencoded' }) },
    { name: 'oversized body', status: 413, code: 'RELAY_ERR_BODY_TOO_LARGE', send: () => request(h.url, 'PUT', '/v1/device-list', { token: alice.token(), json: { deviceList: 'A'.repeat(8_000) } }) },
    { name: 'unknown route', status: 404, code: 'RELAY_ERR_NOT_FOUND', send: () => request(h.url, 'GET', '/v2/everything') },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.code}`, async () => {
      const result = await c.send();
      expect(result.status).toBe(c.status);
      expect(errorBodySchema.parse(result.body).error.code).toBe(c.code);
    });
  }

  it('keeps serving others after every kind of bad input', async () => {
    await Promise.all(cases.map((c) => c.send()));
    const bob = await registerAccount(h.url);
    const lookup = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}`, { token: bob.token() });
    expect(lookup.status).toBe(200);
  });
});
