/**
 * The notifier end to end against a local HTTPS push service (RFC 8030) that receives the real
 * requests web-push makes: payloads decrypted with http_ece (RFC 8291) hold only kind + count,
 * VAPID JWTs verified with jose (RFC 8292), coalescing under a burst, removal on 404/410, retries
 * on 503 and 429 (Retry-After), refusal of internal addresses at send time (DNS rebinding), and a
 * dead or hanging push service while notify keeps returning at once. Time moves only through the
 * manual scheduler; nothing asserts on wall-clock timing.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PushSubscriptionRefusedError } from '../../src/push/endpoint-policy.js';
import type { Resolver } from '../../src/push/endpoint-policy.js';
import { PUSH_PAYLOAD_BYTES } from '../../src/push/push-payload.js';
import type { PushConfigInput } from '../../src/push/push-config.js';
import { LocalPushService } from './support/local-push-service.js';
import type { ReceivedPush } from './support/local-push-service.js';
import { makePushHarness, TEST_SUBJECT } from './support/push-harness.js';
import type { PushHarness } from './support/push-harness.js';
import { PushReceiver } from './support/push-receiver.js';
import { makeTestCa, TEST_PUSH_HOST } from './support/test-ca.js';
import type { TestCa } from './support/test-ca.js';
import { verifyVapid } from './support/vapid-jwt.js';

const ACCOUNT = 'sp1testaccount';
const INTERVAL = 30_000;

let ca: TestCa;
let service: LocalPushService;
const harnesses: PushHarness[] = [];
let pathCounter = 0;

beforeAll(async () => {
  ca = await makeTestCa();
  service = await LocalPushService.start(ca);
});
afterAll(async () => {
  await service.close();
});
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.close();
});

function harness(config: PushConfigInput = {}, options: { resolve?: Resolver } = {}): PushHarness {
  const h = makePushHarness(ca, { coalesceIntervalMs: INTERVAL, ...config }, options);
  harnesses.push(h);
  return h;
}

/** A unique push resource path on the local service, and a receiver subscribed to it. */
async function subscribed(h: PushHarness, deviceId: number): Promise<{ path: string; receiver: PushReceiver }> {
  const path = `/push/${++pathCounter}`;
  const receiver = new PushReceiver();
  const input = receiver.subscription(service.endpoint(path));
  await h.push.subscribe({ accountId: ACCOUNT, deviceId }, input);
  return { path, receiver };
}

function decode(receiver: PushReceiver, push: ReceivedPush | undefined): Record<string, unknown> {
  if (push === undefined) throw new Error('no push received');
  const plaintext = receiver.decrypt(push.body);
  expect(plaintext).toHaveLength(PUSH_PAYLOAD_BYTES);
  return JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
}

/** Proves no request started: sends start synchronously when a timer fires, so none in flight means none made. */
async function expectQuiet(h: PushHarness, path: string, count: number): Promise<void> {
  expect(h.push.stats().inFlight).toBe(0);
  await h.push.settled();
  expect(service.receivedAt(path)).toHaveLength(count);
}

