/**
 * Presence (DESIGN.md §4): online / last seen from connections and heartbeats, shown only to
 * accounts the owner put on its allow-list (and to the owner's own devices).
 */
import type { PresenceResponse } from '../api/http.js';
import { RelayError } from '../errors.js';
import type { DeviceAddress } from '../storage/records.js';
import type { ServiceDeps } from './service-deps.js';

export class PresenceService {
  constructor(private readonly deps: ServiceDeps) {}

  async connected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    await this.deps.presence.connected(device, connectionId, now);
    await this.deps.storage.accounts.touchDevice(device, now);
  }

  async heartbeat(device: DeviceAddress, connectionId: string): Promise<void> {
    await this.deps.presence.seen(device, connectionId, this.deps.clock());
  }

  async disconnected(device: DeviceAddress, connectionId: string): Promise<void> {
    const now = this.deps.clock();
    await this.deps.presence.disconnected(device, connectionId, now);
    // Persisted so "last seen" and the idle-device policy survive a restart.
    await this.deps.storage.accounts.touchDevice(device, now);
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
