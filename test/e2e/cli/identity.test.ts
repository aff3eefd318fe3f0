// Trust on first use: when a contact's username comes to lead to a different identity key, the
// CLI stops sending to it (exit code 4) and says why, until `verify --confirm`.
//
// A username comes to lead to another identity when its account is deleted and someone else
// registers it (a reinstall, or an operator — or a hostile relay — reassigning it). The test
// does what an operator would: the relay's own `admin accounts delete` frees Bob's username while
// the relay runs, and a new identity registers it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runRelayAdmin, runSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
let relay: TestRelay;

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return jsonLines(result.stdout)[0] as Record<string, unknown>;
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-identity-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')));
});

afterAll(async () => {
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('identity change', () => {
  it('is detected, stops sending with exit code 4, and verify --confirm re-pins', async () => {
    const alice = join(root, 'alice');
    const oldBob = join(root, 'bob-old');
    const newBob = join(root, 'bob-new');
    await json(alice, 'init', '--relay', relay.origin, '--username', 'alice');
    const oldId = String((await json(oldBob, 'init', '--relay', relay.origin, '--username', 'bob')).accountId);
    await json(alice, 'send', 'bob', 'hi old bob');
    const safetyBefore = await json(alice, 'verify', 'bob');
    expect(safetyBefore).toMatchObject({ accountId: oldId, identityChanged: false, verified: false });
    expect(String(safetyBefore.safetyNumber)).toMatch(/^\d{60}$/);
    await json(alice, 'verify', 'bob', '--confirm');

    const deleted = await runRelayAdmin(['accounts', 'delete', 'bob', '--data-dir', relay.dataDir, '--json']);
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ deleted: { accountId: oldId, username: 'bob' } });
    const newId = String((await json(newBob, 'init', '--relay', relay.origin, '--username', 'bob')).accountId);
    expect(newId).not.toBe(oldId);

    const refused = await runSealpost(['--data-dir', alice, '--json', 'send', 'bob', 'is this still you?']);
    expect(refused.code).toBe(4);
    const [error] = jsonLines(refused.stdout);
    expect(error).toMatchObject({ type: 'error', code: 'CLI_ERR_UNTRUSTED_IDENTITY', exitCode: 4, details: { contact: oldId, newAccountId: newId } });
    // Still refused on the next try: nothing is sent until the user decides.
    const again = await runSealpost(['--data-dir', alice, 'send', 'bob', 'still?']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('identity key changed');
    expect(await json(alice, 'contact', 'show', 'bob')).toMatchObject({ accountId: oldId, identityChanged: true, newAccountId: newId });

    const safetyAfter = await json(alice, 'verify', 'bob');
    expect(safetyAfter).toMatchObject({ accountId: newId, identityChanged: true });
    expect(safetyAfter.safetyNumber).not.toBe(safetyBefore.safetyNumber);
    // Bob computes the same number on his side.
    await json(newBob, 'contact', 'add', 'alice');
    expect((await json(newBob, 'verify', 'alice')).safetyNumber).toBe(safetyAfter.safetyNumber);

    const confirmed = await json(alice, 'verify', 'bob', '--confirm');
    expect(confirmed).toMatchObject({ contact: newId, verified: true, confirmed: true });
    const sent = await json(alice, 'send', 'bob', 'welcome back, new bob');
    expect(sent.peer).toBe(newId);
    const received = await json(newBob, 'receive');
    expect((received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message').map((e) => e.body)).toEqual(['welcome back, new bob']);
  });
});