describe('payload and VAPID', () => {
  it('sends an RFC 8291 aes128gcm payload holding only the kind and the pending count', async () => {
    const h = harness({ ttlSeconds: 3600, urgency: 'high' });
    const { path, receiver } = await subscribed(h, 1);
    const before = service.received.length;
    expect(h.push.notify(ACCOUNT, 1, 'message', 3)).toBeUndefined();
    await service.waitForRequests(before + 1);
    await h.push.settled();

    const [request] = service.receivedAt(path);
    expect(request?.method).toBe('POST');
    expect(request?.headers['content-encoding']).toBe('aes128gcm');
    expect(request?.headers.ttl).toBe('3600');
    expect(request?.headers.urgency).toBe('high');
    expect(request?.headers.topic).toBe('sealpost');
    const payload = decode(receiver, request);
    expect(payload).toEqual({ v: 1, kind: 'message', pending: 3 });
    expect(Object.keys(payload).sort()).toEqual(['kind', 'pending', 'v']);
    // The push service holds ciphertext only: nothing of the payload shows, and another key cannot open it.
    expect(request?.body.includes('message')).toBe(false);
    expect(request?.body.includes('pending')).toBe(false);
    expect(() => new PushReceiver().decrypt(request?.body ?? Buffer.alloc(0))).toThrow();
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(1);
  });

  it('signs a VAPID JWT for the push service origin, expiring within 24 h, with the configured subject', async () => {
    const h = harness();
    const { path } = await subscribed(h, 1);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'receipt', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();

    const [request] = service.receivedAt(path);
    const { payload, publicKey, header } = await verifyVapid(request?.headers.authorization, service.origin);
    expect(header.alg).toBe('ES256');
    expect(publicKey).toBe(h.vapid.publicKey);
    expect(payload.aud).toBe(service.origin);
    expect(payload.sub).toBe(TEST_SUBJECT);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(payload.exp).toBeGreaterThan(nowSeconds);
    expect((payload.exp ?? Infinity) - nowSeconds).toBeLessThanOrEqual(24 * 3600);
    // The token is bound to this audience: another origin must not accept it.
    await expect(verifyVapid(request?.headers.authorization, 'https://push.example.org')).rejects.toThrow();
  });

  it('pads every payload to one size, so the ciphertext length tells neither kind nor count', async () => {
    const h = harness();
    const sizes = new Set<number>();
    const cases = [
      ['message', 1],
      ['receipt', 42],
      ['prekeys-low', 999_999],
      ['message', 5_000_000],
    ] as const;
    let deviceId = 0;
    for (const [kind, count] of cases) {
      const { path, receiver } = await subscribed(h, ++deviceId);
      const before = service.received.length;
      h.push.notify(ACCOUNT, deviceId, kind, count);
      await service.waitForRequests(before + 1);
      await h.push.settled();
      const [request] = service.receivedAt(path);
      expect(decode(receiver, request)).toEqual({ v: 1, kind, pending: Math.min(count, 999_999) });
      sizes.add(request?.body.length ?? 0);
    }
    expect(sizes.size).toBe(1);
  });
});

describe('coalescing', () => {
  it('sends the first event at once and folds a burst into one trailing push with the latest count', async () => {
    const h = harness();
    const { path, receiver } = await subscribed(h, 1);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'receipt', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(decode(receiver, service.receivedAt(path)[0])).toEqual({ v: 1, kind: 'receipt', pending: 1 });

    // Nine more events inside the interval: receipts, one message, then receipts again.
    for (let count = 2; count <= 10; count++) h.push.notify(ACCOUNT, 1, count === 5 ? 'message' : 'receipt', count);
    await expectQuiet(h, path, 1);
    h.scheduler.advance(INTERVAL - 1);
    await expectQuiet(h, path, 1);

    h.scheduler.advance(1);
    await service.waitForRequests(before + 2);
    await h.push.settled();
    const pushes = service.receivedAt(path);
    expect(pushes).toHaveLength(2);
    // The latest count, named by the most important kind folded in.
    expect(decode(receiver, pushes[1])).toEqual({ v: 1, kind: 'message', pending: 10 });
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(2);
    expect(await h.metric('sealpost_relay_push_coalesced_total')).toBe(8);

    // A quiet interval later the device is forgotten and the next event goes out at once.
    h.scheduler.advance(INTERVAL);
    await expectQuiet(h, path, 2);
    expect(h.push.stats().trackedDevices).toBe(0);
    h.push.notify(ACCOUNT, 1, 'prekeys-low', 0);
    await service.waitForRequests(before + 3);
    await h.push.settled();
    expect(decode(receiver, service.receivedAt(path)[2])).toEqual({ v: 1, kind: 'prekeys-low', pending: 0 });
  });

  it('keeps one interval per device: another device is not held back', async () => {
    const h = harness();
    const one = await subscribed(h, 1);
    const two = await subscribed(h, 2);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    h.push.notify(ACCOUNT, 1, 'message', 2);
    h.push.notify(ACCOUNT, 2, 'message', 7);
    await service.waitForRequests(before + 2);
    await h.push.settled();
    expect(decode(one.receiver, service.receivedAt(one.path)[0])).toEqual({ v: 1, kind: 'message', pending: 1 });
    expect(decode(two.receiver, service.receivedAt(two.path)[0])).toEqual({ v: 1, kind: 'message', pending: 7 });
    expect(service.receivedAt(one.path)).toHaveLength(1);
  });

  it('ignores devices without a subscription, without holding them', async () => {
    const h = harness();
    const before = service.received.length;
    for (let i = 0; i < 5; i++) h.push.notify(ACCOUNT, 77, 'message', i);
    await h.push.settled();
    expect(service.received).toHaveLength(before);
    expect(h.push.stats().trackedDevices).toBe(0);
    expect(h.scheduler.pending()).toBe(0);
  });
});

