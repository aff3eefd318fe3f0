/**
 * Presence (DESIGN.md §4): online / last seen from connections and heartbeats, shown only to
 * accounts the owner put on its allow-list (and to the owner's own devices). Lookups go through
 * GET /v1/accounts/:id/presence; changes are pushed live: when an account's first device
 * connects or its last one disconnects, the connected devices of every account on its allow-list
 * get a `presence` frame (never queued — a device that was offline asks again when it returns).
 */
import type { PresenceResponse } from '../api/http.js';
import { RelayError } from '../errors.js';
import { LastSeenWriter } from '../presence/last-seen-writer.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';

export class PresenceService {
  /**
   * "Last seen" reaches the database every presence.lastSeenWriteIntervalMs, for all devices at
   * once, and at shutdown (close()); a connection never waits for it. A crash loses those few
   * seconds of "last seen", never a message (docs/api.md "Presence").
   */
  private readonly lastSeen: LastSeenWriter;

  constructor(private readonly deps: ServiceDeps) {
    this.lastSeen = new LastSeenWriter(deps.storage.accounts, {
      intervalMs: deps.config.presence.lastSeenWriteIntervalMs,
      onError: (error) => deps.logger.warn({ err: error }, 'writing last-seen times failed; retrying'),
    });
  }

  /** In memory only (the durable "last seen" follows within lastSeenWriteIntervalMs), so it never delays a `hello`. */
  async connected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    const cameOnline = await this.deps.presence.connected(device, connectionId, now);
    this.lastSeen.note(device, now);
    if (cameOnline) await this.announce(device.accountId, true, now);
  }

  async heartbeat(device: DeviceAddress, connectionId: string): Promise<void> {
    await this.deps.presence.seen(device, connectionId, this.deps.clock());
  }

  async disconnected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    const wentOffline = await this.deps.presence.disconnected(device, connectionId, now);
    // Persisted (lazily) so "last seen" and the idle-device policy survive a restart.
    this.lastSeen.note(device, now);
    if (wentOffline) await this.announce(device.accountId, false, now);
  }

  /** Shutdown, after the last connection closed: writes the remaining "last seen" times. */
  async close(): Promise<void> {
    await this.lastSeen.close();
  }

  /**
   * Tells the connected devices of each allowed viewer that `accountId` went online or offline.
   * Viewers with no live connection are skipped before their devices are even listed: the frame
   * is live-only, so there would be nobody to deliver it to.
   */
  private async announce(accountId: string, online: boolean, at: number): Promise<void> {
    let reached = 0;
    for (const viewer of await this.deps.storage.accounts.getPresenceViewers(accountId)) {
      if (viewer === accountId || !(await this.deps.presence.get(viewer)).online) continue;
      for (const device of await this.deps.storage.accounts.listDevices(viewer)) {
        reached += await this.deps.bus.publish(device, { type: 'presence', accountId, online, lastSeen: at });
      }
    }
    if (reached > 0) this.deps.metrics.presenceFrames.inc(reached);
  }

  async setViewers(owner: DeviceAddress, accountIds: readonly string[]): Promise<void> {
    await this.deps.storage.accounts.setPresenceViewers(owner.accountId, [...new Set(accountIds)]);
  }

  async getViewers(owner: DeviceAddress): Promise<string[]> {
    return this.deps.storage.accounts.getPresenceViewers(owner.accountId);
  }

  async get(viewer: DeviceAddress, accountId: string): Promise<PresenceResponse> {
    if (viewer.accountId !== accountId && !(await this.deps.storage.accounts.isPresenceViewer(accountId, viewer.accountId))) {
      throw new RelayError('RELAY_ERR_PRESENCE_NOT_ALLOWED');
    }
    const live = await this.deps.presence.get(accountId);
    // The latest of: the tracker (this relay's connections), times not yet written, the database.
    let lastSeenAt = latest(live.lastSeenAt, this.lastSeen.pendingForAccount(accountId));
    for (const device of await this.deps.storage.accounts.listDevices(accountId)) lastSeenAt = latest(lastSeenAt, device.lastSeenAt);
    return { accountId, online: live.online, lastSeenAt };
  }
}

function latest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.max(a, b);
}
