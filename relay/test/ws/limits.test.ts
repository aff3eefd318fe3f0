/**
 * Limits over real sockets: envelope size, queue count and bytes (the sender is told), TTL (too
 * long refused; expired copies reported to the sender's devices), send rate, slow consumers
 * (4500), and the prekey pool-low notice.
 */
import { toBase64Url } from '@sealpost/crypto/public';
import { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { errorFrameSchema, expiredFrameSchema, prekeysLowFrameSchema, sentFrameSchema } from '../../src/api/index.js';
import type { SendFrame } from '../../src/api/index.js';
import { request } from '../support/http-client.js';
import { useRelayPerTest } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { TestSocket, connect } from '../support/ws-client.js';

let ids = 0;
function frame(to: TestAccount, bytes: number, extra: Partial<SendFrame> = {}): SendFrame {
  ids++;
  return { v: 1, type: 'send', clientId: `l-${ids}`, to: to.accountId, copies: [{ deviceId: 1, ciphertext: toBase64Url(new Uint8Array(bytes).fill(ids % 256)) }], ...extra };
}

async function answer(socket: TestSocket, send: SendFrame) {
  socket.send(send);
  return socket.next((f) => (f.type === 'sent' && f.clientId === send.clientId) || (f.type === 'error' && f.ref === send.clientId));
}

describe('limits', () => {
  const start = useRelayPerTest();

  it('refuses ciphertexts over limits.maxEnvelopeBytes', async () => {
    const relay = await start({ limits: { maxEnvelopeBytes: 100 } });
    const [alice, bob] = [await registerAccount(relay.url), await registerAccount(relay.url)];
    const socket = await connect(relay.wsUrl, alice.token());
    expect(sentFrameSchema.parse(await answer(socket, frame(bob, 100))).stored).toBe(1);
    const error = errorFrameSchema.parse(await answer(socket, frame(bob, 101)));
    expect(error).toMatchObject({ code: 'RELAY_ERR_ENVELOPE_TOO_LARGE', details: { deviceId: 1, maxEnvelopeBytes: 100 } });
    await socket.close();
  });

  it('tells the sender when a recipient queue is full, by count or by bytes', async () => {
    const relay = await start({ limits: { maxQueueMessages: 2, maxQueueBytes: 1_000 } });
    const [alice, bob, carol] = [await registerAccount(relay.url), await registerAccount(relay.url), await registerAccount(relay.url)];
    const socket = await connect(relay.wsUrl, alice.token());
    await answer(socket, frame(bob, 10));
    await answer(socket, frame(bob, 10));
    const full = errorFrameSchema.parse(await answer(socket, frame(bob, 10)));
    expect(full).toMatchObject({ code: 'RELAY_ERR_QUEUE_FULL', details: { devices: [{ accountId: bob.accountId, deviceId: 1 }] } });
    await answer(socket, frame(carol, 600));
    expect(errorFrameSchema.parse(await answer(socket, frame(carol, 600))).code).toBe('RELAY_ERR_QUEUE_FULL');
    await socket.close();
  });

  it('refuses a TTL above limits.maxTtlSeconds', async () => {
    const relay = await start({ limits: { maxTtlSeconds: 60, defaultTtlSeconds: 60 } });
    const [alice, bob] = [await registerAccount(relay.url), await registerAccount(relay.url)];
    const socket = await connect(relay.wsUrl, alice.token());
    expect(errorFrameSchema.parse(await answer(socket, frame(bob, 5, { ttlSeconds: 61 }))).code).toBe('RELAY_ERR_TTL_TOO_LONG');
    const sent = sentFrameSchema.parse(await answer(socket, frame(bob, 5)));
    expect(sent.expiresAt! - sent.sentAt).toBe(60_000);
    await socket.close();
  });

  it('expires undelivered copies and tells every sender device which ones', async () => {
    const relay = await start({});
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const socket = await connect(relay.wsUrl, alice.token(1));
    const sent = sentFrameSchema.parse(
      await answer(socket, {
        ...frame(bob, 5, { ttlSeconds: 30 }),
        copies: [1, 2].map((deviceId) => ({ deviceId, ciphertext: 'AAAA' })),
        selfCopies: [{ deviceId: 2, ciphertext: 'AAAA' }],
      }),
    );
    const bob1 = await connect(relay.wsUrl, bob.token(1));
    const delivered = await bob1.next('message');
    bob1.send({ v: 1, type: 'ack', seqs: [delivered.seq!] });
    await socket.next('receipt');

    relay.clock.advance(30_001);
    await relay.relay.services.housekeeping.runOnce();
    const report = expiredFrameSchema.parse(await socket.next('expired'));
    expect(report.messageId).toBe(sent.messageId);
    expect(report.devices).toEqual(expect.arrayContaining([{ accountId: bob.accountId, deviceId: 2 }, { accountId: alice.accountId, deviceId: 2 }]));
    expect(report.devices).toHaveLength(2);

    const bob2 = await connect(relay.wsUrl, bob.token(2));
    await bob2.next('drained');
    expect(bob2.pending('message')).toHaveLength(0);
    await Promise.all([socket.close(), bob1.close(), bob2.close()]);
  });

  it('rate-limits sends with an error frame carrying retryAfterMs', async () => {
    const relay = await start({ rateLimits: { sendPerDevice: { limit: 2, windowMs: 60_000 } } });
    const [alice, bob] = [await registerAccount(relay.url), await registerAccount(relay.url)];
    const socket = await connect(relay.wsUrl, alice.token());
    await answer(socket, frame(bob, 1));
    await answer(socket, frame(bob, 1));
    const limited = errorFrameSchema.parse(await answer(socket, frame(bob, 1)));
    expect(limited.code).toBe('RELAY_ERR_RATE_LIMITED');
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    relay.clock.advance(limited.retryAfterMs!);
    expect(sentFrameSchema.parse(await answer(socket, frame(bob, 1))).stored).toBe(1);
    await socket.close();
  });

  it('disconnects a consumer that stops reading with 4500', async () => {
    const relay = await start({ delivery: { slowConsumerBytes: 65_536 }, limits: { maxQueueBytes: 1e9 } });
    const [alice, bob] = [await registerAccount(relay.url), await registerAccount(relay.url)];
    const sender = await connect(relay.wsUrl, alice.token());
    // Bob's client stops reading as soon as it is connected, before any frame arrives.
    const raw = new WebSocket(relay.wsUrl, { headers: { authorization: `Bearer ${bob.token()}` } });
    raw.once('open', () => raw.pause());
    const slow = new TestSocket(raw);
    await new Promise((resolve) => raw.once('open', resolve));
    const closesFor = async () => (await relay.relay.services.deps.metrics.wsCloses.get()).values.find((v) => v.labels.code === 'RELAY_ERR_SLOW_CONSUMER')?.value ?? 0;

    // Live traffic until the relay gives up on the reader (the kernel buffers fill first).
    while ((await closesFor()) === 0) {
      const burst = Array.from({ length: 20 }, () => frame(bob, 60_000));
      for (const send of burst) sender.send(send);
      await sender.next((f) => f.type === 'sent' && f.clientId === burst[burst.length - 1]!.clientId);
    }
    // Once it reads again, it finds the close frame behind the data it had not read.
    raw.resume();
    expect(await slow.closed).toEqual({ code: 4500, reason: 'RELAY_ERR_SLOW_CONSUMER' });
    await sender.close();
  });

  it('tells a device when a bundle fetch leaves its pool below the low watermark', async () => {
    const relay = await start({ prekeys: { lowWatermark: 2 } });
    const bob = await registerAccount(relay.url, { prekeys: 2 });
    const alice = await registerAccount(relay.url);
    const socket = await connect(relay.wsUrl, bob.token());
    await socket.next('drained');
    expect(socket.pending('prekeys.low')).toHaveLength(0);
    await request(relay.url, 'GET', `/v1/accounts/${bob.accountId}/bundles`, { token: alice.token() });
    expect(prekeysLowFrameSchema.parse(await socket.next('prekeys.low'))).toEqual({ v: 1, type: 'prekeys.low', oneTimeX25519: 1, oneTimeKem: 1, lowWatermark: 2 });
    await socket.close();
    // A device connecting with a low pool is told at once.
    const again = await connect(relay.wsUrl, bob.token());
    expect(prekeysLowFrameSchema.parse(await again.next('prekeys.low')).oneTimeX25519).toBe(1);
    await again.close();
  });
});
