/**
 * Plain input types for PQXDH (signal.org/docs/specifications/pqxdh §3): the verified prekey
 * bundle an initiator consumes, the local device's identity DH key, and device addresses.
 * Signature checks happen before a {@link VerifiedPrekeyBundle} is built; PQXDH only does the
 * key agreement (§3.3 "Alice verifies the prekey signatures ... before she computes").
 */

/** A value a store may return directly or through a promise (in-memory or persisted stores). */
export type MaybePromise<T> = T | Promise<T>;

/** Raw X25519 key pair (RFC 7748): 32-byte public and secret keys. */
export interface X25519KeyPair {
  readonly publicKey: Uint8Array;
  readonly secretKey: Uint8Array;
}

/** One device: an account id (UTF-8, 1..255 bytes) and a u32 device id. */
export interface DeviceAddress {
  readonly accountId: string;
  readonly deviceId: number;
}

/** The local device taking part in PQXDH: its address and its X25519 identity DH key (IK). */
export interface LocalDeviceIdentity extends DeviceAddress {
  readonly identityDhKeyPair: X25519KeyPair;
}

/** A prekey bundle whose signatures (and device certificate) the caller has already verified. */
export interface VerifiedPrekeyBundle {
  accountId: string;
  deviceId: number;
  /** Raw X25519 32 bytes (IK_B), certified by the account key. */
  identityDhKey: Uint8Array;
  /** X25519 signed prekey (SPK_B). */
  signedPrekey: { keyId: number; publicKey: Uint8Array };
  /** X25519 one-time prekey (OPK_B), when the relay still had one. */
  oneTimePrekey?: { keyId: number; publicKey: Uint8Array };
  /** ML-KEM-1024 prekey (PQPK_B): one-time, or the last-resort key when the pool is empty. */
  kemPrekey: { keyId: number; publicKey: Uint8Array; lastResort: boolean };
}
