/**
 * Web Push end to end with the real relay executable in a child process, trusting the test CA
 * the standard Node way (NODE_EXTRA_CA_CERTS) and started with --push-allow-private-endpoints so
 * it may reach the local HTTPS push service on 127.0.0.1:
 *  - a device subscribes over HTTP and goes offline; another account's message over the
 *    WebSocket reaches the push service as an RFC 8291 request whose payload decrypts (http_ece,
 *    independent of web-push) to only {v, kind: 'message', pending}, signed with the relay's
 *    VAPID key (verified with jose);
 *  - a burst of sends while that push is still unanswered becomes one trailing push with the
 *    latest count;
 *  - a 410 from the push service removes the subscription;
 *  - with the push service dead, sends are still acked `sent`, and the messages are delivered
 *    when the device reconnects.
 * Nothing waits on wall-clock time: every step waits for a request, a frame or a state.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushStatusResponseSchema, sentFrameSchema, vapidKeyResponseSchema } from '../../src/api/index.js';
import type { SendFrame } from '../../src/api/index.js';
import { PUSH_PAYLOAD_BYTES } from '../../src/push/push-payload.js';
import { request } from '../support/http-client.js';
import { spawnRelay } from '../support/relay-process.js';
import type { RelayProcess } from '../support/relay-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';
import type { TestSocket } from '../support/ws-client.js';
import { LocalPushService } from './support/local-push-service.js';
import { PushReceiver } from './support/push-receiver.js';
import { makeTestCa } from './support/test-ca.js';
import type { TestCa } from './support/test-ca.js';
import { verifyVapid } from './support/vapid-jwt.js';

const SUBJECT = 'mailto:ops@sealpost.test';
const POLL = { timeout: 30_000, interval: 50 };

let ca: TestCa;
let service: LocalPushService;
let dir: TempDir;
let relay: RelayProcess;
let alice: TestAccount;
let aliceSocket: TestSocket;

beforeAll(async () => {
  ca = await makeTestCa();
  service = await LocalPushService.start(ca);
  dir = makeTempDir('sealpost-push-e2e-');
  const caFile = join(dir.path, 'test-ca.pem');
  writeFileSync(caFile, ca.caCert);
  relay = await spawnRelay(['--data-dir', join(dir.path, 'data'), '--push-allow-private-endpoints'], {
    NODE_EXTRA_CA_CERTS: caFile,
    SEALPOST_RELAY_PUSH__SUBJECT: SUBJECT,
    SEALPOST_RELAY_PUSH__COALESCE_INTERVAL_MS: '1000',
    SEALPOST_RELAY_PUSH__MAX_RETRIES: '1',
    SEALPOST_RELAY_PUSH__BACKOFF_BASE_MS: '50',
    // A held push must not time out while the test piles up a burst behind it.
    SEALPOST_RELAY_PUSH__REQUEST_TIMEOUT_MS: '60000',
  });
  alice = await registerAccount(relay.url);
  aliceSocket = await connect(relay.wsUrl, alice.token());
});

afterAll(async () => {
  await aliceSocket?.close();
  relay?.child.kill('SIGTERM');
  await relay?.exited;
  await service?.close();
  dir?.remove();
});

let clientIds = 0;
async function send(to: TestAccount): Promise<void> {
  clientIds++;
  const frame: SendFrame = { v: 1, type: 'send', clientId: `e2e-${clientIds}`, to: to.accountId, copies: [{ deviceId: 1, ciphertext: 'c2VhbGVk' }] };
  aliceSocket.send(frame);
  const answer = await aliceSocket.next((f) => (f.type === 'sent' && f.clientId === frame.clientId) || (f.type === 'error' && f.ref === frame.clientId));
  // The `sent` ack is the durable-store promise; push never changes it.
  expect(sentFrameSchema.parse(answer)).toMatchObject({ stored: 1, duplicate: false });
}

async function subscribe(account: TestAccount, endpoint: string, receiver: PushReceiver): Promise<void> {
  const body = { endpoint, expirationTime: null, keys: { p256dh: receiver.p256dh, auth: receiver.auth } };
  const response = await request(relay.url, 'PUT', '/v1/push/subscription', { token: account.token(), json: body });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  expect(pushStatusResponseSchema.parse(response.body)).toMatchObject({ subscribed: true, endpoint, failureCount: 0 });
}

function decrypt(receiver: PushReceiver, body: Buffer): unknown {
  const plain = receiver.decrypt(body);
  // Every payload has the same length, so its ciphertext tells neither kind nor count.
  expect(plain.length).toBe(PUSH_PAYLOAD_BYTES);
  return JSON.parse(plain.toString('utf8'));
}

async function metric(line: string): Promise<number> {
  const text = (await request<string>(relay.url, 'GET', '/metrics')).body;
  const found = text.split('\n').find((l) => l.startsWith(`${line} `));
  return found === undefined ? 0 : Number(found.split(' ').pop());
}

describe('Web Push from the relay process', () => {
  it('wakes an offline device with an encrypted, VAPID-signed push of kind and count only, and coalesces a burst', async () => {
    const bob = await registerAccount(relay.url);
    const receiver = new PushReceiver();
    const path = '/e2e/bob';
    await subscribe(bob, service.endpoint(path), receiver);
    // Online, then gone: the relay must notice the disconnect before a send can count as offline.
    expect((await request(relay.url, 'PUT', '/v1/presence/viewers', { token: bob.token(), json: { accountIds: [alice.accountId] } })).status).toBe(204);
    const bobSocket = await connect(relay.wsUrl, bob.token());
    await bobSocket.close();
    await expect.poll(async () => (await request<{ online: boolean }>(relay.url, 'GET', `/v1/accounts/${bob.accountId}/presence`, { token: alice.token() })).body.online, POLL).toBe(false);

    service.hold(path);
    await send(bob);
    await service.waitForRequestsAt(path, 1);
    const [first] = service.receivedAt(path);
    expect(first?.method).toBe('POST');
    expect(first?.headers['content-encoding']).toBe('aes128gcm');
    expect(first?.headers.ttl).toBe('86400');
    expect(first?.headers.urgency).toBe('normal');
    expect(first?.headers.topic).toBe('sealpost');
    expect(decrypt(receiver, first!.body)).toEqual({ v: 1, kind: 'message', pending: 1 });
    const vapid = await verifyVapid(first?.headers.authorization, service.origin);
    expect(vapid.payload.sub).toBe(SUBJECT);
    const served = vapidKeyResponseSchema.parse((await request(relay.url, 'GET', '/v1/push/vapid-key')).body);
    expect(vapid.publicKey).toBe(served.publicKey);

    // While that push is unanswered, four more messages arrive: they wait as one slot.
    for (let i = 0; i < 4; i++) await send(bob);
    service.release(path);
    await service.waitForRequestsAt(path, 2);
    const pushes = service.receivedAt(path);
    expect(pushes).toHaveLength(2);
    expect(decrypt(receiver, pushes[1]!.body)).toEqual({ v: 1, kind: 'message', pending: 5 });
    // Counted once the relay has read the 201 answer, which may come just after the request arrived.
    await expect.poll(() => metric('sealpost_relay_push_coalesced_total'), POLL).toBeGreaterThanOrEqual(3);

    // The endpoint is a capability URL and auth a secret: neither is ever logged.
    expect(relay.stdout()).not.toContain(path);
    expect(relay.stdout()).not.toContain(receiver.auth);
  });

  it('removes the subscription when the push service answers 410 Gone', async () => {
    const carol = await registerAccount(relay.url);
    const path = '/e2e/carol';
    await subscribe(carol, service.endpoint(path), new PushReceiver());
    service.script(path, 410);
    await send(carol);
    await service.waitForRequestsAt(path, 1);
    await expect.poll(async () => pushStatusResponseSchema.parse((await request(relay.url, 'GET', '/v1/push/subscription', { token: carol.token() })).body), POLL).toEqual({ subscribed: false });
    await expect.poll(() => metric('sealpost_relay_push_subscriptions_removed_total{status="410"}'), POLL).toBe(1);
  });

  it('keeps storing and delivering messages while the push service is dead', async () => {
    const dead = await LocalPushService.start(ca);
    const dave = await registerAccount(relay.url);
    await subscribe(dave, dead.endpoint('/e2e/dave'), new PushReceiver());
    await dead.close();
    const failedBefore = await metric('sealpost_relay_push_failed_total{reason="network"}');

    for (let i = 0; i < 3; i++) await send(dave);
    // The push was tried, retried once and given up; the messages were never at stake.
    await expect.poll(() => metric('sealpost_relay_push_failed_total{reason="network"}'), POLL).toBeGreaterThan(failedBefore);
    const status = pushStatusResponseSchema.parse((await request(relay.url, 'GET', '/v1/push/subscription', { token: dave.token() })).body);
    expect(status.subscribed && status.failureCount).toBeGreaterThanOrEqual(1);

    const daveSocket = await connect(relay.wsUrl, dave.token());
    const delivered = [await daveSocket.next('message'), await daveSocket.next('message'), await daveSocket.next('message')];
    expect(delivered.map((f) => f.type)).toEqual(['message', 'message', 'message']);
    await daveSocket.next('drained');
    await daveSocket.close();
    expect((await request(relay.url, 'GET', '/readyz')).status).toBe(200);
  });
});
