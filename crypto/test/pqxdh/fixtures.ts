/**
 * Test devices for PQXDH and session tests: identity DH key, signed prekey, one-time X25519 and
 * ML-KEM prekeys, a last-resort KEM prekey, an in-memory {@link PqxdhPrekeyStore} and bundles.
 */
import type { CryptoSuite } from '../../src/primitives/index.js';
import { toHex } from '../../src/primitives/bytes.js';
import type { ConsumedPrekeys, KemPrekeyPrivate, PqxdhPrekeyStore } from '../../src/pqxdh/prekey-store.js';
import type { LocalDeviceIdentity, VerifiedPrekeyBundle, X25519KeyPair } from '../../src/pqxdh/types.js';

export function x25519KeyPair(suite: CryptoSuite): X25519KeyPair {
  const secretKey = suite.randomBytes(32);
  return { publicKey: suite.x25519PublicKey(secretKey), secretKey };
}

interface KemPrekey extends KemPrekeyPrivate {
  readonly publicKey: Uint8Array;
}

export class MemoryPrekeyStore implements PqxdhPrekeyStore {
  readonly signed = new Map<number, X25519KeyPair>();
  readonly oneTime = new Map<number, X25519KeyPair>();
  readonly kem = new Map<number, KemPrekey>();
  readonly accepted = new Set<string>();
  /** One-time key ids already handed out in a bundle (the relay removes each on fetch). */
  readonly issued = new Set<string>();

  loadSignedPrekey(keyId: number): X25519KeyPair | undefined {
    return this.signed.get(keyId);
  }

  loadOneTimePrekey(keyId: number): X25519KeyPair | undefined {
    return this.oneTime.get(keyId);
  }

  async loadKemPrekey(keyId: number): Promise<KemPrekeyPrivate | undefined> {
    // Async on purpose: the protocol must work with promise-returning stores too.
    return this.kem.get(keyId);
  }

  hasAcceptedLastResortMessage(kemPrekeyId: number, digest: Uint8Array): boolean {
    return this.accepted.has(`${kemPrekeyId}:${toHex(digest)}`);
  }

  async recordLastResortMessage(kemPrekeyId: number, digest: Uint8Array): Promise<void> {
    this.accepted.add(`${kemPrekeyId}:${toHex(digest)}`);
  }

  /** What a caller does with ConsumedPrekeys after saving the session. */
  deleteConsumed(consumed: ConsumedPrekeys): void {
    if (consumed.oneTimePrekeyId !== undefined) this.oneTime.delete(consumed.oneTimePrekeyId);
    if (consumed.oneTimeKemPrekeyId !== undefined) this.kem.delete(consumed.oneTimeKemPrekeyId);
  }

  /** A fingerprint of everything stored, to assert that a failed call changed nothing. */
  snapshot(): string {
    return JSON.stringify([[...this.signed.keys()], [...this.oneTime.keys()], [...this.kem.keys()], [...this.accepted].sort()]);
  }
}

export interface TestDevice {
  readonly identity: LocalDeviceIdentity;
  readonly store: MemoryPrekeyStore;
  readonly signedPrekeyId: number;
  readonly lastResortKemId: number;
}

export const SIGNED_PREKEY_ID = 7;
export const LAST_RESORT_KEM_ID = 900;

/** A device with a signed prekey (id 7), one-time X25519 keys 100.., one-time KEM keys 500.. (8 of each by default) and a last-resort KEM key (900). */
export function createTestDevice(suite: CryptoSuite, accountId: string, deviceId: number, counts: { oneTime?: number; oneTimeKem?: number } = {}): TestDevice {
  const store = new MemoryPrekeyStore();
  store.signed.set(SIGNED_PREKEY_ID, x25519KeyPair(suite));
  for (let i = 0; i < (counts.oneTime ?? 8); i++) store.oneTime.set(100 + i, x25519KeyPair(suite));
  const kemPair = (lastResort: boolean): KemPrekey => ({ ...suite.mlkem1024KeyPair(suite.randomBytes(64)), lastResort });
  for (let i = 0; i < (counts.oneTimeKem ?? 8); i++) store.kem.set(500 + i, kemPair(false));
  store.kem.set(LAST_RESORT_KEM_ID, kemPair(true));
  return {
    identity: { accountId, deviceId, identityDhKeyPair: x25519KeyPair(suite) },
    store,
    signedPrekeyId: SIGNED_PREKEY_ID,
    lastResortKemId: LAST_RESORT_KEM_ID,
  };
}

/**
 * The bundle the relay would hand out: one-time keys not handed out before (if wanted and left),
 * else the last-resort KEM key. Like the relay, it never hands out a one-time key twice; the
 * device deletes its private half once a message used it.
 */
export function bundleFor(device: TestDevice, options: { oneTime?: boolean; oneTimeKem?: boolean } = {}): VerifiedPrekeyBundle {
  const { store, identity } = device;
  const spk = store.signed.get(device.signedPrekeyId) as X25519KeyPair;
  const bundle: VerifiedPrekeyBundle = {
    accountId: identity.accountId,
    deviceId: identity.deviceId,
    identityDhKey: identity.identityDhKeyPair.publicKey,
    signedPrekey: { keyId: device.signedPrekeyId, publicKey: spk.publicKey },
    kemPrekey: { keyId: device.lastResortKemId, publicKey: (store.kem.get(device.lastResortKemId) as KemPrekey).publicKey, lastResort: true },
  };
  if (options.oneTime ?? true) {
    const first = [...store.oneTime.entries()].find(([id]) => !store.issued.has(`x${id}`));
    if (first !== undefined) {
      store.issued.add(`x${first[0]}`);
      bundle.oneTimePrekey = { keyId: first[0], publicKey: first[1].publicKey };
    }
  }
  if (options.oneTimeKem ?? true) {
    const first = [...store.kem.entries()].find(([id, k]) => !k.lastResort && !store.issued.has(`k${id}`));
    if (first !== undefined) {
      store.issued.add(`k${first[0]}`);
      bundle.kemPrekey = { keyId: first[0], publicKey: first[1].publicKey, lastResort: false };
    }
  }
  return bundle;
}

export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const index = Math.floor(bit / 8);
  out[index] = (out[index] as number) ^ (1 << (bit % 8));
  return out;
}

/** The CryptoError code a promise or function failed with, or 'ok'. */
export async function codeOf(run: () => unknown): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : `non-crypto error: ${String(error)}`;
  }
}
