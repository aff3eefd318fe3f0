/**
 * Plain records passed across the storage interfaces. Keys and signed structures are stored as
 * the exact bytes clients uploaded (clients re-verify them); the relay never interprets payloads.
 * Times are milliseconds since the Unix epoch, supplied by the caller (services own the clock).
 */

/** One device of one account: the unit that owns a queue and prekey pools. */
export interface DeviceAddress {
  readonly accountId: string;
  readonly deviceId: number;
}

export interface AccountRecord {
  readonly accountId: string;
  /** The encoded (typed) Ed25519 account key. */
  readonly accountKey: Uint8Array;
  /** The username as registered (display case); null when the account has none. */
  readonly username: string | null;
  readonly createdAt: number;
}

export interface DeviceListRecord {
  readonly accountId: string;
  readonly version: number;
  /** The signed device list exactly as the account uploaded it. */
  readonly bytes: Uint8Array;
  readonly updatedAt: number;
}

/** A device as listed on its account's signed device list. */
export interface DeviceKeys {
  readonly deviceId: number;
  /** Raw Ed25519 device signing key (verifies prekeys and auth challenges). */
  readonly signingKey: Uint8Array;
  /** Raw X25519 device identity key. */
  readonly identityKey: Uint8Array;
}

export interface DeviceRecord extends DeviceKeys {
  readonly accountId: string;
  /** Device-list version in which this device (with these keys) first appeared. */
  readonly addedInVersion: number;
  readonly createdAt: number;
  readonly lastSeenAt: number | null;
}

export interface NewAccount {
  readonly accountId: string;
  readonly accountKey: Uint8Array;
  readonly username: string | null;
  readonly deviceList: { readonly version: number; readonly bytes: Uint8Array };
  readonly devices: readonly DeviceKeys[];
  readonly createdAt: number;
}

/** What a device-list replacement changed, so services can close connections and notify. */
export interface DeviceListChange {
  readonly added: readonly number[];
  /** Devices no longer listed: their queues and prekeys are gone. */
  readonly removed: readonly number[];
  /** Devices whose id stayed but whose keys changed: treated as new (queue and prekeys dropped). */
  readonly replaced: readonly number[];
}

/** A public prekey as uploaded (signed ones include their signature inside `bytes`). */
export interface StoredPrekey {
  readonly keyId: number;
  readonly bytes: Uint8Array;
}

export interface PrekeyUpload {
  /** Replaces the device's signed X25519 prekey. */
  readonly signedPrekey?: StoredPrekey | undefined;
  /** Replaces the device's signed last-resort ML-KEM-1024 prekey. */
  readonly lastResortKem?: StoredPrekey | undefined;
  /** Added to the one-time X25519 pool (same key id replaces). */
  readonly oneTimeX25519: readonly StoredPrekey[];
  /** Added to the signed one-time ML-KEM pool (same key id replaces). */
  readonly oneTimeKem: readonly StoredPrekey[];
}

export interface PrekeyCounts {
  readonly oneTimeX25519: number;
  readonly oneTimeKem: number;
  readonly signedPrekey: boolean;
  readonly lastResortKem: boolean;
}

/** One device's bundle after a fetch took its one-time keys. */
export interface DeviceBundle {
  readonly deviceId: number;
  readonly signedPrekey: StoredPrekey | null;
  readonly oneTimeX25519: StoredPrekey | null;
  /** A one-time ML-KEM prekey, or the last-resort one when the pool is empty. */
  readonly kemPrekey: StoredPrekey | null;
  readonly kemLastResort: boolean;
  /** Pool counts after this fetch (to tell the owner when it runs low). */
  readonly remaining: PrekeyCounts;
}

/** One ciphertext copy of a send, for one device. */
export interface EnvelopeCopy {
  readonly to: DeviceAddress;
  readonly ciphertext: Uint8Array;
  /** True for the recipient account's devices: acking it sends `delivered` to the sender. */
  readonly notifySender: boolean;
}

export interface SendRequest {
  readonly messageId: string;
  readonly sender: DeviceAddress;
  readonly clientId: string;
  readonly recipientAccountId: string;
  readonly copies: readonly EnvelopeCopy[];
  readonly createdAt: number;
  readonly expiresAt: number;
  /** Until when the send is remembered for dedup and read routing. */
  readonly retainUntil: number;
  readonly maxQueueMessages: number;
  readonly maxQueueBytes: number;
}

export interface SendResult {
  readonly messageId: string;
  readonly sentAt: number;
  readonly expiresAt: number;
  /** Copies stored by the original send. */
  readonly stored: number;
  /** True when the client id was seen before: nothing new was stored. */
  readonly duplicate: boolean;
  /** The entries this send queued, one per copy (none for a duplicate). */
  readonly queued: readonly QueuedEntry[];
}

export type QueueEntryKind = 'message' | 'receipt' | 'expired';

/** A relay-made notice (receipt or expiry report) queued for one device like a message. */
export interface Notice {
  readonly to: DeviceAddress;
  readonly kind: Exclude<QueueEntryKind, 'message'>;
  /** JSON bytes of the notice body; opaque to storage. */
  readonly payload: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

export interface QueueEntry {
  readonly seq: number;
  readonly kind: QueueEntryKind;
  readonly messageId: string | null;
  readonly sender: DeviceAddress | null;
  readonly payload: Uint8Array;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * An entry a write has just queued, and the device whose queue holds it. Writes hand these back
 * so the relay can deliver a new entry to a connected device straight from memory, once the write
 * is durable, instead of reading back what it has just written (ws/device-connection.ts).
 */
export interface QueuedEntry {
  readonly to: DeviceAddress;
  readonly entry: QueueEntry;
}

/** A queue entry removed by an ack, with what is needed to send `delivered`. */
export interface AckedEntry {
  readonly seq: number;
  readonly kind: QueueEntryKind;
  readonly messageId: string | null;
  readonly sender: DeviceAddress | null;
  readonly notifySender: boolean;
  /** When the entry was queued (for the delivery-delay metric). */
  readonly createdAt: number;
}

/** A message copy that expired undelivered. */
export interface ExpiredCopy {
  readonly messageId: string;
  readonly sender: DeviceAddress;
  readonly to: DeviceAddress;
}

export interface SendRecord {
  readonly messageId: string;
  readonly sender: DeviceAddress;
  readonly recipientAccountId: string;
  readonly createdAt: number;
}

export interface QueueStats {
  readonly count: number;
  readonly bytes: number;
}

/** Queue depths over all devices (metrics): totals and the deepest single queue. */
export interface QueueSummary extends QueueStats {
  /** Devices with at least one entry waiting. */
  readonly devices: number;
  /** Entries and bytes of the fullest device queue. */
  readonly maxCount: number;
  readonly maxBytes: number;
}
