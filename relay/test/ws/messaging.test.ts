/**
 * Sending and delivery over real sockets: copies per device, device-set mismatch, durable `sent`
 * acks, client-id dedup, ordered delivery with a window and `drained`, batched acks with
 * `delivered` receipts (queued for offline senders), `read` receipts, online-only envelopes,
 * note-to-self, and that no device can ack another device's queue.
 */
import { toBase64Url } from '@sealpost/crypto/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFrameSchema, messageFrameSchema, receiptFrameSchema, sentFrameSchema } from '../../src/api/index.js';
import type { MessageFrame, SendFrame } from '../../src/api/index.js';
import { deviceListText, newDevice } from '../support/crypto-fixtures.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { login, registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';
import type { TestSocket } from '../support/ws-client.js';

const text = (s: string) => toBase64Url(new TextEncoder().encode(s));
const untext = (frame: MessageFrame) => Buffer.from(frame.ciphertext, 'base64url').toString('utf8');

let clientIds = 0;
function sendFrame(to: TestAccount, deviceIds: number[], extra: Partial<SendFrame> = {}): SendFrame {
  clientIds++;
  return {
    v: 1,
    type: 'send',
    clientId: `c-${clientIds}`,
    to: to.accountId,
    copies: deviceIds.map((deviceId) => ({ deviceId, ciphertext: text(`${clientIds} for ${deviceId}`) })),
    ...extra,
  };
}

/** Receives `count` messages, acking each as it arrives. */
async function receiveAcking(receiver: TestSocket, count: number): Promise<MessageFrame[]> {
  const received: MessageFrame[] = [];
  while (received.length < count) {
    const message = messageFrameSchema.parse(await receiver.next('message'));
    received.push(message);
    receiver.send({ v: 1, type: 'ack', seqs: [message.seq!] });
  }
  return received;
}

async function sendAndWait(socket: TestSocket, frame: SendFrame) {
  socket.send(frame);
  const answer = await socket.next((f) => (f.type === 'sent' && f.clientId === frame.clientId) || (f.type === 'error' && f.ref === frame.clientId));
  return answer;
}

