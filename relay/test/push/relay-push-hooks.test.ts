/**
 * Web Push wired into a relay built by createRelay, in process over real sockets: which queue
 * events wake which devices (an envelope: `message`; delivered and read receipts and expiry
 * reports: `receipt`; a low prekey pool: `prekeys-low`), always with the device's queue depth,
 * never for a device with a live connection or without a subscription; coalescing of a burst;
 * subscriptions removed with their device or account even by a store that cannot cascade; and a
 * relay without push working unchanged. Pushes go to a recording sender and time moves only
 * through a manual scheduler; the real HTTPS path is relay-push-e2e.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sentFrameSchema } from '../../src/api/index.js';
import type { MessageFrame, SendFrame } from '../../src/api/index.js';
import type { PushPayload } from '../../src/push/push-payload.js';
import type { PushSender, SendOutcome } from '../../src/push/push-sender.js';
import type { PushSubscriptionRecord } from '../../src/storage/push-subscription-store.js';
import { InMemoryPushSubscriptionStore } from '../../src/storage/memory/in-memory-push-subscription-store.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { deviceListText } from '../support/crypto-fixtures.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { ConfigOverrides, Harness, StartOptions } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';
import type { TestSocket } from '../support/ws-client.js';
import { ManualScheduler } from './support/manual-scheduler.js';
import { PushReceiver } from './support/push-receiver.js';

const INTERVAL = 1_000;

class RecordingSender implements PushSender {
  readonly sent: Array<{ endpoint: string; payload: PushPayload }> = [];

  async send(subscription: PushSubscriptionRecord, payload: Buffer): Promise<SendOutcome> {
    this.sent.push({ endpoint: subscription.endpoint, payload: JSON.parse(payload.toString('utf8')) as PushPayload });
    return { type: 'delivered', status: 201 };
  }

  close(): void {}

  /** Pushes to one device's endpoint, in order. */
  to(endpoint: string): PushPayload[] {
    return this.sent.filter((s) => s.endpoint === endpoint).map((s) => s.payload);
  }
}

interface PushRelay {
  readonly h: Harness;
  readonly sender: RecordingSender;
  readonly scheduler: ManualScheduler;
  /** Waits until every wake-up started so far has been pushed (or dropped by coalescing). */
  settle(): Promise<void>;
}

let running: Harness | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
});

async function startPushRelay(overrides: ConfigOverrides = {}, options: StartOptions = {}): Promise<PushRelay> {
  const sender = new RecordingSender();
  const scheduler = new ManualScheduler();
  const h = await startRelay(
    { ...overrides, push: { subject: 'mailto:ops@sealpost.test', allowPrivateEndpoints: true, coalesceIntervalMs: INTERVAL, ...overrides.push } },
    { ...options, pushTest: { sender, scheduler } },
  );
  running = h;
  const push = h.relay.services.push;
  if (push === undefined) throw new Error('push is off');
  return {
    h,
    sender,
    scheduler,
    async settle() {
      await h.relay.services.wakeups.settled();
      await push.settled();
    },
  };
}

/** Registers a subscription for one device over HTTP; the endpoint is never contacted (recording sender). */
async function subscribe(h: Harness, account: TestAccount, deviceId: number): Promise<string> {
  const endpoint = `https://127.0.0.1:9/push/${account.accountId}/${deviceId}`;
  const receiver = new PushReceiver();
  const response = await request(h.url, 'PUT', '/v1/push/subscription', { token: account.token(deviceId), json: { endpoint, keys: { p256dh: receiver.p256dh, auth: receiver.auth } } });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return endpoint;
}

let clientIds = 0;
function sendFrame(to: TestAccount, deviceIds: number[], extra: Partial<SendFrame> = {}): SendFrame {
  clientIds++;
  return { v: 1, type: 'send', clientId: `p-${clientIds}`, to: to.accountId, copies: deviceIds.map((deviceId) => ({ deviceId, ciphertext: 'AAEC' })), ...extra };
}

async function sendAndWait(socket: TestSocket, frame: SendFrame): Promise<void> {
  socket.send(frame);
  const answer = await socket.next((f) => (f.type === 'sent' && f.clientId === frame.clientId) || (f.type === 'error' && f.ref === frame.clientId));
  expect(sentFrameSchema.parse(answer).stored).toBeGreaterThan(0);
}

const message = (pending: number): PushPayload => ({ v: 1, kind: 'message', pending });