describe('push service answers', () => {
  it.each([410, 404] as const)('removes the subscription on %i', async (status) => {
    const h = harness();
    const { path } = await subscribed(h, 1);
    service.script(path, status);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(await h.store.get({ accountId: ACCOUNT, deviceId: 1 })).toBeNull();
    expect(await h.push.status({ accountId: ACCOUNT, deviceId: 1 })).toEqual({ subscribed: false });
    expect(await h.metric('sealpost_relay_push_subscriptions_removed_total', { status: String(status) })).toBe(1);
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(0);
    expect(await h.metric('sealpost_relay_push_failed_total')).toBe(0);

    // Nothing more goes to the dead subscription (the lookup finds none; settled() covers any request).
    h.scheduler.advance(INTERVAL);
    h.push.notify(ACCOUNT, 1, 'message', 2);
    await h.push.settled();
    expect(service.receivedAt(path)).toHaveLength(1);
  });

  it('retries a 503 with exponential backoff, carrying the latest count, then succeeds', async () => {
    const h = harness({ backoffBaseMs: 1_000, maxRetries: 4 });
    const { path, receiver } = await subscribed(h, 1);
    service.script(path, 503, 503);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    // Equal jitter with random() = 0.5: 1000/2 + 1000/2 × 0.5.
    expect(h.scheduler.nextDelay()).toBe(750);
    h.push.notify(ACCOUNT, 1, 'receipt', 4); // arrives during the backoff
    h.scheduler.advance(749);
    await expectQuiet(h, path, 1);
    h.scheduler.advance(1);
    await service.waitForRequests(before + 2);
    await h.push.settled();
    expect(h.scheduler.nextDelay()).toBe(1_500);
    h.scheduler.advance(1_500);
    await service.waitForRequests(before + 3);
    await h.push.settled();

    const pushes = service.receivedAt(path);
    expect(pushes).toHaveLength(3);
    expect(decode(receiver, pushes[0])).toEqual({ v: 1, kind: 'message', pending: 1 });
    expect(decode(receiver, pushes[2])).toEqual({ v: 1, kind: 'message', pending: 4 });
    expect(await h.metric('sealpost_relay_push_retries_total')).toBe(2);
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(1);
    expect(await h.metric('sealpost_relay_push_coalesced_total')).toBe(1);
    expect(await h.metric('sealpost_relay_push_failed_total')).toBe(0);
  });

  it('gives up after maxRetries, counts the failure on the subscription, and resets it on success', async () => {
    const h = harness({ backoffBaseMs: 100, maxRetries: 2 });
    const { path } = await subscribed(h, 1);
    service.script(path, 500, 502, 503);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    for (let attempt = 1; attempt <= 3; attempt++) {
      await service.waitForRequests(before + attempt);
      await h.push.settled();
      const delay = h.scheduler.nextDelay();
      if (attempt < 3) h.scheduler.advance(delay ?? 0);
    }
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'server-error' })).toBe(1);
    expect(await h.metric('sealpost_relay_push_retries_total')).toBe(2);
    expect((await h.push.status({ accountId: ACCOUNT, deviceId: 1 })) as unknown).toMatchObject({ subscribed: true, failureCount: 1 });

    h.scheduler.advance(INTERVAL);
    h.push.notify(ACCOUNT, 1, 'message', 2);
    await service.waitForRequests(before + 4);
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(1);
    expect((await h.push.status({ accountId: ACCOUNT, deviceId: 1 })) as unknown).toMatchObject({ subscribed: true, failureCount: 0 });
  });

  it('honours Retry-After on 429', async () => {
    const h = harness({ backoffBaseMs: 1_000 });
    const { path } = await subscribed(h, 1);
    service.script(path, { status: 429, headers: { 'Retry-After': '20' } });
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(h.scheduler.nextDelay()).toBe(20_000);
    h.scheduler.advance(19_999);
    await expectQuiet(h, path, 1);
    h.scheduler.advance(1);
    await service.waitForRequests(before + 2);
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(1);
    expect(await h.metric('sealpost_relay_push_failed_total')).toBe(0);
  });

  it('gives up on a Retry-After beyond backoffMaxMs but sends nothing to the device before it ends', async () => {
    const h = harness({ backoffMaxMs: 60_000 });
    const { path } = await subscribed(h, 1);
    service.script(path, { status: 429, headers: { 'Retry-After': '3600' } });
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'rate-limited' })).toBe(1);

    h.scheduler.advance(INTERVAL * 2);
    h.push.notify(ACCOUNT, 1, 'message', 2);
    await expectQuiet(h, path, 1);
    h.scheduler.advance(3_600_000 - INTERVAL * 2 - 1);
    await expectQuiet(h, path, 1);
    h.scheduler.advance(1);
    await service.waitForRequests(before + 2);
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(1);
  });

  it('does not retry other client errors', async () => {
    const h = harness();
    const { path } = await subscribed(h, 1);
    service.script(path, 400);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'rejected' })).toBe(1);
    expect(await h.metric('sealpost_relay_push_retries_total')).toBe(0);
    expect(await h.store.get({ accountId: ACCOUNT, deviceId: 1 })).not.toBeNull();
  });
});

