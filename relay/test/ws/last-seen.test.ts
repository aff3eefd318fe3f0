/**
 * "Last seen" on the connection path (docs/api.md "Presence"): `hello` never waits for a durable
 * write; the times reach the database after presence.lastSeenWriteIntervalMs, or at shutdown;
 * presence answers include times not yet written; and the idle-device policy keeps a device
 * seen lately whose stored time is old.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { presenceResponseSchema } from '../../src/api/index.js';
import type { DeviceSeen } from '../../src/storage/account-store.js';
import type { DeviceAddress } from '../../src/storage/records.js';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import { openSqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

const DAY = 86_400_000;

async function stored(h: Harness, device: DeviceAddress): Promise<number | null | undefined> {
  return (await h.relay.services.deps.storage.accounts.getDevice(device))?.lastSeenAt;
}

/** Waits until the relay has handled a device's connect or disconnect made at clock time `at`. */
async function seenAt(h: Harness, device: DeviceAddress, at: number): Promise<void> {
  await expect.poll(() => h.relay.services.deps.presence.lastSeen(device)).toBe(at);
}

describe('last seen', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('greets with hello and serves the connection while every last-seen write hangs', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let writes = 0;
    h = await startRelay(
      { presence: { lastSeenWriteIntervalMs: 20 } },
      {
        storage: (dataDir) => {
          const base = openSqliteStorage({ file: join(dataDir, 'relay.sqlite') });
          const accounts = new Proxy(base.accounts, {
            get(target, property) {
              if (property === 'touchDevices') {
                return async (seen: readonly DeviceSeen[]) => {
                  writes++;
                  await gate;
                  await target.touchDevices(seen);
                };
              }
              const value: unknown = Reflect.get(target, property, target);
              return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
            },
          });
          return Object.create(base, { accounts: { value: accounts, enumerable: true } }) as RelayStorage;
        },
      },
    );
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const one = { accountId: alice.accountId, deviceId: 1 };
    const first = await connect(h.wsUrl, alice.token(1));
    await first.next('drained');
    await first.close();
    // A last-seen write has started and will not finish until released.
    await vi.waitFor(() => expect(writes).toBeGreaterThan(0));
    h.clock.advance(1_000);
    const again = await connect(h.wsUrl, alice.token(1));
    expect(again.frames[0]?.type).toBe('hello');
    await again.next('drained');
    again.send({ v: 1, type: 'ping', id: 'p' });
    expect(await again.next('pong')).toEqual({ v: 1, type: 'pong', id: 'p' });
    const presence = presenceResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/presence`, { token: alice.token(2) })).body);
    expect(presence).toEqual({ accountId: alice.accountId, online: true, lastSeenAt: h.clock() });
    expect(await stored(h, one)).toBeNull();
    await again.close();
    release();
    await expect.poll(() => stored(h!, one)).toBe(h.clock());
  });

  it('writes "last seen" within the interval, not while connecting', async () => {
    h = await startRelay({ presence: { lastSeenWriteIntervalMs: 400 } });
    const alice = await registerAccount(h.url);
    const one = { accountId: alice.accountId, deviceId: 1 };
    const connectedAt = h.clock();
    const socket = await connect(h.wsUrl, alice.token());
    expect(await stored(h, one)).toBeNull();
    await expect.poll(() => stored(h!, one), { timeout: 5_000 }).toBe(connectedAt);
    h.clock.advance(7_000);
    await socket.close();
    await expect.poll(() => stored(h!, one), { timeout: 5_000 }).toBe(connectedAt + 7_000);
  });

  it('answers presence with times not yet written, and writes them at shutdown', async () => {
    h = await startRelay({ presence: { lastSeenWriteIntervalMs: 60_000 } });
    const alice = await registerAccount(h.url, { deviceIds: [1, 2, 3] });
    const [one, two] = [1, 2].map((deviceId) => ({ accountId: alice.accountId, deviceId })) as [DeviceAddress, DeviceAddress];
    const first = await connect(h.wsUrl, alice.token(1));
    const second = await connect(h.wsUrl, alice.token(2));
    h.clock.advance(5_000);
    const leftAt = h.clock();
    await first.close();
    await seenAt(h, one, leftAt);
    h.clock.advance(5_000);
    const presence = presenceResponseSchema.parse((await request(h.url, 'GET', `/v1/accounts/${alice.accountId}/presence`, { token: alice.token(3) })).body);
    expect(presence).toEqual({ accountId: alice.accountId, online: true, lastSeenAt: leftAt });
    expect(await stored(h, one)).toBeNull();
    expect(await stored(h, two)).toBeNull();

    // Shutdown closes the second connection and writes both times before storage closes.
    const shutdownAt = h.clock();
    await h.relay.close();
    await second.closed;
    const db = new Database(join(h.dir.path, 'relay.sqlite'), { readonly: true });
    try {
      const rows = db.prepare('SELECT device_id, last_seen_at FROM devices WHERE account_id = ? ORDER BY device_id').all(alice.accountId);
      expect(rows).toEqual([
        { device_id: 1, last_seen_at: leftAt },
        { device_id: 2, last_seen_at: shutdownAt },
        { device_id: 3, last_seen_at: null },
      ]);
    } finally {
      db.close();
    }
  });

  it('keeps a device seen lately under the idle policy, before its time is written', async () => {
    h = await startRelay({ devices: { idleRemovalDays: 2 }, presence: { lastSeenWriteIntervalMs: 60_000 }, auth: { sessionTtlMs: 10 * DAY } });
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    const one = { accountId: alice.accountId, deviceId: 1 };
    h.clock.advance(3 * DAY);
    const socket = await connect(h.wsUrl, alice.token(1));
    await socket.close();
    await seenAt(h, one, h.clock());
    // Stored: never seen, created three days ago — idle by the database alone.
    expect(await stored(h, one)).toBeNull();
    await h.relay.services.housekeeping.runOnce();
    expect((await h.relay.services.deps.storage.accounts.listDevices(alice.accountId)).map((d) => d.deviceId)).toEqual([1]);
  });
});
