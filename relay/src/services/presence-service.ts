/**
 * Presence (DESIGN.md §4): online / last seen from connections and heartbeats, shown only to
 * accounts the owner put on its allow-list (and to the owner's own devices). Lookups go through
 * GET /v1/accounts/:id/presence; changes are pushed live: when an account's first device
 * connects or its last one disconnects, the connected devices of every account on its allow-list
 * get a `presence` frame (never queued — a device that was offline asks again when it returns).
 */
import type { PresenceResponse } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';

export class PresenceService {
  constructor(private readonly deps: ServiceDeps) {}

  async connected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    const cameOnline = await this.deps.presence.connected(device, connectionId, now);
    await this.deps.storage.accounts.touchDevice(device, now);
    if (cameOnline) await this.announce(device.accountId, true, now);
  }

  async heartbeat(device: DeviceAddress, connectionId: string): Promise<void> {
    await this.deps.presence.seen(device, connectionId, this.deps.clock());
  }

  async disconnected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    const wentOffline = await this.deps.presence.disconnected(device, connectionId, now);
    // Persisted so "last seen" and the idle-device policy survive a restart.
    await this.deps.storage.accounts.touchDevice(device, now);
    if (wentOffline) await this.announce(device.accountId, false, now);
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
    let lastSeenAt = live.lastSeenAt;
    for (const device of await this.deps.storage.accounts.listDevices(accountId)) {
      if (device.lastSeenAt !== null) lastSeenAt = lastSeenAt === null ? device.lastSeenAt : Math.max(lastSeenAt, device.lastSeenAt);
    }
    return { accountId, online: live.online, lastSeenAt };
  }
}
