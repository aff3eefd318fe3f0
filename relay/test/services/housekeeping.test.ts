/**
 * Housekeeping: the idle-device policy hides devices not seen for idleRemovalDays (never a
 * connected one) and is off by default; expired challenges are purged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { request } from '../support/http-client.js';
import { startRelay } from '../support/relay-harness.js';
import type { Harness } from '../support/relay-harness.js';
import { challenge, registerAccount } from '../support/test-accounts.js';
import { connect } from '../support/ws-client.js';

const DAY = 86_400_000;

describe('housekeeping', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('hides devices idle longer than devices.idleRemovalDays, but not connected ones', async () => {
    h = await startRelay({ devices: { idleRemovalDays: 2 } });
    const alice = await registerAccount(h.url, { deviceIds: [1, 2, 3] });
    const online = await connect(h.wsUrl, alice.token(3));
    h.clock.advance(3 * DAY);
    await h.relay.services.housekeeping.runOnce();
    const devices = await h.relay.services.deps.storage.accounts.listDevices(alice.accountId);
    expect(devices.map((d) => d.deviceId)).toEqual([3]);
    await online.close();
  });

  it('keeps idle devices by default', async () => {
    h = await startRelay();
    const alice = await registerAccount(h.url, { deviceIds: [1, 2] });
    h.clock.advance(365 * DAY);
    await h.relay.services.housekeeping.runOnce();
    expect(await h.relay.services.deps.storage.accounts.listDevices(alice.accountId)).toHaveLength(2);
  });

  it('purges expired challenges', async () => {
    h = await startRelay({ auth: { challengeTtlMs: 1_000 } });
    const c = await challenge(h.url);
    h.clock.advance(1_000);
    await h.relay.services.housekeeping.runOnce();
    expect(await h.relay.services.deps.storage.challenges.consume(c.nonce)).toBeNull();
    expect((await request(h.url, 'GET', '/healthz')).status).toBe(200);
  });
});
