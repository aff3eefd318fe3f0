/**
 * What the PQXDH responder needs from the device's key storage (PQXDH §3.4 "Receiving the initial
 * message"): its private prekeys by id, and a record of initial messages already accepted on the
 * last-resort KEM prekey so a replay can be refused (PQXDH §4.2 "Replay attacks": a last-resort
 * key is reused, so the responder must remember what it accepted).
 *
 * Methods may be synchronous or return promises. One-time keys are never deleted through this
 * interface: the responder reports them (ConsumedPrekeys) and the caller deletes them once the
 * message decrypted, in the same transaction that saves the session.
 */
import type { MaybePromise, X25519KeyPair } from './types.js';

/** The private half of an ML-KEM-1024 prekey, as the responder needs it. */
export interface KemPrekeyPrivate {
  /** FIPS 203 decapsulation key, 3168 bytes. */
  readonly secretKey: Uint8Array;
  /** True for the device's last-resort key (reused until rotated), false for a one-time key. */
  readonly lastResort: boolean;
}

export interface PqxdhPrekeyStore {
  loadSignedPrekey(keyId: number): MaybePromise<X25519KeyPair | undefined>;
  loadOneTimePrekey(keyId: number): MaybePromise<X25519KeyPair | undefined>;
  loadKemPrekey(keyId: number): MaybePromise<KemPrekeyPrivate | undefined>;
  /** True when (KEM prekey id, digest) was recorded before. */
  hasAcceptedLastResortMessage(kemPrekeyId: number, digest: Uint8Array): MaybePromise<boolean>;
  /** Remembers (KEM prekey id, digest); records may be dropped when that last-resort key is retired. */
  recordLastResortMessage(kemPrekeyId: number, digest: Uint8Array): MaybePromise<void>;
}

/** The one-time prekeys a successful handshake used up: the caller must delete them. */
export interface ConsumedPrekeys {
  readonly oneTimePrekeyId?: number;
  /** Set only for a one-time KEM prekey (a last-resort key stays). */
  readonly oneTimeKemPrekeyId?: number;
}
