/**
 * The shapes of the records the store keeps (each sealed as JSON; binary fields are unpadded
 * base64url strings). Plain data only: the session layer gives them meaning.
 */

/** This device's identity: who we are, where we register, our private keys. */
export interface IdentityRecord {
  readonly relayUrl: string;
  readonly accountId: string;
  readonly username: string | null;
  readonly deviceId: number;
  readonly deviceName: string;
  /** Raw Ed25519 account public key. */
  readonly accountPublicKey: string;
  /** Encoded account secret (only devices that may sign device lists hold it). */
  readonly accountSecret: string | null;
  /** Encoded device key pairs (signing and identity DH). */
  readonly deviceKeys: string;
  /** Our encoded device certificate. */
  readonly deviceCertificate: string;
  /** Our latest signed device list (encoded) and its version. */
  readonly deviceList: string;
  readonly deviceListVersion: number;
  readonly createdAt: number;
}

/**
 * Kinds of private prekey halves kept until a peer used them: the signed X25519 prekey, one-time
 * X25519 prekeys, and ML-KEM-1024 prekeys (one-time and last-resort share one id space, since a
 * PQXDH initial message names its KEM key by id alone).
 */
export type PrekeyKind = 'signed' | 'one-time' | 'kem';

export interface PrekeyRecord {
  readonly kind: PrekeyKind;
  readonly keyId: number;
  /** Encoded secret (crypto's prekey secret encodings), base64url. */
  readonly secret: string;
  /** Only for 'kem': the last-resort key (reused until rotated). */
  readonly lastResort: boolean;
  readonly createdAt: number;
}

export type PresenceAllowance = 'allowed' | 'denied';

export interface ContactRecord {
  readonly accountId: string;
  readonly username: string | null;
  readonly alias: string | null;
  /** Raw Ed25519 account key pinned on first use (TOFU), base64url. */
  readonly pinnedAccountKey: string;
  /** True after `verify --confirm` on the pinned key. */
  readonly verified: boolean;
  /**
   * Set when the contact's username now leads to a different account (a new identity key) than
   * the pinned one: that account's id and raw key, waiting for `verify --confirm`. Sending is
   * refused while it is set.
   */
  readonly pendingAccountId: string | null;
  readonly pendingAccountKey: string | null;
  /** The latest device list accepted for this contact (encoded) and its version. */
  readonly deviceList: string | null;
  readonly deviceListVersion: number;
  readonly presence: PresenceAllowance;
  readonly addedAt: number;
}

export type MessageDirection = 'in' | 'out';
export type DeliveryState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed';

export interface DeviceDelivery {
  readonly accountId: string;
  readonly deviceId: number;
  readonly state: DeliveryState;
  /** When the state was reached, ms since the epoch. */
  readonly at: number;
}

/** What a file message carries (docs/cli.md "Files"). */
export interface FileAttachment {
  /** The encoded media pointer (relay media id, file key, digest, sizes), base64url. */
  readonly pointer: string;
  /** The name to show and to save under: the sender's suggestion made safe (session/file-names.ts). */
  readonly name: string;
  /** The sender's MIME type (RFC 6838), only shown: never used to open the file. */
  readonly contentType: string;
  /** Plaintext bytes. */
  readonly size: number;
}

export interface MessageRecord {
  /** The sender's id for the message (unique per sender). */
  readonly id: string;
  /** The relay's id of the send (receipts name it); null until the relay acknowledged it. */
  readonly relayId: string | null;
  readonly direction: MessageDirection;
  /** The other party's account id (the conversation). */
  readonly peer: string;
  readonly body: string;
  /** The sender's timestamp. */
  readonly sentAt: number;
  /** When this device stored it. */
  readonly storedAt: number;
  /** The sending device (ours for 'out', theirs for 'in'). */
  readonly senderDevice: number;
  /** Outgoing: per recipient device. Incoming: empty. */
  readonly deliveries: readonly DeviceDelivery[];
  /** Incoming: when it was shown to the user; null while unread. */
  readonly readAt: number | null;
  /** Set on file messages (whose `body` is empty). */
  readonly file?: FileAttachment;
}

export interface SettingsRecord {
  readonly readReceipts: boolean;
}

export const DEFAULT_SETTINGS: SettingsRecord = { readReceipts: true };
