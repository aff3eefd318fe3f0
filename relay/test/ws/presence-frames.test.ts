/**
 * Live presence over the WebSocket: when an account's first device connects or its last one
 * disconnects, the connected devices of accounts it allowed get a `presence` frame; nobody else
 * does, and devices coming and going while another stays online announce nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presenceFrameSchema } from '../../src/api/index.js';
import type { ServerFrame } from '../../src/api/index.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';
import type { TestSocket } from '../support/ws-client.js';

/** Every frame this socket received so far: a pong proves earlier frames were all delivered. */
async function settled(socket: TestSocket): Promise<ServerFrame[]> {
  const id = `barrier-${Math.random()}`;
  socket.send({ v: 1, type: 'ping', id });
  await socket.next((f) => f.type === 'pong' && f.id === id);
  return socket.frames;
}

const presenceOf = (frames: readonly ServerFrame[]) => frames.filter((f) => f.type === 'presence');

describe('presence frames', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('tells allowed viewers (every connected device) when an account comes online and goes offline', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const eve = await registerAccount(h.url);
    const allow = await request(h.url, 'PUT', '/v1/presence/viewers', { token: alice.token(), json: { accountIds: [bob.accountId] } });
    expect(allow.status).toBe(204);

    const [bob1, bob2, watcher] = [await connect(h.wsUrl, bob.token(1)), await connect(h.wsUrl, bob.token(2)), await connect(h.wsUrl, eve.token())];
    h.clock.advance(1_000);
    // hello arrives after the connect was announced, so the frames below are already on their way.
    const alice1 = await connect(h.wsUrl, alice.token(1));
    for (const viewer of [bob1, bob2]) {
      expect(presenceFrameSchema.parse(await viewer.next('presence'))).toEqual({ v: 1, type: 'presence', accountId: alice.accountId, online: true, lastSeen: h.clock() });
    }
    expect(presenceOf(await settled(watcher))).toEqual([]);

    // A second device of an account already online changes nothing.
    const alice2 = await connect(h.wsUrl, alice.token(2));
    expect(presenceOf(await settled(bob1))).toHaveLength(1);

    h.clock.advance(5_000);
    await alice1.close();
    await expect.poll(() => h.relay.services.deps.presence.connectionCount()).toBe(4);
    h.clock.advance(5_000);
    await alice2.close();
    const offline = presenceFrameSchema.parse(await bob1.next('presence'));
    expect(offline).toEqual({ v: 1, type: 'presence', accountId: alice.accountId, online: false, lastSeen: h.clock() });
    expect(presenceFrameSchema.parse(await bob2.next('presence')).online).toBe(false);
    // Exactly one frame per transition: online, then offline — nothing for alice1 leaving alone.
    expect(presenceOf(await settled(bob1)).map((f) => (f.type === 'presence' ? f.online : null))).toEqual([true, false]);
    expect(presenceOf(await settled(watcher))).toEqual([]);
    await Promise.all([bob1.close(), bob2.close(), watcher.close()]);
  });

  it('stops telling an account once it is taken off the allow-list', async () => {
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(h.url);
    await request(h.url, 'PUT', '/v1/presence/viewers', { token: alice.token(), json: { accountIds: [bob.accountId] } });
    const viewer = await connect(h.wsUrl, bob.token());
    const own = await connect(h.wsUrl, alice.token(2));
    expect(presenceFrameSchema.parse(await viewer.next('presence')).online).toBe(true);
    await own.close();
    expect(presenceFrameSchema.parse(await viewer.next('presence')).online).toBe(false);

    await request(h.url, 'PUT', '/v1/presence/viewers', { token: alice.token(), json: { accountIds: [] } });
    const again = await connect(h.wsUrl, alice.token(1));
    expect(presenceOf(await settled(viewer))).toHaveLength(2);
    expect(presenceOf(await settled(again))).toEqual([]);
    await Promise.all([viewer.close(), again.close()]);
  });
});
