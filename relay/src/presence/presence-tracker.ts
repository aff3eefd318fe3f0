/**
 * PresenceTracker: which devices have a live connection now, and when each was last seen
 * (connection, heartbeat pong, disconnect). In memory for one relay; a Redis implementation with
 * expiring keys would share it across relays. Who may *see* presence is decided by the presence
 * service from the owner's allow-list, not here.
 * Contract: relay/test/support/presence-tracker-contract.ts.
 */
import type { DeviceAddress } from '../storage/records.js';

export interface AccountPresence {
  readonly online: boolean;
  /** Latest time any device of the account was seen; null when never (since start). */
  readonly lastSeenAt: number | null;
}

export interface PresenceTracker {
  connected(address: DeviceAddress, connectionId: string, now: number): Promise<void>;
  /** A heartbeat or frame from the connection. */
  seen(address: DeviceAddress, connectionId: string, now: number): Promise<void>;
  disconnected(address: DeviceAddress, connectionId: string, now: number): Promise<void>;
  get(accountId: string): Promise<AccountPresence>;
  /** Number of live connections (metrics). */
  connectionCount(): Promise<number>;
}
