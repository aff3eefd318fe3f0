/**
 * MessageBus: cross-connection signalling between the relay's services and the WebSocket
 * connections of devices (DESIGN.md §1). One channel per device. The in-process bus serves one
 * relay; a Redis implementation (PUBLISH/SUBSCRIBE) would let several relays behind one load
 * balancer reach each other's connections. Events carry no payloads that must survive: anything
 * durable is in storage, and a lost `queued` event is repaired by the next one or a reconnect.
 * A `queued` event may carry the entry itself, already durable, so the device's connection can
 * deliver it without reading it back; a bus that cannot carry it (across processes) drops the
 * field and the connection reads the queue instead.
 * Contract: relay/test/support/message-bus-contract.ts.
 */
import type { DeviceAddress, QueueEntry } from '../storage/records.js';

export type BusEvent =
  /** New entries are in the device's queue: pump them. `entry`, when given, is one of them (durable). */
  | { readonly type: 'queued'; readonly entry?: QueueEntry }
  /** An online-only envelope: deliver now if connected, else drop. `frame` is the JSON text. */
  | { readonly type: 'online-only'; readonly frame: string }
  /**
   * A connection for this device opened; connections older than it close (4009). Age is
   * (openedAt, sequence, connectionId) compared in that order, so two connections opening at
   * once agree on which one survives.
   */
  | { readonly type: 'connected'; readonly connectionId: string; readonly openedAt: number; readonly sequence: number }
  /** The device left its account device list or was hidden: close its connections (4003). */
  | { readonly type: 'device-removed' }
  /** The device's one-time prekey pools are low. */
  | { readonly type: 'prekeys-low'; readonly oneTimeX25519: number; readonly oneTimeKem: number }
  /** An account that lets this device's account see its presence went online or offline. */
  | { readonly type: 'presence'; readonly accountId: string; readonly online: boolean; readonly lastSeen: number };

export type BusHandler = (event: BusEvent) => void;

export interface BusSubscription {
  unsubscribe(): Promise<void>;
}

export interface MessageBus {
  /** Publishes to every subscriber of the device's channel; resolves to how many were reached. */
  publish(address: DeviceAddress, event: BusEvent): Promise<number>;
  subscribe(address: DeviceAddress, handler: BusHandler): Promise<BusSubscription>;
  close(): Promise<void>;
}

export function channelOf(address: DeviceAddress): string {
  return `${address.accountId}/${address.deviceId}`;
}