describe('internal addresses', () => {
  it('refuses loopback and private endpoints at subscribe time unless allowed', async () => {
    const h = harness({ allowPrivateEndpoints: false });
    const receiver = new PushReceiver();
    for (const endpoint of [service.endpoint('/x'), `https://[::1]:${service.port}/x`, 'https://10.0.0.1/x', 'https://192.168.1.20/x', 'https://169.254.169.254/x']) {
      const error = await h.push.subscribe({ accountId: ACCOUNT, deviceId: 1 }, receiver.subscription(endpoint)).catch((e: unknown) => e);
      expect(error, endpoint).toBeInstanceOf(PushSubscriptionRefusedError);
      expect((error as PushSubscriptionRefusedError).reason).toBe('endpoint-address-refused');
    }
    expect(await h.store.count()).toBe(0);
    // The same loopback endpoint is accepted when the option is on (how every other test reaches 127.0.0.1).
    const allowed = harness({ allowPrivateEndpoints: true });
    await expect(allowed.push.subscribe({ accountId: ACCOUNT, deviceId: 1 }, receiver.subscription(service.endpoint('/x')))).resolves.toMatchObject({ subscribed: true });
  });

  it('re-checks the address at send time: a name rebound to 127.0.0.1 is refused before connecting', async () => {
    let answer = '93.184.215.14'; // public at subscribe time (never connected to)
    const resolve: Resolver = async () => [{ address: answer, family: 4 }];
    const h = harness({ allowPrivateEndpoints: false }, { resolve });
    const receiver = new PushReceiver();
    const path = `/push/${++pathCounter}`;
    await h.push.subscribe({ accountId: ACCOUNT, deviceId: 1 }, receiver.subscription(service.endpoint(path, TEST_PUSH_HOST)));
    answer = '127.0.0.1'; // DNS rebinding
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await h.push.settled();
    expect(service.receivedAt(path)).toHaveLength(0);
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'policy' })).toBe(1);
    expect(await h.metric('sealpost_relay_push_retries_total')).toBe(0);
  });

  it('refuses an IP-literal endpoint stored before the option was turned off', async () => {
    const h = harness({ allowPrivateEndpoints: false });
    const receiver = new PushReceiver();
    const path = `/push/${++pathCounter}`;
    await h.store.put({ accountId: ACCOUNT, deviceId: 1 }, { ...receiver.subscription(service.endpoint(path)), createdAt: 1 });
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await h.push.settled();
    expect(service.receivedAt(path)).toHaveLength(0);
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'policy' })).toBe(1);
  });

  it('reaches a named private endpoint when allowed, through the guarded lookup and TLS name check', async () => {
    const resolve: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const h = harness({ allowPrivateEndpoints: true }, { resolve });
    const receiver = new PushReceiver();
    const path = `/push/${++pathCounter}`;
    await h.push.subscribe({ accountId: ACCOUNT, deviceId: 1 }, receiver.subscription(service.endpoint(path, TEST_PUSH_HOST)));
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 2);
    await service.waitForRequests(before + 1);
    await h.push.settled();
    expect(decode(receiver, service.receivedAt(path)[0])).toEqual({ v: 1, kind: 'message', pending: 2 });
    const { payload } = await verifyVapid(service.receivedAt(path)[0]?.headers.authorization, `https://${TEST_PUSH_HOST}:${service.port}`);
    expect(payload.aud).toBe(`https://${TEST_PUSH_HOST}:${service.port}`);
  });
});

