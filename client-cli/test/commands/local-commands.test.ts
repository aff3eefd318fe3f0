// Commands that read or change only the local store, run in-process against a real store.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { fakeContact, fakeIdentity, fakeMessage } from '../support/records.js';
import { createTestStore, testAccountId } from '../support/store.js';
import { testIo } from '../support/io.js';
import { TempDirs } from '../support/temp-dir.js';

const temp = new TempDirs();
const PASS = 'correct horse';
const me = testAccountId(1);
const bob = testAccountId(2);
const carol = testAccountId(3);
let dir: string;

beforeEach(async () => {
  dir = temp.make();
  const { store } = await createTestStore(dir, PASS);
  store.identity.put(fakeIdentity({ accountId: me, username: 'alice', deviceId: 3, deviceName: 'laptop' }));
  store.contacts.put(fakeContact(bob, { username: 'bob', alias: 'Bobby', verified: true, addedAt: 1 }));
  store.contacts.put(fakeContact(carol, { username: 'carol', pendingAccountId: testAccountId(9), pendingAccountKey: 'x', addedAt: 2 }));
  store.messages.insert(fakeMessage({ id: 'out-1', peer: bob, direction: 'out', body: 'hi bob', sentAt: 10, deliveries: [
    { accountId: bob, deviceId: 1, state: 'read', at: 12 },
    { accountId: bob, deviceId: 2, state: 'delivered', at: 11 },
    { accountId: me, deviceId: 4, state: 'sent', at: 10 },
  ] }));
  store.messages.insert(fakeMessage({ id: 'in-1', peer: bob, direction: 'in', body: 'hi alice', sentAt: 20 }));
  store.messages.insert(fakeMessage({ id: 'in-2', peer: carol, direction: 'in', body: 'hey', sentAt: 30 }));
  store.messages.insert(fakeMessage({ id: 'in-3', peer: carol, direction: 'in', body: 'there?', sentAt: 31 }));
  store.close();
});
afterEach(() => temp.cleanup());

async function run(args: string[], passphrase = PASS) {
  const io = testIo({ env: { SEALPOST_PASSPHRASE: passphrase } });
  const code = await runCli(['--data-dir', dir, ...args], io);
  return { code, io, json: () => io.stdout.json() };
}

describe('local commands', () => {
  it('whoami prints the identity, without and with --json', async () => {
    const text = await run(['whoami']);
    expect(text.code).toBe(0);
    expect(text.io.stdout.text).toContain(me);
    expect(text.io.stdout.text).toContain('device       3 (laptop)');
    const json = await run(['--json', 'whoami']);
    expect(json.json()).toEqual([
      expect.objectContaining({ type: 'whoami', v: 1, accountId: me, username: 'alice', deviceId: 3, relay: fakeIdentity().relayUrl, fingerprint: expect.stringMatching(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/) }),
    ]);
  });

  it('contact list and show, by alias, username or account id', async () => {
    const list = await run(['--json', 'contact', 'list']);
    const contacts = (list.json()[0]?.contacts ?? []) as Array<Record<string, unknown>>;
    expect(contacts.map((c) => [c.accountId, c.verified, c.identityChanged])).toEqual([
      [bob, true, false],
      [carol, false, true],
    ]);
    for (const who of ['Bobby', 'bob', '@BOB', bob]) {
      const show = await run(['--json', 'contact', 'show', who]);
      expect(show.json()[0], who).toMatchObject({ type: 'contact', accountId: bob, alias: 'Bobby' });
    }
    const changed = await run(['contact', 'show', 'carol']);
    expect(changed.io.stdout.text).toMatch(/identity key changed/i);
  });

  it('reports an unknown contact with the not-found exit code', async () => {
    const result = await run(['--json', 'history', 'dave']);
    expect(result.code).toBe(6);
    expect(result.json()[0]).toMatchObject({ code: 'CLI_ERR_CONTACT_NOT_FOUND' });
  });

  it('history lists the conversation in order with delivery marks', async () => {
    const result = await run(['history', 'bob']);
    expect(result.code).toBe(0);
    const lines = result.io.stdout.lines();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/me: hi bob {2}✓✓ read$/);
    expect(lines[1]).toMatch(/Bobby: hi alice$/);
    const json = await run(['--json', 'history', 'bob', '--limit', '1']);
    const messages = json.json()[0]?.messages as Array<Record<string, unknown>>;
    expect(messages.map((m) => m.id)).toEqual(['in-1']);
  });

  it('status shows each recipient device', async () => {
    const result = await run(['--json', 'status', 'out-1']);
    const message = result.json()[0]?.message as Record<string, unknown>;
    expect(message.state).toBe('read');
    expect(message.deliveries).toEqual([
      { accountId: bob, deviceId: 1, state: 'read', at: 12 },
      { accountId: bob, deviceId: 2, state: 'delivered', at: 11 },
      { accountId: me, deviceId: 4, state: 'sent', at: 10 },
    ]);
    const missing = await run(['--json', 'status', 'in-1']);
    expect(missing.code).toBe(6);
    expect(missing.json()[0]?.code).toBe('CLI_ERR_MESSAGE_NOT_FOUND');
  });

  it('unread counts per conversation', async () => {
    const result = await run(['--json', 'unread']);
    expect(result.json()[0]).toMatchObject({
      type: 'unread',
      total: 3,
      conversations: [
        { peer: carol, name: 'carol', count: 2 },
        { peer: bob, name: 'Bobby', count: 1 },
      ],
    });
  });

  it('settings read-receipts persists across runs', async () => {
    expect((await run(['--json', 'settings'])).json()[0]).toMatchObject({ type: 'settings', readReceipts: true });
    expect((await run(['--json', 'settings', 'read-receipts', 'off'])).json()[0]).toMatchObject({ readReceipts: false });
    expect((await run(['settings', 'read-receipts'])).io.stdout.text).toBe('read-receipts  off\n');
    expect((await run(['--json', 'settings', 'read-receipts', 'on'])).json()[0]).toMatchObject({ readReceipts: true });
  });

  it('a wrong passphrase gives exit code 8 and a clear message', async () => {
    const result = await run(['whoami'], 'wrong');
    expect(result.code).toBe(8);
    expect(result.io.stderr.text).toContain('The passphrase does not unlock this profile');
    expect(result.io.stdout.text).toBe('');
  });
});
