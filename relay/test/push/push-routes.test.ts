/**
 * The push routes on a bare fastify app with the relay's error handling: the VAPID key, and a
 * device registering, reading and removing its subscription. Bodies are checked against the
 * wire-contract schemas in relay/src/api/push.ts.
 */
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { pushStatusResponseSchema, vapidKeyResponseSchema } from '../../src/api/push.js';
import { RelayError } from '../../src/errors.js';
import { installErrorHandling } from '../../src/http/error-handler.js';
import { createRelayMetrics } from '../../src/metrics/relay-metrics.js';
import { registerPushRoutes } from '../../src/push/push-routes.js';
import { LocalPushService } from './support/local-push-service.js';
import { makePushHarness } from './support/push-harness.js';
import type { PushHarness } from './support/push-harness.js';
import { PushReceiver } from './support/push-receiver.js';
import { makeTestCa } from './support/test-ca.js';
import type { TestCa } from './support/test-ca.js';

let ca: TestCa;
let service: LocalPushService;
let h: PushHarness;
let app: FastifyInstance;
const DEVICE = { accountId: 'sp1routes', deviceId: 3 };

beforeAll(async () => {
  ca = await makeTestCa();
  service = await LocalPushService.start(ca);
});
afterAll(async () => {
  await service.close();
});

async function build(allowPrivateEndpoints: boolean): Promise<void> {
  h = makePushHarness(ca, { allowPrivateEndpoints });
  app = Fastify();
  installErrorHandling(app, createRelayMetrics());
  registerPushRoutes(app, {
    push: h.push,
    authenticate: async (request) => {
      if (request.headers.authorization !== 'Bearer good') throw new RelayError('RELAY_ERR_UNAUTHENTICATED');
      return DEVICE;
    },
  });
  await app.ready();
}
afterEach(async () => {
  await app.close();
  await h.close();
});

const auth = { authorization: 'Bearer good' };

describe('push routes', () => {
  it('serves the VAPID public key without authentication', async () => {
    await build(true);
    const response = await app.inject({ method: 'GET', url: '/v1/push/vapid-key' });
    expect(response.statusCode).toBe(200);
    expect(vapidKeyResponseSchema.parse(response.json())).toEqual({ publicKey: h.vapid.publicKey });
  });

  it('registers, reports and removes a subscription in the browser PushSubscription JSON shape', async () => {
    await build(true);
    const receiver = new PushReceiver();
    const body = { endpoint: service.endpoint('/routes/1'), expirationTime: null, keys: { p256dh: receiver.p256dh, auth: receiver.auth } };
    const put = await app.inject({ method: 'PUT', url: '/v1/push/subscription', headers: auth, payload: body });
    expect(put.statusCode).toBe(200);
    const status = pushStatusResponseSchema.parse(put.json());
    expect(status).toEqual({ subscribed: true, endpoint: body.endpoint, createdAt: h.scheduler.now(), failureCount: 0 });
    expect(put.body).not.toContain(receiver.auth); // the auth secret is never echoed

    const get = await app.inject({ method: 'GET', url: '/v1/push/subscription', headers: auth });
    expect(get.json()).toEqual(status);
    const del = await app.inject({ method: 'DELETE', url: '/v1/push/subscription', headers: auth });
    expect(del.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/v1/push/subscription', headers: auth })).json()).toEqual({ subscribed: false });
    expect((await app.inject({ method: 'DELETE', url: '/v1/push/subscription', headers: auth })).statusCode).toBe(204);
  });

  it('needs a session for the subscription routes', async () => {
    await build(true);
    for (const method of ['GET', 'PUT', 'DELETE'] as const) {
      const response = await app.inject({ method, url: '/v1/push/subscription', payload: method === 'PUT' ? {} : undefined });
      expect(response.statusCode, method).toBe(401);
      expect(response.json().error.code).toBe('RELAY_ERR_UNAUTHENTICATED');
    }
  });

  it('refuses malformed bodies (400) and refused subscriptions (422, with the reason), storing nothing', async () => {
    await build(false);
    const receiver = new PushReceiver();
    const keys = { p256dh: receiver.p256dh, auth: receiver.auth };
    const cases: Array<[unknown, number, string, string | undefined]> = [
      [{ endpoint: 'https://push.example.org/x', keys: { p256dh: keys.p256dh } }, 400, 'RELAY_ERR_INVALID_REQUEST', undefined],
      [{ endpoint: 'https://push.example.org/x', keys, extra: 1 }, 400, 'RELAY_ERR_INVALID_REQUEST', undefined],
      [{ endpoint: service.endpoint('/routes/private'), keys }, 422, 'RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED', 'endpoint-address-refused'],
      [{ endpoint: 'http://push.example.org/x', keys }, 422, 'RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED', 'endpoint-not-https'],
      [{ endpoint: 'https://[::1]/x', keys: { ...keys, auth: Buffer.alloc(8).toString('base64url') } }, 422, 'RELAY_ERR_PUSH_SUBSCRIPTION_REFUSED', 'auth-invalid'],
    ];
    for (const [payload, status, code, reason] of cases) {
      const response = await app.inject({ method: 'PUT', url: '/v1/push/subscription', headers: auth, payload: payload as Record<string, unknown> });
      expect(response.statusCode, JSON.stringify(payload)).toBe(status);
      const error = response.json().error as { code: string; details?: { reason?: string; addressClass?: string } };
      expect(error.code).toBe(code);
      expect(error.details?.reason).toBe(reason);
    }
    expect(await h.store.count()).toBe(0);
  });
});