describe('a dead push service', () => {
  async function closedPort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('never holds up the send path while it refuses connections, and bounds what it tracks', async () => {
    const h = harness({ maxRetries: 1, backoffBaseMs: 10, maxTrackedDevices: 8 });
    const port = await closedPort();
    for (let deviceId = 1; deviceId <= 12; deviceId++) {
      const receiver = new PushReceiver();
      await h.push.subscribe({ accountId: ACCOUNT, deviceId }, receiver.subscription(`https://127.0.0.1:${port}/dead/${deviceId}`));
    }
    // A stand-in for the relay's send path: durable enqueue first, then a push hint it never awaits.
    const queue: Array<{ deviceId: number; n: number }> = [];
    const send = async (deviceId: number, n: number) => {
      queue.push({ deviceId, n });
      h.push.notify(ACCOUNT, deviceId, 'message', queue.filter((m) => m.deviceId === deviceId).length);
    };
    const sends: Array<Promise<void>> = [];
    for (let n = 0; n < 240; n++) sends.push(send((n % 12) + 1, n));
    await Promise.all(sends);
    expect(queue).toHaveLength(240);
    expect(queue.map((m) => m.n)).toEqual([...Array(240).keys()]);
    const stats = h.push.stats();
    expect(stats.trackedDevices).toBe(8);
    expect(stats.inFlight).toBeLessThanOrEqual(h.config.maxConcurrentRequests);
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'overload' })).toBe(4 * 20);

    // Drive retries to the end: each tracked device gives up once, nothing is left behind.
    for (let step = 0; step < 100 && (h.scheduler.pending() > 0 || h.push.stats().inFlight > 0); step++) {
      await h.push.settled();
      h.scheduler.advance(h.scheduler.nextDelay() ?? 0);
    }
    await h.push.settled();
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'network' })).toBe(8);
    expect(await h.metric('sealpost_relay_push_sent_total')).toBe(0);
    expect(h.push.stats().trackedDevices).toBe(0);
  });

  it('keeps notify immediate while a request hangs, then fails it by the socket timeout', async () => {
    const h = harness({ maxRetries: 0, requestTimeoutMs: 200 });
    const { path } = await subscribed(h, 1);
    service.hang(path);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    await service.waitForRequests(before + 1);
    for (let i = 2; i <= 50; i++) expect(h.push.notify(ACCOUNT, 1, 'message', i)).toBeUndefined();
    expect(h.push.stats().inFlight).toBe(1);
    expect(service.receivedAt(path)).toHaveLength(1);
    await h.push.settled(); // ends when the 200 ms socket timeout destroys the request
    expect(await h.metric('sealpost_relay_push_failed_total', { reason: 'network' })).toBe(1);
    expect(h.push.stats().inFlight).toBe(0);
  });

  it('close() cancels timers and ends a hanging request', async () => {
    const h = harness({ requestTimeoutMs: 600_000 });
    const { path } = await subscribed(h, 1);
    service.hang(path);
    const other = await subscribed(h, 2);
    service.script(other.path, 503);
    const before = service.received.length;
    h.push.notify(ACCOUNT, 1, 'message', 1);
    h.push.notify(ACCOUNT, 2, 'message', 1);
    await service.waitForRequests(before + 2);
    while (h.push.stats().inFlight > 1) await new Promise((resolve) => setImmediate(resolve));
    expect(h.scheduler.pending()).toBeGreaterThan(0); // device 2 backs off
    await h.push.close(); // would wait 10 minutes if the hanging socket were not destroyed
    expect(h.scheduler.pending()).toBe(0);
    expect(h.push.stats()).toEqual({ trackedDevices: 0, inFlight: 0, ready: 0 });
    h.push.notify(ACCOUNT, 2, 'message', 2);
    expect(h.push.stats().trackedDevices).toBe(0);
  });
});
