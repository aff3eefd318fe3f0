/**
 * The real executables, two processes on one data folder: a relay runs under the invite policy
 * while `sealpost-relay admin` commands run beside it. An invite made by the admin process
 * registers on the running relay; removing a device closes its open WebSocket (4003) and ends
 * its token; deleting an account does the same for all of its devices. Exit codes and --json
 * output are those of the real process.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../support/http-client.js';
import { runRelayCommand, spawnRelay } from '../support/relay-process.js';
import { makeTempDir } from '../support/temp-dir.js';
import type { TempDir } from '../support/temp-dir.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

const REMOVED = { code: 4003, reason: 'RELAY_ERR_DEVICE_REMOVED' };

describe('sealpost-relay admin beside a running relay process', () => {
  let dir: TempDir | undefined;
  afterEach(() => dir?.remove());

  it('creates invites, removes devices and deletes accounts that the running relay then refuses', async () => {
    dir = makeTempDir();
    const data = dir.path;
    const relay = await spawnRelay(['--data-dir', data], {
      SEALPOST_RELAY_REGISTRATION__POLICY: 'invite',
      SEALPOST_RELAY_PRESENCE__HEARTBEAT_INTERVAL_MS: '200',
      SEALPOST_RELAY_RATE_LIMITS__AUTH_PER_ADDRESS__LIMIT: '1000',
    });
    try {
      const invite = await runRelayCommand(['admin', 'invite', 'create', '--uses', '2', '--data-dir', data]);
      expect(invite.code, invite.stderr).toBe(0);
      const token = invite.stdout.trim();
      const alice = await registerAccount(relay.url, { invite: token, deviceIds: [1, 2], username: 'alice' });
      const bob = await registerAccount(relay.url, { invite: token });

      const socket = await connect(relay.wsUrl, alice.token(2));
      await socket.next('drained');
      const removed = await runRelayCommand(['admin', 'devices', 'remove', 'alice', '2', '--data-dir', data, '--json']);
      expect(removed.code, removed.stderr).toBe(0);
      expect(JSON.parse(removed.stdout)).toEqual({ removed: { accountId: alice.accountId, deviceId: 2 } });
      expect(await socket.closed).toEqual(REMOVED);
      expect((await request(relay.url, 'GET', `/v1/accounts/${bob.accountId}`, { token: alice.token(2) })).status).toBe(401);
      expect((await request(relay.url, 'GET', `/v1/accounts/${bob.accountId}`, { token: alice.token(1) })).status).toBe(200);

      const listed = await runRelayCommand(['admin', 'devices', 'list', alice.accountId, '--data-dir', data, '--json']);
      expect(JSON.parse(listed.stdout)).toMatchObject({ accountId: alice.accountId, hidden: [2], devices: [{ deviceId: 1 }] });

      const bobSocket = await connect(relay.wsUrl, bob.token());
      const deleted = await runRelayCommand(['admin', 'accounts', 'delete', bob.accountId, '--data-dir', data]);
      expect(deleted.code, deleted.stderr).toBe(0);
      expect(deleted.stdout).toBe(`deleted account ${bob.accountId} and its 1 device(s)\n`);
      expect(await bobSocket.closed).toEqual(REMOVED);

      const failed = await runRelayCommand(['admin', 'accounts', 'delete', bob.accountId, '--data-dir', data]);
      expect(failed.code).toBe(1);
      expect(failed.stderr).toContain('RELAY_ERR_ACCOUNT_NOT_FOUND');
    } finally {
      if (relay.child.exitCode === null) relay.child.kill('SIGTERM');
      await relay.exited;
    }
  });
});
