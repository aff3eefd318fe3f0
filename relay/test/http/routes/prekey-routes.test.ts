/**
 * Prekey upload with signature and slot checks, pool counts, and bundle fetches that take one
 * one-time key of each kind, fall back to the last-resort KEM key, and are rate-limited.
 */
import { verifyPrekeyBundle } from '@sealpost/crypto';
import { fromBase64Url, verifyDeviceList } from '@sealpost/crypto/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleResponseSchema, errorBodySchema, prekeyCountsSchema } from '../../../src/api/index.js';
import { prekeySet } from '../../support/crypto-fixtures.js';
import { request } from '../../support/http-client.js';
import { startRelay } from '../../support/relay-harness.js';
import type { Harness } from '../../support/relay-harness.js';
import { registerAccount } from '../../support/test-accounts.js';

const code = (body: unknown) => errorBodySchema.parse(body).error.code;

describe('prekey routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({
      limits: { maxPrekeysPerUpload: 4, maxPrekeyPool: 6 },
      prekeys: { lowWatermark: 2 },
      rateLimits: { bundlePerPair: { limit: 1_000, windowMs: 60_000 } },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('stores a checked upload and reports pool counts', async () => {
    const alice = await registerAccount(h.url);
    const upload = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(), json: await prekeySet(alice.device(), 3) });
    expect(upload.status).toBe(200);
    expect(prekeyCountsSchema.parse(upload.body)).toEqual({ oneTimeX25519: 3, oneTimeKem: 3, signedPrekey: true, lastResortKem: true, lowWatermark: 2 });
    const counts = await request(h.url, 'GET', '/v1/prekeys/counts', { token: alice.token() });
    expect(counts.body).toEqual(upload.body);
  });

  it('refuses prekeys signed by another device, in the wrong slot, or too many', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const others = await prekeySet(alice.device(2), 1);
    const mine = await prekeySet(alice.device(1), 1);

    const forged = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { signedPrekey: others.signedPrekey } });
    expect(forged.status).toBe(422);
    expect(code(forged.body)).toBe('RELAY_ERR_BAD_SIGNATURE');
    const forgedKem = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { oneTimeKem: [mine.oneTimeKem[0], others.oneTimeKem[0]] } });
    expect(code(forgedKem.body)).toBe('RELAY_ERR_BAD_SIGNATURE');

    for (const json of [{ lastResortKem: mine.signedPrekey }, { signedPrekey: mine.lastResortKem }, { oneTimeKem: [mine.lastResortKem] }]) {
      const wrongSlot = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json });
      expect(wrongSlot.status).toBe(422);
      expect(code(wrongSlot.body)).toBe('RELAY_ERR_PREKEY_INVALID');
    }
    const notOneTime = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { oneTimeX25519: [mine.signedPrekey] } });
    expect(code(notOneTime.body)).toBe('RELAY_ERR_INVALID_ENCODING');

    const big = await prekeySet(alice.device(1), 5, 100);
    const tooMany = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { oneTimeX25519: big.oneTimeX25519 } });
    expect(tooMany.status).toBe(413);
    expect(code(tooMany.body)).toBe('RELAY_ERR_TOO_MANY_PREKEYS');

    // Pool limit (6): 4 + 4 would overflow; nothing of the second upload is kept.
    expect((await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { oneTimeX25519: big.oneTimeX25519.slice(0, 4) } })).status).toBe(200);
    const more = await prekeySet(alice.device(1), 4, 200);
    const overflow = await request(h.url, 'PUT', '/v1/prekeys', { token: alice.token(1), json: { oneTimeX25519: more.oneTimeX25519 } });
    expect(code(overflow.body)).toBe('RELAY_ERR_TOO_MANY_PREKEYS');
    const counts = await request(h.url, 'GET', '/v1/prekeys/counts', { token: alice.token(1) });
    expect(prekeyCountsSchema.parse(counts.body).oneTimeX25519).toBe(4);
  });

  it('hands out verifiable bundles, one one-time key of each kind per fetch, then the last-resort key', async () => {
    const bob = await registerAccount(h.url, { deviceIds: [1, 2], prekeys: 1 });
    const alice = await registerAccount(h.url);
    const path = `/v1/accounts/${bob.accountId}/bundles`;

    const first = bundleResponseSchema.parse((await request(h.url, 'GET', path, { token: alice.token() })).body);
    expect(first.bundles.map((b) => b.deviceId)).toEqual([1, 2]);
    const list = verifyDeviceList(fromBase64Url(first.deviceList), bob.identity.account.accountKey);
    for (const bundle of first.bundles) {
      expect(bundle.oneTimePrekey).not.toBeNull();
      expect(bundle.kemLastResort).toBe(false);
      const verified = verifyPrekeyBundle({
        accountKey: bob.identity.account.accountKey,
        deviceList: list,
        deviceId: bundle.deviceId,
        signedPrekey: fromBase64Url(bundle.signedPrekey!),
        oneTimePrekey: fromBase64Url(bundle.oneTimePrekey!),
        kemPrekey: fromBase64Url(bundle.kemPrekey!),
      });
      expect(verified.kemPrekey.lastResort).toBe(false);
    }

    const second = bundleResponseSchema.parse((await request(h.url, 'GET', path, { token: alice.token() })).body);
    for (const bundle of second.bundles) {
      expect(bundle.oneTimePrekey).toBeNull();
      expect(bundle.kemLastResort).toBe(true);
      expect(bundle.signedPrekey).toBe(first.bundles.find((b) => b.deviceId === bundle.deviceId)?.signedPrekey);
    }
    const counts = await request(h.url, 'GET', '/v1/prekeys/counts', { token: bob.token(2) });
    expect(prekeyCountsSchema.parse(counts.body)).toMatchObject({ oneTimeX25519: 0, oneTimeKem: 0, lastResortKem: true });
  });

  it('can fetch only some devices and never returns the requesting device itself', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2, 3], prekeys: 1 });
    const own = bundleResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/bundles`, { token: alice.token(2) })).body);
    expect(own.bundles.map((b) => b.deviceId)).toEqual([1, 3]);
    const bob = await registerAccount(h.url);
    const some = bundleResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/bundles?devices=3,9`, { token: bob.token() })).body);
    expect(some.bundles.map((b) => b.deviceId)).toEqual([3]);
    // Each listed device once, in id order, whatever the order and repeats of the list.
    const repeated = bundleResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/bundles?devices=2,1,2`, { token: bob.token() })).body);
    expect(repeated.bundles.map((b) => b.deviceId)).toEqual([1, 2]);
    const all = bundleResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/bundles`, { token: bob.token() })).body);
    expect(all.bundles.map((b) => b.deviceId)).toEqual([1, 2, 3]);
    const bad = await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/bundles?devices=x`, { token: bob.token() });
    expect(code(bad.body)).toBe('RELAY_ERR_INVALID_REQUEST');
  });

  it('answers 404 for unknown accounts', async () => {
    const alice = await registerAccount(h.url);
    const ghost = await registerAccount(h.url);
    await h.relay.services.deps.storage.accounts.deleteAccount(ghost.accountId);
    const result = await request(h.url, 'GET', `/v1/accounts/${ghost.accountId}/bundles`, { token: alice.token() });
    expect(result.status).toBe(404);
    expect(code(result.body)).toBe('RELAY_ERR_ACCOUNT_NOT_FOUND');
  });
});

describe('bundle rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({
      rateLimits: {
        bundlePerPair: { limit: 2, windowMs: 600_000 },
        bundlePerTarget: { limit: 3, windowMs: 60_000 },
        bundlePerRequester: { limit: 4, windowMs: 60_000 },
      },
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('limits fetches per requester/target pair, per target and per requester, with Retry-After', async () => {
    const [a, b, c, target, target2, target3] = await Promise.all(Array.from({ length: 6 }, () => registerAccount(h.url)));
    const fetchAs = (who: typeof a, of: typeof a) => request(h.url, 'GET', `/v1/accounts/${of!.accountId}/bundles`, { token: who!.token() });

    expect((await fetchAs(a, target)).status).toBe(200);
    expect((await fetchAs(a, target)).status).toBe(200);
    const pair = await fetchAs(a, target);
    expect(pair.status).toBe(429);
    expect(code(pair.body)).toBe('RELAY_ERR_RATE_LIMITED');
    expect(Number(pair.headers.get('retry-after'))).toBeGreaterThan(0);

    // target has had 3 fetches (one refused by the pair rule still counted); b is now refused by the target rule.
    const perTarget = await fetchAs(b, target);
    expect(perTarget.status).toBe(429);

    // c spends its requester budget on different targets.
    expect((await fetchAs(c, target2)).status).toBe(200);
    expect((await fetchAs(c, target2)).status).toBe(200);
    expect((await fetchAs(c, target3)).status).toBe(200);
    expect((await fetchAs(c, target3)).status).toBe(200);
    expect((await fetchAs(c, b)).status).toBe(429);

    h.clock.advance(600_000);
    expect((await fetchAs(a, target)).status).toBe(200);
  });
});
