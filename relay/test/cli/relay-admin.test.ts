/**
 * `sealpost-relay admin …` in-process, against the data folder of a relay that is running (its
 * own SQLite connection, as a separate process would have): invites, listings, removing a device
 * and deleting an account — and what the running relay does about them — plus --json, every
 * error path and exit codes. The cross-process run of the real executable is in
 * relay/test/bin/relay-admin-process.test.ts.
 */
import Database from 'better-sqlite3';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { errorBodySchema, errorFrameSchema } from '../../src/api/index.js';
import { runRelayCli } from '../../src/cli/relay-cli.js';
import type { CliIo } from '../../src/cli/relay-cli.js';
import { MIGRATIONS } from '../../src/storage/sqlite/migrations.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { ConfigOverrides, Harness } from '../support/relay-harness.js';
import { answerChallenge, deviceListText, newIdentity } from '../support/crypto-fixtures.js';
import { challenge, registerAccount } from '../support/test-accounts.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { connect } from '../support/ws-client.js';

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { SEALPOST_RELAY_LOG__LEVEL: 'silent', ...env }, stdout: (t) => out.push(t), stderr: (t) => err.push(t), stopSignal: () => new Promise(() => {}) };
  const code = await runRelayCli(args, io);
  return { code, out: out.join(''), err: err.join('') };
}

/** Runs an admin command with --json against the harness's data folder; expects success. */
async function adminJson<T>(h: Harness, args: readonly string[]): Promise<T> {
  const run = await cli(['admin', ...args, '--data-dir', h.dir.path, '--json']);
  expect(run.code, run.err).toBe(0);
  return JSON.parse(run.out) as T;
}

