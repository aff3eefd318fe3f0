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
  /**
   * Records a live connection. True when it made the account go online (no device of it had a
   * connection before), so exactly one caller announces each transition; decided inside the
   * tracker so that a shared implementation stays right with several relays.
   */
  connected(address: DeviceAddress, connectionId: string, now: number): Promise<boolean>;
  /** A heartbeat or frame from the connection. */
  seen(address: DeviceAddress, connectionId: string, now: number): Promise<void>;
  /** Records a closed connection. True when it was the account's last one (it went offline). */
  disconnected(address: DeviceAddress, connectionId: string, now: number): Promise<boolean>;
  get(accountId: string): Promise<AccountPresence>;
  /** When this device was last seen (connection, heartbeat, disconnect); null when never (since start). */
  lastSeen(address: DeviceAddress): Promise<number | null>;
  /** Number of live connections (metrics). */
  connectionCount(): Promise<number>;
}