describe('messaging', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay({ delivery: { window: 3 } });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('stores one copy per device, acks `sent` with the count, and delivers to each device', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const sender = await connect(h.wsUrl, alice.token(1));
    const frame = sendFrame(bob, [1, 2], { selfCopies: [{ deviceId: 2, ciphertext: text('sync copy') }] });
    const sent = sentFrameSchema.parse(await sendAndWait(sender, frame));
    expect(sent).toMatchObject({ clientId: frame.clientId, stored: 3, duplicate: false, sentAt: h.clock() });

    const bob1 = await connect(h.wsUrl, bob.token(1));
    const bob2 = await connect(h.wsUrl, bob.token(2));
    const alice2 = await connect(h.wsUrl, alice.token(2));
    const m1 = messageFrameSchema.parse(await bob1.next('message'));
    const m2 = messageFrameSchema.parse(await bob2.next('message'));
    const own = messageFrameSchema.parse(await alice2.next('message'));
    expect(untext(m1)).toBe(`${clientIds} for 1`);
    expect(untext(m2)).toBe(`${clientIds} for 2`);
    expect(untext(own)).toBe('sync copy');
    for (const m of [m1, m2, own]) expect(m).toMatchObject({ messageId: sent.messageId, from: { accountId: alice.accountId, deviceId: 1 }, expiresAt: sent.expiresAt });
    await bob1.next('drained');
    await Promise.all([sender, bob1, bob2, alice2].map((s) => s.close()));
  });

  it('refuses a send whose copies do not match the device lists, naming missing, extra and stale devices', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url, { deviceIds: [1, 2, 3] });
    // Bob replaces device 2's keys (version 2): a sender still on version 1 holds a stale session.
    const newTwo = await newDevice(2);
    await request(h.url, 'PUT', '/v1/device-list', { token: bob.token(1), json: { deviceList: await deviceListText(bob.identity, 2, [bob.device(1), newTwo, bob.device(3)]) } });

    const sender = await connect(h.wsUrl, alice.token(1));
    const frame = sendFrame(bob, [1, 2, 9], { listVersion: 1 });
    const error = errorFrameSchema.parse(await sendAndWait(sender, frame));
    expect(error.code).toBe('RELAY_ERR_DEVICE_MISMATCH');
    expect(error.details).toEqual({
      missing: [
        { accountId: bob.accountId, deviceId: 3 },
        { accountId: alice.accountId, deviceId: 2 },
      ],
      extra: [{ accountId: bob.accountId, deviceId: 9 }],
      stale: [{ accountId: bob.accountId, deviceId: 2 }],
    });
    // With the current version and every device, the same client id now goes through.
    const fixed = { ...sendFrame(bob, [1, 2, 3], { listVersion: 2, selfCopies: [{ deviceId: 2, ciphertext: text('x') }] }), clientId: frame.clientId };
    expect(sentFrameSchema.parse(await sendAndWait(sender, fixed)).stored).toBe(4);
    await sender.close();
  });

  it('answers a repeated client id with the original ack and stores nothing new', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const sender = await connect(h.wsUrl, alice.token());
    const frame = sendFrame(bob, [1]);
    const first = sentFrameSchema.parse(await sendAndWait(sender, frame));
    const retry = sentFrameSchema.parse(await sendAndWait(sender, { ...frame, copies: [{ deviceId: 1, ciphertext: text('different') }] }));
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await h.relay.services.deps.storage.messages.stats({ accountId: bob.accountId, deviceId: 1 })).toEqual({ count: 1, bytes: new TextEncoder().encode(`${clientIds} for 1`).length });
    await sender.close();
  });

  it('delivers a backlog in order with at most `window` unacked, then `drained`', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const sender = await connect(h.wsUrl, alice.token());
    const frames = Array.from({ length: 7 }, () => sendFrame(bob, [1]));
    for (const frame of frames) sender.send(frame);
    for (const frame of frames) await sender.next((f) => f.type === 'sent' && f.clientId === frame.clientId);

    const receiver = await connect(h.wsUrl, bob.token());
    // The ping is answered after the initial backlog push, so what arrived by then is all of it.
    receiver.send({ v: 1, type: 'ping' });
    await receiver.next('pong');
    const firstWindow = receiver.pending('message') as MessageFrame[];
    expect(firstWindow).toHaveLength(3);
    expect(receiver.pending('drained')).toHaveLength(0);

    const received = await receiveAcking(receiver, 7);
    await receiver.next('drained');
    expect(received.map(untext)).toEqual(frames.map((f) => Buffer.from(f.copies[0]!.ciphertext, 'base64url').toString()));
    const seqs = received.map((m) => m.seq!);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    await Promise.all([sender.close(), receiver.close()]);
  });

  it('delivers to a connected device as messages commit, still at most `window` unacked, each once and in order', async () => {
    // The recipient is online and drained first, so new messages reach it from the commit's
    // `queued` event (no read), until its window is full; the rest come from a read after acks.
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const receiver = await connect(h.wsUrl, bob.token());
    await receiver.next('drained');
    const sender = await connect(h.wsUrl, alice.token());
    const frames = Array.from({ length: 7 }, () => sendFrame(bob, [1]));
    for (const frame of frames) sender.send(frame);
    for (const frame of frames) await sender.next((f) => f.type === 'sent' && f.clientId === frame.clientId);
    receiver.send({ v: 1, type: 'ping' });
    await receiver.next('pong');
    expect(receiver.pending('message')).toHaveLength(3);

    const received = await receiveAcking(receiver, 7);
    expect(received.map(untext)).toEqual(frames.map((f) => Buffer.from(f.copies[0]!.ciphertext, 'base64url').toString()));
    const seqs = received.map((m) => m.seq!);
    expect(new Set(seqs).size).toBe(7);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    // Nothing more arrives: every message came exactly once.
    receiver.send({ v: 1, type: 'ping' });
    await receiver.next('pong');
    expect(receiver.pending('message')).toHaveLength(0);
    await Promise.all([sender.close(), receiver.close()]);
  });

  it('redelivers unacked messages after a reconnect, and acked ones never', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const sender = await connect(h.wsUrl, alice.token());
    const a = sendFrame(bob, [1]);
    const b = sendFrame(bob, [1]);
    await sendAndWait(sender, a);
    await sendAndWait(sender, b);
    const first = await connect(h.wsUrl, bob.token());
    const m1 = messageFrameSchema.parse(await first.next('message'));
    await first.next('message');
    first.send({ v: 1, type: 'ack', seqs: [m1.seq!] });
    first.send({ v: 1, type: 'ping' });
    await first.next('pong');
    await first.close();
    const second = await connect(h.wsUrl, bob.token());
    const again = messageFrameSchema.parse(await second.next('message'));
    expect(untext(again)).toBe(Buffer.from(b.copies[0]!.ciphertext, 'base64url').toString());
    await second.next('drained');
    expect(second.pending('message')).toHaveLength(0);
    await Promise.all([sender.close(), second.close()]);
  });

  it('turns acks into `delivered` receipts for every sender device, queued while they are offline', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url);
    const sender = await connect(h.wsUrl, alice.token(1));
    const one = sentFrameSchema.parse(await sendAndWait(sender, sendFrame(bob, [1], { selfCopies: [{ deviceId: 2, ciphertext: text('s') }] })));
    const two = sentFrameSchema.parse(await sendAndWait(sender, sendFrame(bob, [1], { selfCopies: [{ deviceId: 2, ciphertext: text('s') }] })));

    const receiver = await connect(h.wsUrl, bob.token());
    const m1 = messageFrameSchema.parse(await receiver.next('message'));
    const m2 = messageFrameSchema.parse(await receiver.next('message'));
    receiver.send({ v: 1, type: 'ack', seqs: [m1.seq!, m2.seq!] });

    const receipt = receiptFrameSchema.parse(await sender.next('receipt'));
    expect(receipt).toMatchObject({ kind: 'delivered', by: { accountId: bob.accountId, deviceId: 1 }, messageIds: [one.messageId, two.messageId] });
    sender.send({ v: 1, type: 'ack', seqs: [receipt.seq] });
    expect(await h.relay.services.deps.storage.messages.stats({ accountId: bob.accountId, deviceId: 1 })).toEqual({ count: 0, bytes: 0 });

    // Alice's device 2 was offline: the receipt waits in its queue behind its own copies.
    const alice2 = await connect(h.wsUrl, alice.token(2));
    const queued = [await alice2.next('message'), await alice2.next('message'), await alice2.next('receipt')];
    expect(receiptFrameSchema.parse(queued[2]).messageIds).toEqual([one.messageId, two.messageId]);
    await Promise.all([sender.close(), receiver.close(), alice2.close()]);
  });

  it('routes `read` reports to the sender and refuses them for messages sent to others', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url);
    const eve = await registerAccount(h.url);
    const sender = await connect(h.wsUrl, alice.token());
    const sent = sentFrameSchema.parse(await sendAndWait(sender, sendFrame(bob, [1])));

    const reader = await connect(h.wsUrl, bob.token());
    reader.send({ v: 1, type: 'read', messageIds: [sent.messageId!] });
    const receipt = receiptFrameSchema.parse(await sender.next('receipt'));
    expect(receipt).toMatchObject({ kind: 'read', by: { accountId: bob.accountId, deviceId: 1 }, messageIds: [sent.messageId] });

    const snoop = await connect(h.wsUrl, eve.token());
    snoop.send({ v: 1, type: 'read', messageIds: [sent.messageId!, 'unknownId'] });
    const error = errorFrameSchema.parse(await snoop.next('error'));
    expect(error).toMatchObject({ code: 'RELAY_ERR_NOT_RECIPIENT', ref: 'read', details: { messageIds: [sent.messageId, 'unknownId'] } });
    await Promise.all([sender.close(), reader.close(), snoop.close()]);
  });

  it('does not let a device ack another device\'s queue', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const sender = await connect(h.wsUrl, alice.token());
    await sendAndWait(sender, sendFrame(bob, [1, 2]));
    await sendAndWait(sender, sendFrame(bob, [1, 2]));
    const bob1 = await connect(h.wsUrl, bob.token(1));
    const seqs = [messageFrameSchema.parse(await bob1.next('message')).seq!, messageFrameSchema.parse(await bob1.next('message')).seq!];
    await bob1.close();
    const bob2 = await connect(h.wsUrl, bob.token(2));
    bob2.send({ v: 1, type: 'ack', seqs: [...seqs, 1, 2, 3] });
    bob2.send({ v: 1, type: 'ping' });
    await bob2.next('pong');
    expect((await h.relay.services.deps.storage.messages.stats({ accountId: bob.accountId, deviceId: 1 })).count).toBe(2);
    await Promise.all([sender.close(), bob2.close()]);
  });

  it('delivers online-only envelopes to connected devices only and never stores them', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const sender = await connect(h.wsUrl, alice.token());
    const bob1 = await connect(h.wsUrl, bob.token(1));
    await bob1.next('drained');
    const sent = sentFrameSchema.parse(await sendAndWait(sender, sendFrame(bob, [1, 2], { onlineOnly: true })));
    expect(sent).toMatchObject({ stored: 0, deliveredOnline: 1, duplicate: false });
    expect(sent.messageId).toBeUndefined();
    const typing = messageFrameSchema.parse(await bob1.next('message'));
    expect(typing.onlineOnly).toBe(true);
    expect(typing.seq).toBeUndefined();
    expect((await h.relay.services.deps.storage.messages.stats({ accountId: bob.accountId, deviceId: 2 })).count).toBe(0);
    const bob2 = await connect(h.wsUrl, bob.token(2));
    await bob2.next('drained');
    expect(bob2.pending('message')).toHaveLength(0);
    await Promise.all([sender.close(), bob1.close(), bob2.close()]);
  });

  it('sends to the sender\'s own other devices (note to self)', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const sender = await connect(h.wsUrl, alice.token(1));
    const sent = sentFrameSchema.parse(await sendAndWait(sender, sendFrame(alice, [2])));
    expect(sent.stored).toBe(1);
    const selfCopies = errorFrameSchema.parse(await sendAndWait(sender, sendFrame(alice, [2], { selfCopies: [{ deviceId: 2, ciphertext: text('x') }] })));
    expect(selfCopies.code).toBe('RELAY_ERR_INVALID_REQUEST');
    const two = await connect(h.wsUrl, alice.token(2));
    expect(messageFrameSchema.parse(await two.next('message')).messageId).toBe(sent.messageId);
    await Promise.all([sender.close(), two.close()]);
  });

  it('refuses sends to unknown accounts', async () => {
    const alice = await registerAccount(h.url);
    const ghost = await registerAccount(h.url);
    await h.relay.services.deps.storage.accounts.deleteAccount(ghost.accountId);
    const sender = await connect(h.wsUrl, alice.token());
    expect(errorFrameSchema.parse(await sendAndWait(sender, sendFrame(ghost, [1]))).code).toBe('RELAY_ERR_ACCOUNT_NOT_FOUND');
    await sender.close();
  });

  it('keeps tokens from a re-login working while the first connection is replaced', async () => {
    const alice = await registerAccount(h.url);
    const token = await login(h.url, alice.accountId, alice.device());
    const socket = await connect(h.wsUrl, token);
    await socket.next('drained');
    await socket.close();
  });
});