describe('sealpost-relay admin (beside a running relay)', () => {
  let h: Harness | undefined;
  let dir: TempDir | undefined;
  const start = async (overrides: ConfigOverrides = {}) => {
    h = await startRelay(overrides);
    return h;
  };
  afterEach(async () => {
    await h?.stop();
    h = undefined;
    dir?.remove();
    dir = undefined;
  });

  it('invite create prints a token once that registers up to --uses accounts; only its hash is stored', async () => {
    const relay = await start({ registration: { policy: 'invite' } });
    const text = await cli(['admin', 'invite', 'create', '--uses', '2', '--expires-in', '1d12h', '--data-dir', relay.dir.path]);
    expect(text.code).toBe(0);
    const token = text.out.trim();
    expect(text.out).toBe(`${token}\n`);
    expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(text.err).toContain('only time the token is shown');
    expect(text.err).toContain('2 registrations');

    const json = await adminJson<{ token: string; expiresAt: number; maxUses: number }>(relay, ['invite', 'create']);
    expect(json.maxUses).toBe(1);
    expect(json.token).not.toBe(token);

    await registerAccount(relay.url, { invite: token });
    await registerAccount(relay.url, { invite: token });
    await registerAccount(relay.url, { invite: json.token });
    const identity = await newIdentity();
    const c = await challenge(relay.url);
    const third = await request(relay.url, 'POST', '/v1/accounts', {
      json: {
        accountKey: identity.accountKeyText,
        deviceList: await deviceListText(identity, 1),
        deviceId: 1,
        nonce: c.nonce,
        signature: await answerChallenge(c, identity.account.accountId, identity.devices[0]!),
        invite: token,
      },
    });
    expect(third.status).toBe(403);
    expect(errorBodySchema.parse(third.body).error.code).toBe('RELAY_ERR_INVITE_INVALID');

    const { invites } = await adminJson<{ invites: Array<{ id: string; state: string; uses: number; maxUses: number; expiresAt: number; createdAt: number }> }>(relay, ['invite', 'list']);
    expect(invites.map((i) => [i.state, i.uses, i.maxUses])).toEqual([
      ['used', 2, 2],
      ['used', 1, 1],
    ]);
    expect(invites[0]!.expiresAt - invites[0]!.createdAt).toBe(36 * 3_600_000);
    const listText = await cli(['admin', 'invite', 'list', '--data-dir', relay.dir.path]);
    expect(listText.out).toContain('used');
    for (const output of [listText.out, JSON.stringify(invites)]) expect(output).not.toContain(token);
    // Every file the relay keeps, in any folder (the local media folder is one).
    for (const file of readdirSync(relay.dir.path, { recursive: true, encoding: 'utf8' })) {
      const path = join(relay.dir.path, file);
      if (statSync(path).isFile()) expect(readFileSync(path).includes(Buffer.from(token)), file).toBe(false);
    }
  });

  it('lists accounts and devices, with hidden devices after a removal', async () => {
    const relay = await start();
    const alice = await registerAccount(relay.url, { username: 'Alice', deviceIds: [1, 2], prekeys: 3 });
    const bob = await registerAccount(relay.url);
    const { accounts } = await adminJson<{ accounts: Array<{ accountId: string; username: string | null; devices: number; deviceListVersion: number }> }>(relay, ['accounts', 'list']);
    // Both were created at the same (test) time, so their order is by id: compare as a set.
    expect(accounts).toHaveLength(2);
    expect(accounts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ accountId: alice.accountId, username: 'Alice', devices: 2, deviceListVersion: 1 }),
        expect.objectContaining({ accountId: bob.accountId, username: null, devices: 1 }),
      ]),
    );
    const table = await cli(['admin', 'accounts', 'list', '--data-dir', relay.dir.path]);
    expect(table.out.split('\n')[0]).toMatch(/^ACCOUNT\s+USERNAME\s+DEVICES/);
    expect(table.out).toContain(alice.accountId);

    // By username, case-insensitively, or by id.
    const devices = await adminJson<{ accountId: string; devices: Array<{ deviceId: number; prekeys: { oneTimeX25519: number }; queue: { count: number } }>; hidden: number[] }>(relay, [
      'devices',
      'list',
      'alice',
    ]);
    expect(devices.accountId).toBe(alice.accountId);
    expect(devices.devices.map((d) => [d.deviceId, d.prekeys.oneTimeX25519, d.queue.count])).toEqual([
      [1, 3, 0],
      [2, 3, 0],
    ]);
    expect(devices.hidden).toEqual([]);

    expect((await cli(['admin', 'devices', 'remove', alice.accountId, '2', '--data-dir', relay.dir.path])).code).toBe(0);
    const after = await adminJson<{ devices: Array<{ deviceId: number }>; hidden: number[] }>(relay, ['devices', 'list', alice.accountId]);
    expect(after.devices.map((d) => d.deviceId)).toEqual([1]);
    expect(after.hidden).toEqual([2]);
    const text = await cli(['admin', 'devices', 'list', 'Alice', '--data-dir', relay.dir.path]);
    expect(text.out).toContain('hidden (on the signed list, refused by this relay): 2');
  });

  it('devices remove: the running relay closes the device (4003) and senders see it as extra', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 100 } });
    const alice = await registerAccount(relay.url, { deviceIds: [1, 2] });
    const bob = await registerAccount(relay.url);
    const removedSocket = await connect(relay.wsUrl, alice.token(2));
    const run = await cli(['admin', 'devices', 'remove', alice.accountId, '2', '--data-dir', relay.dir.path]);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`removed device 2 of ${alice.accountId}\n`);
    expect(run.err).toContain('extra');
    expect(await removedSocket.closed).toEqual({ code: 4003, reason: 'RELAY_ERR_DEVICE_REMOVED' });
    expect((await request(relay.url, 'GET', `/v1/accounts/${bob.accountId}`, { token: alice.token(2) })).status).toBe(401);

    // Bob still encrypts for the signed list (devices 1 and 2): the relay names 2 as extra.
    const sender = await connect(relay.wsUrl, bob.token());
    sender.send({ v: 1, type: 'send', clientId: 'c1', to: alice.accountId, listVersion: 1, copies: [{ deviceId: 1, ciphertext: 'AAAA' }, { deviceId: 2, ciphertext: 'AAAA' }] });
    const refused = errorFrameSchema.parse(await sender.next('error'));
    expect(refused).toMatchObject({ code: 'RELAY_ERR_DEVICE_MISMATCH', details: { missing: [], extra: [{ accountId: alice.accountId, deviceId: 2 }], stale: [] } });
    await sender.close();

    const again = await cli(['admin', 'devices', 'remove', alice.accountId, '2', '--data-dir', relay.dir.path, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.err)).toMatchObject({ error: { code: 'RELAY_ERR_DEVICE_NOT_FOUND', details: { accountId: alice.accountId, deviceId: 2 } } });
  });

  it('accounts delete: removes the account, ends its connections and frees its username', async () => {
    const relay = await start({ presence: { heartbeatIntervalMs: 100 } });
    const carol = await registerAccount(relay.url, { username: 'carol', deviceIds: [1, 2] });
    const bob = await registerAccount(relay.url);
    const sockets = [await connect(relay.wsUrl, carol.token(1)), await connect(relay.wsUrl, carol.token(2))];
    const deleted = await adminJson<{ deleted: { accountId: string; username: string; devices: number; media: number } }>(relay, ['accounts', 'delete', 'CAROL']);
    expect(deleted).toEqual({ deleted: { accountId: carol.accountId, username: 'carol', devices: 2, media: 0 } });
    for (const socket of sockets) expect(await socket.closed).toEqual({ code: 4003, reason: 'RELAY_ERR_DEVICE_REMOVED' });
    const lookup = await request(relay.url, 'GET', `/v1/accounts/${carol.accountId}`, { token: bob.token() });
    expect(lookup.status).toBe(404);
    await registerAccount(relay.url, { username: 'Carol' });
    const missing = await cli(['admin', 'accounts', 'delete', carol.accountId, '--data-dir', relay.dir.path]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('RELAY_ERR_ACCOUNT_NOT_FOUND');
  });

  it('reports failures with a code on stderr and a non-zero exit', async () => {
    const relay = await start();
    const unknown = await cli(['admin', 'devices', 'list', 'nobody', '--data-dir', relay.dir.path]);
    expect(unknown).toMatchObject({ code: 1, out: '' });
    expect(unknown.err).toBe(`sealpost-relay: RELAY_ERR_ACCOUNT_NOT_FOUND: No such account. (no account "nobody")\n`);
    const unknownJson = await cli(['admin', 'devices', 'list', 'nobody', '--data-dir', relay.dir.path, '--json']);
    expect(JSON.parse(unknownJson.err)).toMatchObject({ error: { code: 'RELAY_ERR_ACCOUNT_NOT_FOUND' } });

    // Usage errors (exit 2) never touch the database.
    for (const args of [
      ['invite', 'create', '--expires-in', '7 days'],
      ['invite', 'create', '--expires-in', '30m2h'],
      ['invite', 'create', '--uses', '0'],
      ['devices', 'remove', 'alice', 'two'],
      ['devices', 'remove', 'alice', '4294967296'],
      ['accounts', 'delete'],
      ['accounts', 'frobnicate'],
    ]) {
      const run = await cli(['admin', ...args, '--data-dir', relay.dir.path]);
      expect(run.code, args.join(' ')).toBe(2);
    }

    dir = makeTempDir();
    const empty = join(dir.path, 'nothing-here');
    const missing = await cli(['admin', 'accounts', 'list', '--data-dir', empty]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('RELAY_ERR_DATABASE_MISSING');
    expect(existsSync(empty)).toBe(false);
    const badConfig = await cli(['admin', 'accounts', 'list', '--data-dir', relay.dir.path, '--json'], { SEALPOST_RELAY_STORAGE__BUSY_TIMEOUT_MS: '-5' });
    expect(badConfig.code).toBe(1);
    expect(JSON.parse(badConfig.err)).toMatchObject({ error: { code: 'RELAY_ERR_CONFIG_INVALID' } });
  });

  it('refuses a database at another schema version instead of migrating it', async () => {
    dir = makeTempDir();
    const file = join(dir.path, 'relay.sqlite');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    db.exec(MIGRATIONS[0]!.sql);
    db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(MIGRATIONS[0]!.description);
    db.close();
    const run = await cli(['admin', 'accounts', 'list', '--data-dir', dir.path]);
    expect(run.code).toBe(1);
    expect(run.err).toContain('RELAY_ERR_DATABASE_VERSION');
    expect(run.err).toContain('start the upgraded relay once');
    const check = new Database(file, { readonly: true });
    expect((check.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number }).v).toBe(1);
    check.close();
  });
});
