/**
 * Bad WebSocket input: malformed JSON, wrong types, unknown frame types, wrong versions, binary
 * garbage, oversized frames and floods of bad frames each get their documented error code or
 * close code, and the relay keeps serving other connections.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorFrameSchema, sentFrameSchema } from '../../src/api/index.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import type { TestAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

describe('bad frames', () => {
  let h: Harness;
  let alice: TestAccount;
  let bob: TestAccount;
  beforeAll(async () => {
    h = await startRelay({ limits: { maxFrameBytes: 16_384, maxBadFrames: 10 } });
    alice = await registerAccount(h.url);
    bob = await registerAccount(h.url);
  });
  afterAll(async () => {
    await h.stop();
  });

  const cases: Array<{ name: string; frame: string | Uint8Array; code: string }> = [
    { name: 'malformed JSON', frame: '{"v":1,"type":', code: 'RELAY_ERR_MALFORMED_JSON' },
    { name: 'a JSON array', frame: '[1,2,3]', code: 'RELAY_ERR_INVALID_REQUEST' },
    { name: 'a missing version', frame: '{"type":"ping"}', code: 'RELAY_ERR_UNSUPPORTED_VERSION' },
    { name: 'a future version', frame: '{"v":2,"type":"ping"}', code: 'RELAY_ERR_UNSUPPORTED_VERSION' },
    { name: 'an unknown frame type', frame: '{"v":1,"type":"subscribe"}', code: 'RELAY_ERR_UNKNOWN_FRAME_TYPE' },
    { name: 'wrong field types', frame: '{"v":1,"type":"ack","seqs":"all"}', code: 'RELAY_ERR_INVALID_REQUEST' },
    { name: 'unknown fields', frame: '{"v":1,"type":"ping","extra":1}', code: 'RELAY_ERR_INVALID_REQUEST' },
    { name: 'a send with a bad account id', frame: JSON.stringify({ v: 1, type: 'send', clientId: 'x', to: 'sp1zzz', copies: [{ deviceId: 1, ciphertext: 'AA' }] }), code: 'RELAY_ERR_INVALID_REQUEST' },
    { name: 'binary garbage', frame: new Uint8Array(randomBytes(200)), code: 'RELAY_ERR_BINARY_FRAME' },
  ];

  for (const c of cases) {
    it(`answers ${c.name} with ${c.code} and stays open`, async () => {
      const socket = await connect(h.wsUrl, alice.token());
      socket.socket.send(c.frame);
      const error = errorFrameSchema.parse(await socket.next('error'));
      expect(error.code).toBe(c.code);
      socket.send({ v: 1, type: 'ping', id: 'after' });
      expect(await socket.next('pong')).toMatchObject({ id: 'after' });
      await socket.close();
    });
  }

  it('refuses a non-canonical ciphertext encoding for the send it belongs to', async () => {
    const socket = await connect(h.wsUrl, alice.token());
    socket.send({ v: 1, type: 'send', clientId: 'nc', to: bob.accountId, copies: [{ deviceId: 1, ciphertext: 'AB' }] });
    const error = errorFrameSchema.parse(await socket.next('error'));
    expect(error).toMatchObject({ code: 'RELAY_ERR_INVALID_ENCODING', ref: 'nc' });
    await socket.close();
  });

  it('closes a connection sending a frame over limits.maxFrameBytes with 1009', async () => {
    const socket = await connect(h.wsUrl, alice.token());
    socket.send({ v: 1, type: 'ping', id: 'x'.repeat(20_000) });
    expect((await socket.closed).code).toBe(1009);
  });

  it('closes a connection after more than limits.maxBadFrames bad frames with 4002', async () => {
    const socket = await connect(h.wsUrl, alice.token());
    for (let i = 0; i < 11; i++) socket.send('nope');
    expect(await socket.closed).toEqual({ code: 4002, reason: 'RELAY_ERR_TOO_MANY_BAD_FRAMES' });
    expect(socket.frames.filter((f) => f.type === 'error')).toHaveLength(11);
  });

  it('keeps serving other connections while one misbehaves', async () => {
    const noisy = await connect(h.wsUrl, alice.token());
    const sender = await connect(h.wsUrl, bob.token());
    for (let i = 0; i < 5; i++) noisy.socket.send(new Uint8Array(randomBytes(100)));
    sender.send({ v: 1, type: 'send', clientId: 'ok', to: alice.accountId, copies: [{ deviceId: 1, ciphertext: 'AAAA' }] });
    expect(sentFrameSchema.parse(await sender.next('sent')).stored).toBe(1);
    expect((await noisy.next('message')).type).toBe('message');
    await Promise.all([noisy.close(), sender.close()]);
  });
});
