// Local state and failure modes through the real binary: wrong passphrase, corrupted store,
// relay down, rate limiting, and state that survives restarts of the relay and the client.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonLines, requireBuild, runSealpost } from '../../support/cli-process.js';
import { TestRelay } from '../../support/cli-relay.js';

let root: string;
let relay: TestRelay;
let alice: string;
let bob: string;
let bobId: string;

async function json(profile: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runSealpost(['--data-dir', profile, '--json', ...args]);
  expect(result.code, `${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return jsonLines(result.stdout)[0] as Record<string, unknown>;
}

function fileHash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

beforeAll(async () => {
  requireBuild();
  root = mkdtempSync(join(tmpdir(), 'sealpost-e2e-state-'));
  relay = await TestRelay.start(mkdtempSync(join(root, 'relay-')));
  alice = join(root, 'alice');
  bob = join(root, 'bob');
  await json(alice, 'init', '--relay', relay.origin, '--username', 'alice');
  bobId = String((await json(bob, 'init', '--relay', relay.origin, '--username', 'bob')).accountId);
  await json(alice, 'contact', 'add', 'bob', '--name', 'Bobby');
  await json(alice, 'send', 'Bobby', 'before the restarts');
  await json(bob, 'receive');
});

afterAll(async () => {
  await relay.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('local state', () => {
  it('a wrong passphrase gives exit code 8, a clear message, and changes nothing', async () => {
    const store = join(alice, 'sealpost.db');
    const before = fileHash(store);
    const result = await runSealpost(['--data-dir', alice, 'contact', 'list'], { env: { SEALPOST_PASSPHRASE: 'not the passphrase' } });
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('The passphrase does not unlock this profile. Nothing was changed.');
    expect(result.stdout).toBe('');
    expect(fileHash(store)).toBe(before);
  });

  it('reads the passphrase from --passphrase-file and --passphrase-fd', async () => {
    const file = join(root, 'passphrase.txt');
    writeFileSync(file, 'correct horse battery staple\n', { mode: 0o600 });
    const fromFile = await runSealpost(['--data-dir', alice, '--passphrase-file', file, '--json', 'whoami'], { env: { SEALPOST_PASSPHRASE: undefined } });
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const fromFd = await runSealpost(['--data-dir', alice, '--passphrase-fd', '3', '--json', 'whoami'], { env: { SEALPOST_PASSPHRASE: undefined }, extraFds: ['correct horse battery staple\n'] });
    expect(fromFd.code, fromFd.stderr).toBe(0);
    const wrongFd = await runSealpost(['--data-dir', alice, '--passphrase-fd', '3', 'whoami'], { env: { SEALPOST_PASSPHRASE: undefined }, extraFds: ['wrong\n'] });
    expect(wrongFd.code).toBe(8);
  });

  it('a corrupted store gives exit code 9 and is left as it was', async () => {
    const copy = join(root, 'corrupt');
    mkdirSync(copy);
    copyFileSync(join(alice, 'sealpost.db'), join(copy, 'sealpost.db'));
    const bytes = readFileSync(join(copy, 'sealpost.db'));
    bytes.write('this is not SQLite', 0);
    writeFileSync(join(copy, 'sealpost.db'), bytes);
    const before = fileHash(join(copy, 'sealpost.db'));
    const result = await runSealpost(['--data-dir', copy, '--json', 'whoami']);
    expect(result.code).toBe(9);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ type: 'error', code: 'CLI_ERR_STORE_CORRUPTED', exitCode: 9 });
    expect(fileHash(join(copy, 'sealpost.db'))).toBe(before);
  });

  it('refuses a second init of the same profile (exit 11)', async () => {
    const result = await runSealpost(['--data-dir', alice, '--json', 'init', '--relay', relay.origin]);
    expect(result.code).toBe(11);
    expect(jsonLines(result.stdout)[0]).toMatchObject({ code: 'CLI_ERR_ALREADY_INITIALIZED' });
  });

  it('state survives a restart of the relay and of the clients', async () => {
    await relay.restart();
    const history = await json(bob, 'history', 'alice');
    expect((history.messages as Array<Record<string, unknown>>).map((m) => m.body)).toEqual(['before the restarts']);
    const sent = await json(alice, 'send', 'Bobby', 'after the restart');
    const received = await json(bob, 'receive');
    expect((received.events as Array<Record<string, unknown>>).filter((e) => e.type === 'message').map((e) => e.body)).toEqual(['after the restart']);
    expect(sent.peer).toBe(bobId);
    const contacts = await json(alice, 'contact', 'list');
    expect(contacts.contacts).toEqual([expect.objectContaining({ accountId: bobId, alias: 'Bobby', username: 'bob' })]);
  });

  it('an unreachable relay gives exit code 3 (network)', async () => {
    await relay.stop();
    try {
      const result = await runSealpost(['--data-dir', alice, '--json', 'send', 'Bobby', 'nobody hears this']);
      expect(result.code).toBe(3);
      expect(jsonLines(result.stdout)[0]).toMatchObject({ type: 'error', code: 'CLI_ERR_RELAY_UNREACHABLE', exitCode: 3 });
      const human = await runSealpost(['--data-dir', bob, 'receive']);
      expect(human.code).toBe(3);
      expect(human.stderr).toContain('The relay could not be reached');
    } finally {
      await relay.restart();
    }
  });
});

describe('rate limiting', () => {
  it('gives exit code 5 when the relay rate-limits', async () => {
    const strict = await TestRelay.start(mkdtempSync(join(root, 'strict-relay-')), { rateLimits: { registerPerAddress: { limit: 1, windowMs: 3_600_000 } } });
    try {
      await json(join(root, 'first'), 'init', '--relay', strict.origin);
      const second = await runSealpost(['--data-dir', join(root, 'second'), '--json', 'init', '--relay', strict.origin]);
      expect(second.code).toBe(5);
      expect(jsonLines(second.stdout)[0]).toMatchObject({ code: 'CLI_ERR_RATE_LIMITED', exitCode: 5, details: { relayCode: 'RELAY_ERR_RATE_LIMITED' } });
      // The refused init left nothing behind: it can be run again later.
      const retry = await runSealpost(['--data-dir', join(root, 'second'), '--json', 'whoami']);
      expect(retry.code).toBe(11);
    } finally {
      await strict.stop();
    }
  });
});
