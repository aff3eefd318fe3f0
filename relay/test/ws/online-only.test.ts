/**
 * Online-only envelopes (typing indicators) are delivered live to connected devices and never
 * stored: not in a queue, not as a send record, not anywhere in the database files — checked
 * against the raw SQLite files, with a stored message as the control that the scan can see.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { toBase64Url } from '@sealpost/crypto/public';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageFrameSchema, sentFrameSchema } from '../../src/api/index.js';
import type { SendFrame } from '../../src/api/index.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';
import type { TestSocket } from '../support/ws-client.js';

/** True when `marker` occurs in the database file or its write-ahead log. */
function inDatabaseFiles(h: Harness, marker: Uint8Array): boolean {
  const base = join(h.dir.path, 'relay.sqlite');
  return [base, `${base}-wal`].some((file) => existsSync(file) && readFileSync(file).includes(Buffer.from(marker)));
}

async function sendAndWait(socket: TestSocket, frame: SendFrame) {
  socket.send(frame);
  return sentFrameSchema.parse(await socket.next((f) => f.type === 'sent' && f.clientId === frame.clientId));
}

describe('online-only envelopes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelay();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('reach connected devices live and leave no trace in storage', async () => {
    const alice = await registerAccount(h.url);
    const bob = await registerAccount(h.url, { deviceIds: [1, 2] });
    const sender = await connect(h.wsUrl, alice.token());
    const online = await connect(h.wsUrl, bob.token(1));
    await online.next('drained');
    const before = await h.relay.services.deps.storage.messages.queueSummary();

    const typing = new Uint8Array(randomBytes(48));
    const frame: SendFrame = {
      v: 1,
      type: 'send',
      clientId: 'typing-1',
      to: bob.accountId,
      onlineOnly: true,
      copies: [
        { deviceId: 1, ciphertext: toBase64Url(typing) },
        { deviceId: 2, ciphertext: toBase64Url(typing) },
      ],
    };
    const sent = await sendAndWait(sender, frame);
    expect(sent).toEqual({ v: 1, type: 'sent', clientId: 'typing-1', sentAt: h.clock(), stored: 0, duplicate: false, deliveredOnline: 1 });
    const live = messageFrameSchema.parse(await online.next('message'));
    expect(live).toEqual({ v: 1, type: 'message', from: { accountId: alice.accountId, deviceId: 1 }, sentAt: h.clock(), ciphertext: toBase64Url(typing), onlineOnly: true });

    // Nothing was remembered: the same client id goes out again rather than being deduplicated.
    expect(await sendAndWait(sender, frame)).toMatchObject({ stored: 0, duplicate: false, deliveredOnline: 1 });
    await online.next('message');
    expect(await h.relay.services.deps.storage.messages.queueSummary()).toEqual(before);

    // The offline device gets nothing when it comes back.
    const later = await connect(h.wsUrl, bob.token(2));
    await later.next('drained');
    expect(later.pending('message')).toEqual([]);

    // Control: a stored message's ciphertext is visible to the same scan once `sent` says it committed.
    const stored = new Uint8Array(randomBytes(48));
    const durable = await sendAndWait(sender, { v: 1, type: 'send', clientId: 'stored-1', to: bob.accountId, copies: [{ deviceId: 1, ciphertext: toBase64Url(stored) }, { deviceId: 2, ciphertext: toBase64Url(stored) }] });
    expect(durable.stored).toBe(2);
    expect(inDatabaseFiles(h, stored)).toBe(true);
    expect(inDatabaseFiles(h, typing)).toBe(false);
    await Promise.all([sender.close(), online.close(), later.close()]);
  });
});
