// Two devices on one account, through the real binary: `link new` / `link accept` add a second
// device, both devices receive, each sees what the other sent, and a removed device is cut off.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost, RunningSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
let relay: TestRelay;
let laptop: string;
let phone: string;
let bob: string;
let aliceId: string;
let bobId: string;

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return jsonLines(result.stdout)[0] as Record<string, unknown>;
}

function messages(received: Record<string, unknown>): Array<Record<string, unknown>> {
  return (received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message');
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-devices-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')));
  laptop = join(root, 'alice-laptop');
  phone = join(root, 'alice-phone');
  bob = join(root, 'bob');
  aliceId = String((await json(laptop, 'init', '--relay', relay.origin, '--username', 'alice', '--device-name', 'laptop')).accountId);
  bobId = String((await json(bob, 'init', '--relay', relay.origin, '--username', 'bob')).accountId);
  // Bob knows Alice with one device before the second one exists.
  await json(bob, 'send', 'alice', 'before the phone');
  expect(messages(await json(laptop, 'receive')).map((m) => m.body)).toEqual(['before the phone']);
});

afterAll(async () => {
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('two devices on one account', () => {
  it('both devices receive, and each sees what the other sent', async () => {
    // The two codes travel through the test (the user's screen and keyboard), not the relay.
    const offering = RunningSealpost.start(['--data-dir', laptop, '--json', 'link', 'new', '--timeout', '120']);
    const offer = await offering.waitForJson((e) => e.type === 'link-offer');
    expect(offer).toMatchObject({ v: 1, deviceId: 2, code: expect.stringMatching(/^sealpost-link-offer:/) });
    const accepting = RunningSealpost.start(['--data-dir', phone, '--json', 'link', 'accept', String(offer.code), '--device-name', 'phone', '--timeout', '120']);
    const answer = await accepting.waitForJson((e) => e.type === 'link-answer');
    expect(String(answer.code)).toMatch(/^sealpost-link-answer:/);
    offering.write(`${String(answer.code)}\n`);
    const linked = await offering.waitForJson((e) => e.type === 'link');
    expect(linked).toMatchObject({ deviceId: 2, listVersion: 2, devices: [1, 2] });
    const accepted = await accepting.waitForJson((e) => e.type === 'link-accepted');
    expect(accepted).toMatchObject({ accountId: aliceId, deviceId: 2, deviceName: 'phone', username: 'alice' });
    expect((await offering.exited()).code).toBe(0);
    expect((await accepting.exited()).code).toBe(0);

    expect(await json(phone, 'whoami')).toMatchObject({ accountId: aliceId, deviceId: 2, deviceName: 'phone', username: 'alice' });
    expect(await json(laptop, 'devices')).toMatchObject({ listVersion: 2, devices: [{ deviceId: 1, current: true }, { deviceId: 2, current: false }] });

    // Bob's copy of Alice's list is version 1: the relay names the missing device, Bob refetches
    // the signed list and encrypts for both.
    const sent = await json(bob, 'send', 'alice', 'hello both of you');
    expect(sent.deliveries).toEqual([
      expect.objectContaining({ accountId: aliceId, deviceId: 1, state: 'sent' }),
      expect.objectContaining({ accountId: aliceId, deviceId: 2, state: 'sent' }),
    ]);
    expect(messages(await json(phone, 'receive')).map((m) => m.body)).toEqual(['hello both of you']);
    expect(messages(await json(laptop, 'receive')).map((m) => m.body)).toEqual(['hello both of you']);
    // "delivered" needs every device of the recipient: Bob learns of both acknowledgements.
    await json(bob, 'receive');
    expect((await json(bob, 'status', String(sent.id))).message).toMatchObject({
      state: 'delivered',
      deliveries: [expect.objectContaining({ deviceId: 1, state: 'delivered' }), expect.objectContaining({ deviceId: 2, state: 'delivered' })],
    });

    // The phone writes to Bob; the laptop gets the sync copy and shows it as sent by the account.
    const fromPhone = await json(phone, 'send', 'bob', 'sent from my phone');
    expect(messages(await json(bob, 'receive')).map((m) => [m.body, m.from])).toEqual([['sent from my phone', { accountId: aliceId, deviceId: 2 }]]);
    const synced = messages(await json(laptop, 'receive'));
    expect(synced).toEqual([expect.objectContaining({ id: fromPhone.id, direction: 'out', peer: bobId, body: 'sent from my phone', from: { accountId: aliceId, deviceId: 2 } })]);
    const history = await json(laptop, 'history', 'bob');
    expect((history.messages as Array<Record<string, unknown>>).map((m) => [m.direction, m.body])).toContainEqual(['out', 'sent from my phone']);

    // And the other way round: the laptop's message appears on the phone.
    await json(laptop, 'send', 'bob', 'sent from my laptop');
    const onPhoneAgain = messages(await json(phone, 'receive'));
    expect(onPhoneAgain).toEqual([expect.objectContaining({ direction: 'out', peer: bobId, body: 'sent from my laptop', from: { accountId: aliceId, deviceId: 1 } })]);
  });

  it('refuses a code that is not an answer to the offer, and a malformed offer', async () => {
    const offering = RunningSealpost.start(['--data-dir', laptop, '--json', 'link', 'new', '--timeout', '60']);
    await offering.waitForJson((e) => e.type === 'link-offer');
    offering.write('sealpost-link-answer:AAAA\n');
    const refused = await offering.exited();
    expect(refused.code).toBe(1);
    expect(jsonLines(refused.stdout).at(-1)).toMatchObject({ type: 'error', code: 'CLI_ERR_INVALID_ARGUMENT' });

    const elsewhere = join(root, 'never-created');
    const bad = await runSealpost(['--data-dir', elsewhere, '--json', 'link', 'accept', 'sealpost-link-offer:bm90IGpzb24']);
    expect(bad.code).toBe(1);
    expect(existsSync(join(elsewhere, 'sealpost.db'))).toBe(false);
  });

  it('a removed device can no longer connect, and senders stop encrypting for it', async () => {
    expect(await json(laptop, 'devices', 'remove', '2')).toMatchObject({ listVersion: 3, devices: [{ deviceId: 1 }] });
    const refused = await runSealpost(['--data-dir', phone, '--json', 'receive']);
    expect(refused.code).toBe(10);
    await json(bob, 'send', 'alice', 'only the laptop now');
    expect(messages(await json(laptop, 'receive')).map((m) => m.body)).toEqual(['only the laptop now']);
  });
});
