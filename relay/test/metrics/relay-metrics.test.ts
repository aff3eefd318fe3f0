/**
 * GET /metrics after real traffic: each family the operator needs — connections, queue depths,
 * sends by result, acks, receipts, errors, latencies (HTTP, send→sent, delivery delay), group
 * commits, presence frames, provisioning channels — is present with the values the traffic
 * implies, and no label carries an account id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageFrameSchema } from '../../src/api/index.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

/** The value of one sample, by metric name and exact label set (`{}` for none); undefined if absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  const head = wanted === '' ? name : `${name}{${wanted}}`;
  const line = text.split('\n').find((l) => l.startsWith(`${head} `));
  return line === undefined ? undefined : Number(line.slice(head.length + 1));
}

async function scrape(h: Harness): Promise<string> {
  const result = await request<string>(h.url, 'GET', '/metrics');
  expect(result.status).toBe(200);
  return result.body;
}

describe('GET /metrics', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('reports every family with the values the traffic implies', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    await request(h.url, 'PUT', '/v1/presence/viewers', { token: bob.token(), json: { accountIds: [alice.accountId] } });
    const sender = await connect(h.wsUrl, alice.token());
    const empty = await scrape(h);
    expect(sample(empty, 'sealpost_relay_ws_connections')).toBe(1);
    expect(sample(empty, 'sealpost_relay_queue_entries')).toBe(0);

    // Three stored sends (two copies each), one online-only, one refused.
    const copies = [{ deviceId: 1, ciphertext: 'AAAA' }, { deviceId: 2, ciphertext: 'AAAAAA' }];
    for (const clientId of ['a', 'b', 'c']) {
      sender.send({ v: 1, type: 'send', clientId, to: bob.accountId, copies });
      await sender.next((f) => f.type === 'sent' && f.clientId === clientId);
    }
    sender.send({ v: 1, type: 'send', clientId: 'typing', to: bob.accountId, copies, onlineOnly: true });
    await sender.next((f) => f.type === 'sent' && f.clientId === 'typing');
    sender.send({ v: 1, type: 'send', clientId: 'bad', to: bob.accountId, copies: [{ deviceId: 1, ciphertext: 'AAAA' }] });
    await sender.next('error');
    await request(h.url, 'POST', '/v1/provisioning', { token: alice.token() });

    const queued = await scrape(h);
    expect(sample(queued, 'sealpost_relay_sends_total', { result: 'stored' })).toBe(3);
    expect(sample(queued, 'sealpost_relay_sends_total', { result: 'online_only' })).toBe(1);
    expect(sample(queued, 'sealpost_relay_sends_total', { result: 'refused' })).toBe(1);
    expect(sample(queued, 'sealpost_relay_copies_stored_total')).toBe(6);
    expect(sample(queued, 'sealpost_relay_errors_total', { code: 'RELAY_ERR_DEVICE_MISMATCH' })).toBe(1);
    expect(sample(queued, 'sealpost_relay_queue_entries')).toBe(6);
    expect(sample(queued, 'sealpost_relay_queue_bytes')).toBe(3 * (3 + 4));
    expect(sample(queued, 'sealpost_relay_queue_devices')).toBe(2);
    expect(sample(queued, 'sealpost_relay_queue_max_entries')).toBe(3);
    expect(sample(queued, 'sealpost_relay_queue_max_bytes')).toBe(12);
    expect(sample(queued, 'sealpost_relay_send_duration_seconds_count')).toBe(4);
    expect(sample(queued, 'sealpost_relay_provisioning_channels')).toBe(1);
    expect(sample(queued, 'sealpost_relay_provisioning_waiting')).toBe(0);
    expect(sample(queued, 'sealpost_relay_http_request_duration_seconds_count', { route: '/v1/provisioning', method: 'POST', status: '201' })).toBe(1);
    expect(sample(queued, 'sealpost_relay_commit_batch_size_count')).toBeGreaterThan(0);
    expect(sample(queued, 'sealpost_relay_commit_duration_seconds_count')).toBeGreaterThan(0);

    // Bob's device 1 comes online 5 s (relay clock) after the sends and acks one message.
    h.clock.advance(5_000);
    const receiver = await connect(h.wsUrl, bob.token(1));
    const first = messageFrameSchema.parse(await receiver.next('message'));
    receiver.send({ v: 1, type: 'ack', seqs: [first.seq!] });
    await sender.next('receipt');
    await receiver.close();
    await expect.poll(async () => sample(await scrape(h), 'sealpost_relay_ws_connections')).toBe(1);

    const after = await scrape(h);
    expect(sample(after, 'sealpost_relay_acks_total', { kind: 'message' })).toBe(1);
    expect(sample(after, 'sealpost_relay_receipts_total', { kind: 'delivered' })).toBe(1);
    expect(sample(after, 'sealpost_relay_delivery_delay_seconds_count')).toBe(1);
    expect(sample(after, 'sealpost_relay_delivery_delay_seconds_sum')).toBe(5);
    // One message left bob's queue; its `delivered` receipt waits (unacked) in alice's.
    expect(sample(after, 'sealpost_relay_queue_entries')).toBe(6);
    expect(sample(after, 'sealpost_relay_queue_devices')).toBe(3);
    // Bob coming online and going offline, seen by alice's connected device.
    expect(sample(after, 'sealpost_relay_presence_frames_total')).toBe(2);
    for (const id of [alice.accountId, bob.accountId]) expect(after).not.toContain(id);
    await sender.close();
  });
});
