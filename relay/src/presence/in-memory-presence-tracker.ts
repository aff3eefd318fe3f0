/** InMemoryPresenceTracker: PresenceTracker held in this process's memory. */
import type { DeviceAddress } from '../storage/records.js';
import type { AccountPresence, PresenceTracker } from './presence-tracker.js';

interface DeviceState {
  readonly connections: Set<string>;
  lastSeenAt: number;
}

export class InMemoryPresenceTracker implements PresenceTracker {
  private readonly accounts = new Map<string, Map<number, DeviceState>>();

  private state(address: DeviceAddress, now: number): DeviceState {
    let devices = this.accounts.get(address.accountId);
    if (devices === undefined) {
      devices = new Map();
      this.accounts.set(address.accountId, devices);
    }
    let state = devices.get(address.deviceId);
    if (state === undefined) {
      state = { connections: new Set(), lastSeenAt: now };
      devices.set(address.deviceId, state);
    }
    return state;
  }

  private isOnline(accountId: string): boolean {
    for (const state of this.accounts.get(accountId)?.values() ?? []) if (state.connections.size > 0) return true;
    return false;
  }

  async connected(address: DeviceAddress, connectionId: string, now: number): Promise<boolean> {
    const wasOnline = this.isOnline(address.accountId);
    const state = this.state(address, now);
    state.connections.add(connectionId);
    state.lastSeenAt = Math.max(state.lastSeenAt, now);
    return !wasOnline;
  }

  async seen(address: DeviceAddress, connectionId: string, now: number): Promise<void> {
    // A connection it does not know leaves no trace (not even a "last seen").
    const state = this.accounts.get(address.accountId)?.get(address.deviceId);
    if (state?.connections.has(connectionId) === true) state.lastSeenAt = Math.max(state.lastSeenAt, now);
  }

  async disconnected(address: DeviceAddress, connectionId: string, now: number): Promise<boolean> {
    const state = this.state(address, now);
    // Only a connection this tracker knew can end the account's online state.
    const known = state.connections.delete(connectionId);
    state.lastSeenAt = Math.max(state.lastSeenAt, now);
    return known && !this.isOnline(address.accountId);
  }

  async get(accountId: string): Promise<AccountPresence> {
    const devices = this.accounts.get(accountId);
    if (devices === undefined) return { online: false, lastSeenAt: null };
    let online = false;
    let lastSeenAt: number | null = null;
    for (const state of devices.values()) {
      if (state.connections.size > 0) online = true;
      lastSeenAt = lastSeenAt === null ? state.lastSeenAt : Math.max(lastSeenAt, state.lastSeenAt);
    }
    return { online, lastSeenAt };
  }

  async lastSeen(address: DeviceAddress): Promise<number | null> {
    return this.accounts.get(address.accountId)?.get(address.deviceId)?.lastSeenAt ?? null;
  }

  async connectionCount(): Promise<number> {
    let count = 0;
    for (const devices of this.accounts.values()) for (const state of devices.values()) count += state.connections.size;
    return count;
  }
}
