// Two people on a real relay, through the real binary: first contact, offline delivery,
// --wait delivered / read, receipts in status and listen --json, send while listen runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost, RunningSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
let relay: TestRelay;
const running: RunningSealpost[] = [];
let alice: string;
let bob: string;
let aliceId: string;
let bobId: string;

function sealpost(profile: string, ...args: string[]) {
  return runSealpost(['--data-dir', profile, ...args]);
}

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await sealpost(profile, '--json', ...args);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  const values = jsonLines(result.stdout);
  expect(values).toHaveLength(1);
  return values[0] as Record<string, unknown>;
}

function listen(profile: string): RunningSealpost {
  const process = RunningSealpost.start(['--data-dir', profile, '--json', 'listen']);
  running.push(process);
  return process;
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-msg-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')));
  alice = join(root, 'alice');
  bob = join(root, 'bob');
  aliceId = String((await json(alice, 'init', '--relay', relay.origin, '--username', 'alice', '--device-name', 'alice-laptop')).accountId);
  bobId = String((await json(bob, 'init', '--relay', relay.origin, '--username', 'bob')).accountId);
});

afterAll(async () => {
  for (const process of running) await process.stop();
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('messaging through the CLI', () => {
  it('whoami reports the registered identity', async () => {
    const me = await json(alice, 'whoami');
    expect(me).toMatchObject({ type: 'whoami', accountId: aliceId, username: 'alice', deviceId: 1, deviceName: 'alice-laptop', relay: relay.origin });
  });

  it('first contact by username, delivered while the recipient was offline', async () => {
    // Bob is not connected; Alice has never added him: the username is enough.
    const sent = await json(alice, 'send', 'bob', 'hello bob, first message');
    expect(sent).toMatchObject({ type: 'send', peer: bobId, state: 'sent' });
    const second = await sealpost(alice, 'send', 'bob', 'and a second one');
    expect(second.code).toBe(0);
    expect(second.stdout.trim()).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const contact = await json(alice, 'contact', 'show', 'bob');
    expect(contact).toMatchObject({ accountId: bobId, username: 'bob', verified: false, identityChanged: false });

    // Bob comes online later and gets both, in order; Alice becomes his contact by first use.
    const received = await json(bob, 'receive');
    const messages = (received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message');
    expect(messages.map((m) => m.body)).toEqual(['hello bob, first message', 'and a second one']);
    expect(messages[0]).toMatchObject({ direction: 'in', peer: aliceId, peerName: 'alice', from: { accountId: aliceId, deviceId: 1 } });
    expect(await json(bob, 'unread')).toMatchObject({ total: 2, conversations: [{ peer: aliceId, count: 2 }] });

    // A second receive finds nothing new: delivered copies were acknowledged and removed.
    const again = await json(bob, 'receive');
    expect(again.count).toBe(0);
  });

  it('status shows the delivered receipt per device, and bob can answer', async () => {
    const sent = await json(alice, 'send', 'bob', 'check my status');
    await json(bob, 'receive');
    // Alice learns about the delivery the next time she is connected.
    await json(alice, 'receive');
    const status = await json(alice, 'status', String(sent.id));
    expect(status.message).toMatchObject({ id: sent.id, state: 'delivered', deliveries: [{ accountId: bobId, deviceId: 1, state: 'delivered' }] });

    const reply = await json(bob, 'send', 'alice', 'got it');
    expect(reply.peer).toBe(aliceId);
    const got = await json(alice, 'receive');
    expect((got.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message').map((e) => e.body)).toEqual(['got it']);
  });

  it('--wait delivered returns once the online recipient has it; listen --json shows message and receipt', async () => {
    const bobListening = listen(bob);
    await bobListening.waitForJson((e) => e.type === 'drained');
    const aliceListening = listen(alice);
    await aliceListening.waitForJson((e) => e.type === 'drained');

    // Alice's listen owns her connection; this send goes through it (the agent socket).
    const sent = await json(alice, 'send', 'bob', 'are you there?', '--wait', 'delivered', '--timeout', '45');
    expect(sent).toMatchObject({ state: 'delivered', deliveries: [{ accountId: bobId, deviceId: 1, state: 'delivered' }] });

    const message = await bobListening.waitForJson((e) => e.type === 'message' && e.body === 'are you there?');
    expect(message).toMatchObject({ v: 1, direction: 'in', peer: aliceId, id: sent.id });
    const receipt = await aliceListening.waitForJson((e) => e.type === 'receipt' && e.messageId === sent.id && e.state === 'delivered');
    expect(receipt).toMatchObject({ v: 1, peer: bobId, by: { accountId: bobId, deviceId: 1 }, overall: 'delivered' });
    expect(aliceListening.json().some((e) => e.type === 'sent' && e.messageId === sent.id)).toBe(true);

    // Bob sends while his own listen runs: it goes through listen, which keeps its connection.
    const answer = await json(bob, 'send', 'alice', 'yes, listening');
    await aliceListening.waitForJson((e) => e.type === 'message' && e.body === 'yes, listening');
    expect(bobListening.json().some((e) => e.type === 'sent' && e.messageId === answer.id)).toBe(true);
    expect(bobListening.stderr).not.toMatch(/error/i);

    // --wait read: Bob reads by opening the conversation; the read receipt reaches Alice.
    const waiting = runSealpost(['--data-dir', alice, '--json', 'send', 'bob', 'please read this', '--wait', 'read', '--timeout', '45']);
    const arrived = await bobListening.waitForJson((e) => e.type === 'message' && e.body === 'please read this');
    const history = await json(bob, 'history', 'alice', '--limit', '3');
    expect((history.messages as Array<Record<string, unknown>>).map((m) => m.body)).toContain('please read this');
    const read = await waiting;
    expect(read.code, read.stderr).toBe(0);
    const [readResult] = jsonLines(read.stdout);
    expect(readResult).toMatchObject({ id: arrived.id, state: 'read', deliveries: [{ accountId: bobId, deviceId: 1, state: 'read' }] });
    await aliceListening.waitForJson((e) => e.type === 'receipt' && e.messageId === arrived.id && e.state === 'read');
    expect((await json(alice, 'status', String(arrived.id))).message).toMatchObject({ state: 'read' });

    const stoppedBob = await bobListening.stop();
    const stoppedAlice = await aliceListening.stop();
    expect(stoppedBob.code).toBe(0);
    expect(stoppedAlice.code).toBe(0);
  });

  it('--wait read times out with exit code 7 when nobody reads, and read receipts can be turned off', async () => {
    expect(await json(bob, 'settings', 'read-receipts', 'off')).toMatchObject({ readReceipts: false });
    const waiting = runSealpost(['--data-dir', alice, '--json', 'send', 'bob', 'you will not see my receipt', '--wait', 'read', '--timeout', '12']);
    // Bob receives and reads, but with receipts off Alice never learns.
    let seen = false;
    for (let attempt = 0; attempt < 40 && !seen; attempt++) {
      const received = await json(bob, 'receive');
      seen = (received.events as Array<Record<string, unknown>>).some((e) => e.type === 'message' && e.body === 'you will not see my receipt');
    }
    expect(seen).toBe(true);
    const history = await json(bob, 'history', 'alice', '--limit', '1');
    expect((history.messages as Array<Record<string, unknown>>)[0]?.body).toBe('you will not see my receipt');
    const result = await waiting;
    expect(result.code).toBe(7);
    const [error] = jsonLines(result.stdout);
    expect(error).toMatchObject({ type: 'error', code: 'CLI_ERR_TIMEOUT', exitCode: 7, details: { wanted: 'read' } });
    await json(bob, 'settings', 'read-receipts', 'on');
  });

  it('presence: only allowed contacts see it, live in listen and on request', async () => {
    const refused = await sealpost(bob, '--json', 'presence', 'alice');
    expect(refused.code).toBe(10);
    expect(jsonLines(refused.stdout)[0]).toMatchObject({ code: 'CLI_ERR_RELAY_REFUSED', details: { relayCode: 'RELAY_ERR_PRESENCE_NOT_ALLOWED' } });

    expect(await json(alice, 'presence', 'allow', 'bob')).toMatchObject({ type: 'presence-allowance', accountId: bobId, presence: 'allowed' });
    const bobListening = listen(bob);
    await bobListening.waitForJson((e) => e.type === 'drained');
    await json(alice, 'receive'); // Alice connects and disconnects
    await bobListening.waitForJson((e) => e.type === 'presence' && e.peer === aliceId && e.online === true);
    await bobListening.waitForJson((e) => e.type === 'presence' && e.peer === aliceId && e.online === false);
    const seen = await json(bob, 'presence', 'alice');
    expect(seen).toMatchObject({ type: 'presence', accountId: aliceId, online: false, lastSeenAt: expect.any(Number) });
    expect((await bobListening.stop()).code).toBe(0);
  });

  it('chat sends each input line and shows the conversation', async () => {
    const chat = await runSealpost(['--data-dir', alice, 'chat', 'bob'], { input: 'hello from chat\n/history 1\n/quit\n' });
    expect(chat.code, chat.stderr).toBe(0);
    expect(chat.stdout).toMatch(/me: hello from chat {2}✓/);
    const received = await json(bob, 'receive');
    expect((received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message').map((e) => e.body)).toEqual(['hello from chat']);
  });

  it('devices lists this account\'s signed device list', async () => {
    const devices = await json(alice, 'devices');
    expect(devices).toMatchObject({ type: 'devices', listVersion: 1, devices: [{ deviceId: 1, current: true }] });
    const refused = await sealpost(alice, '--json', 'devices', 'remove', '1');
    expect(refused.code).toBe(1);
    const missing = await sealpost(alice, '--json', 'devices', 'remove', '7');
    expect(missing.code).toBe(6);
  });

  it('history reads back both directions with marks', async () => {
    const result = await sealpost(alice, 'history', 'bob', '--limit', '2');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/me: .*✓/);
  });
});