describe('Web Push in the relay', () => {
  it('wakes offline devices with `message` and their queue depth, never a connected one, and coalesces a burst', async () => {
    const { h, sender, scheduler, settle } = await startPushRelay();
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob1 = await subscribe(h, bob, 1);
    const bob2 = await subscribe(h, bob, 2);
    const alice2 = await subscribe(h, alice, 2);
    const online = await connect(h.wsUrl, bob.token(1));
    const socket = await connect(h.wsUrl, alice.token(1));

    await sendAndWait(socket, sendFrame(bob, [1, 2], { selfCopies: [{ deviceId: 2, ciphertext: 'AAEC' }] }));
    await settle();
    expect(sender.to(bob2)).toEqual([message(1)]);
    expect(sender.to(alice2)).toEqual([message(1)]); // the sender's own other device, for its self copy
    expect(sender.to(bob1)).toEqual([]);
    await online.next('message');

    // Inside the coalescing interval the next sends fold into one trailing push with the latest depth.
    for (let i = 0; i < 3; i++) await sendAndWait(socket, sendFrame(bob, [1, 2], { selfCopies: [{ deviceId: 2, ciphertext: 'AAEC' }] }));
    await settle();
    expect(sender.to(bob2)).toHaveLength(1);
    scheduler.advance(INTERVAL);
    await settle();
    expect(sender.to(bob2)).toEqual([message(1), message(4)]);
    expect(sender.to(alice2)).toEqual([message(1), message(4)]);
    expect(sender.to(bob1)).toEqual([]);
    await Promise.all([online.close(), socket.close()]);
  });

  it('wakes a sender\'s offline device with `receipt` for delivered and read receipts and expiry reports', async () => {
    const { h, sender, scheduler, settle } = await startPushRelay();
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url);
    const carol = await registerAccount(h.url);
    const alice2 = await subscribe(h, alice, 2);
    const socket = await connect(h.wsUrl, alice.token(1));
    const selfCopy = { selfCopies: [{ deviceId: 2, ciphertext: 'AAEC' }] };
    const nextPush = async () => {
      await settle();
      const pushes = sender.to(alice2);
      // Let the coalescing interval pass, so the next event goes out on its own with its own kind.
      scheduler.advance(INTERVAL);
      return pushes[pushes.length - 1];
    };

    await sendAndWait(socket, sendFrame(bob, [1], selfCopy));
    expect(await nextPush()).toEqual(message(1));

    const bobSocket = await connect(h.wsUrl, bob.token());
    const delivered = (await bobSocket.next('message')) as MessageFrame;
    bobSocket.send({ v: 1, type: 'ack', seqs: [delivered.seq] });
    await socket.next((f) => f.type === 'receipt' && f.kind === 'delivered');
    expect(await nextPush()).toEqual({ v: 1, kind: 'receipt', pending: 2 });

    bobSocket.send({ v: 1, type: 'read', messageIds: [delivered.messageId] });
    await socket.next((f) => f.type === 'receipt' && f.kind === 'read');
    expect(await nextPush()).toEqual({ v: 1, kind: 'receipt', pending: 3 });

    // Carol never connects: her copy and alice's self copy expire, and alice's devices are told.
    await sendAndWait(socket, sendFrame(carol, [1], { ...selfCopy, ttlSeconds: 60 }));
    expect(await nextPush()).toEqual(message(4));
    h.clock.advance(61_000);
    await h.relay.services.housekeeping.runOnce();
    await socket.next('expired');
    // The expired self copy left alice 2's queue; the report joined it.
    expect(await nextPush()).toEqual({ v: 1, kind: 'receipt', pending: 4 });
    await Promise.all([bobSocket.close(), socket.close()]);
  });

  it('tells an offline device with `prekeys-low` that its pool ran low', async () => {
    const { h, sender, settle } = await startPushRelay({ prekeys: { lowWatermark: 2 } });
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url, { prekeys: 2 });
    const bob1 = await subscribe(h, bob, 1);
    const fetched = await request(h.url, 'GET', `/v1/accounts/${bob.accountId}/bundles`, { token: alice.token() });
    expect(fetched.status).toBe(200);
    await settle();
    expect(sender.to(bob1)).toEqual([{ v: 1, kind: 'prekeys-low', pending: 0 }]);
  });

  it('pushes nothing to a device without a subscription', async () => {
    const { h, sender, settle } = await startPushRelay();
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const socket = await connect(h.wsUrl, alice.token());
    await sendAndWait(socket, sendFrame(bob, [1]));
    await settle();
    expect(sender.sent).toEqual([]);
    // ...while the wake-up did reach the notifier: subscribing now and sending again pushes.
    const bob1 = await subscribe(h, bob, 1);
    await sendAndWait(socket, sendFrame(bob, [1]));
    await settle();
    expect(sender.to(bob1)).toEqual([message(2)]);
    await socket.close();
  });

  it('removes subscriptions with their device or account, even from a store that cannot cascade', async () => {
    const store = new InMemoryPushSubscriptionStore();
    const { h } = await startPushRelay(
      {},
      {
        // SQLite for everything else; its push table would cascade, this store does not.
        storage: (dataDir) => ({ ...openSqliteStorage({ file: `${dataDir}/relay.sqlite` }), pushSubscriptions: store }),
      },
    );
    const alice = await registerAccount(h.url, { deviceIds: [1, 2, 3] });
    for (const deviceId of [1, 2, 3]) await subscribe(h, alice, deviceId);
    const device = (deviceId: number) => ({ accountId: alice.accountId, deviceId });
    expect(await store.count()).toBe(3);

    const list = await deviceListText(alice.identity, 2, alice.identity.devices.filter((d) => d.deviceId !== 3));
    expect((await request(h.url, 'PUT', '/v1/device-list', { token: alice.token(1), json: { deviceList: list } })).status).toBe(200);
    expect(await store.get(device(3))).toBeNull();

    await h.relay.services.admin.removeDevice(alice.accountId, 2);
    expect(await store.get(device(2))).toBeNull();
    expect(await store.get(device(1))).not.toBeNull();

    await h.relay.services.admin.deleteAccount(alice.accountId);
    expect(await store.count()).toBe(0);
  });
});

describe('a relay without push', () => {
  it('serves no push routes and delivers as before', async () => {
    const h = await startRelay();
    running = h;
    expect(h.relay.services.push).toBeUndefined();
    expect((await request(h.url, 'GET', '/v1/push/vapid-key')).status).toBe(404);
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const socket = await connect(h.wsUrl, alice.token());
    await sendAndWait(socket, sendFrame(bob, [1]));
    const bobSocket = await connect(h.wsUrl, bob.token());
    expect((await bobSocket.next('message')).type).toBe('message');
    await Promise.all([socket.close(), bobSocket.close()]);
  });
});
