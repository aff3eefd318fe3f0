/**
 * This device's prekeys (DESIGN.md §2; PQXDH §2.3): creating and uploading them, keeping the
 * relay's one-time pools filled (NOTES.md: running out of one-time keys is a top cause of
 * "unable to decrypt"), rotating the signed X25519 prekey and the last-resort ML-KEM prekey, and
 * the private-key lookups the PQXDH responder needs.
 *
 * Private halves are written to the store before the public halves are uploaded, so the relay
 * never hands out a key this device cannot use. Retired signed and last-resort keys are kept for
 * a grace period, because a peer may still be sending prekey messages built on them.
 */
import {
  createLastResortKemPrekey,
  createOneTimePrekeys,
  createSignedKemPrekeys,
  createSignedX25519Prekey,
  decodeKemPrekeySecret,
  decodeOneTimePrekeySecret,
  decodeSignedPrekeySecret,
  encodeKemPrekeySecret,
  encodeOneTimePrekeySecret,
  encodeSignedPrekeySecret,
  type CryptoSuite,
  type PqxdhPrekeyStore,
} from '@sealpost/crypto';
import type { PrekeyCountsResponse, PrekeyUpload } from '@sealpost/relay/api';
import type { PrekeyRecord } from '../store/records.js';
import type { SealedStore } from '../store/sealed-store.js';
import type { RelayHttp } from '../transport/relay-http.js';
import { fromB64, toB64 } from './encoding.js';
import type { LocalDevice } from './local-device.js';

/** One-time keys of each kind the relay should hold for this device. */
export const PREKEY_POOL_TARGET = 50;
/** A signed X25519 prekey (and the last-resort KEM prekey) older than this is replaced. */
export const SIGNED_PREKEY_ROTATION_MS = 7 * 24 * 3600 * 1000;
/** A replaced signed or last-resort key stays usable this long for messages already on their way. */
export const RETIRED_PREKEY_GRACE_MS = 30 * 24 * 3600 * 1000;

export interface PrekeyNeeds {
  readonly oneTimeX25519: number;
  readonly oneTimeKem: number;
  readonly signedPrekey: boolean;
  readonly lastResortKem: boolean;
}

function newest(records: readonly PrekeyRecord[]): PrekeyRecord | undefined {
  return records.reduce<PrekeyRecord | undefined>((best, r) => (best === undefined || r.createdAt > best.createdAt ? r : best), undefined);
}

/** What to upload, from the relay's counts and the age of our current signed keys. */
export function prekeyNeeds(store: SealedStore, counts: PrekeyCountsResponse | undefined, now: number): PrekeyNeeds {
  const signed = newest(store.prekeys.list('signed'));
  const lastResort = newest(store.prekeys.list('kem').filter((r) => r.lastResort));
  const stale = (r: PrekeyRecord | undefined): boolean => r === undefined || now - r.createdAt >= SIGNED_PREKEY_ROTATION_MS;
  return {
    oneTimeX25519: Math.max(0, PREKEY_POOL_TARGET - (counts?.oneTimeX25519 ?? 0)),
    oneTimeKem: Math.max(0, PREKEY_POOL_TARGET - (counts?.oneTimeKem ?? 0)),
    signedPrekey: counts?.signedPrekey !== true || stale(signed),
    lastResortKem: counts?.lastResortKem !== true || stale(lastResort),
  };
}

export function nothingNeeded(needs: PrekeyNeeds): boolean {
  return needs.oneTimeX25519 === 0 && needs.oneTimeKem === 0 && !needs.signedPrekey && !needs.lastResortKem;
}

/** Creates the keys `needs` asks for, stores their private halves, returns the upload body. */
export function createPrekeys(suite: CryptoSuite, store: SealedStore, device: LocalDevice, needs: PrekeyNeeds, now: number): PrekeyUpload {
  return store.transaction(() => {
    const upload: { -readonly [K in keyof PrekeyUpload]: PrekeyUpload[K] } = {};
    const keep = (record: Omit<PrekeyRecord, 'createdAt'>): void => store.prekeys.put({ ...record, createdAt: now });
    if (needs.signedPrekey) {
      const created = createSignedX25519Prekey(suite, device.keys, store.prekeys.allocateIds('signed', 1));
      keep({ kind: 'signed', keyId: created.secret.keyId, secret: toB64(encodeSignedPrekeySecret(created.secret)), lastResort: false });
      upload.signedPrekey = toB64(created.upload);
    }
    if (needs.lastResortKem) {
      const created = createLastResortKemPrekey(suite, device.keys, store.prekeys.allocateIds('kem', 1));
      keep({ kind: 'kem', keyId: created.secret.keyId, secret: toB64(encodeKemPrekeySecret(created.secret)), lastResort: true });
      upload.lastResortKem = toB64(created.upload);
    }
    if (needs.oneTimeX25519 > 0) {
      const created = createOneTimePrekeys(suite, store.prekeys.allocateIds('one-time', needs.oneTimeX25519), needs.oneTimeX25519);
      for (const key of created) keep({ kind: 'one-time', keyId: key.secret.keyId, secret: toB64(encodeOneTimePrekeySecret(key.secret)), lastResort: false });
      upload.oneTimeX25519 = created.map((key) => toB64(key.upload));
    }
    if (needs.oneTimeKem > 0) {
      const created = createSignedKemPrekeys(suite, device.keys, store.prekeys.allocateIds('kem', needs.oneTimeKem), needs.oneTimeKem);
      for (const key of created) keep({ kind: 'kem', keyId: key.secret.keyId, secret: toB64(encodeKemPrekeySecret(key.secret)), lastResort: false });
      upload.oneTimeKem = created.map((key) => toB64(key.upload));
    }
    return upload;
  });
}

/** Deletes signed and last-resort keys replaced more than the grace period ago. */
export function pruneRetiredPrekeys(store: SealedStore, now: number): number {
  return store.transaction(() => {
    let removed = 0;
    const retire = (records: PrekeyRecord[], kind: PrekeyRecord['kind']): void => {
      const current = newest(records);
      for (const record of records) {
        // A key is retired when a newer one exists; it goes once the newer one is older than the grace period.
        if (record === current || current === undefined || now - current.createdAt < RETIRED_PREKEY_GRACE_MS) continue;
        store.prekeys.delete(kind, record.keyId);
        if (kind === 'kem') store.replays.dropKey(record.keyId);
        removed++;
      }
    };
    retire(store.prekeys.list('signed'), 'signed');
    retire(store.prekeys.list('kem').filter((r) => r.lastResort), 'kem');
    return removed;
  });
}

/**
 * Brings the relay's pools and signed keys up to date; returns the counts the relay reports
 * afterwards. Cheap when nothing is needed (one GET).
 */
export async function maintainPrekeys(suite: CryptoSuite, store: SealedStore, http: RelayHttp, device: LocalDevice, now: number): Promise<PrekeyCountsResponse> {
  const counts = await http.prekeyCounts();
  const needs = prekeyNeeds(store, counts, now);
  pruneRetiredPrekeys(store, now);
  if (nothingNeeded(needs)) return counts;
  // In this process's transaction queue, so it never joins an inbox transaction that rolls back.
  const upload = await store.transactionAsync(async () => createPrekeys(suite, store, device, needs, now));
  return http.uploadPrekeys(upload);
}

/** The responder's view of our private prekeys and last-resort replay records (crypto's interface). */
export function pqxdhPrekeyStore(suite: CryptoSuite, store: SealedStore): PqxdhPrekeyStore {
  return {
    loadSignedPrekey: (keyId) => {
      const record = store.prekeys.get('signed', keyId);
      if (record === undefined) return undefined;
      const secret = decodeSignedPrekeySecret(suite, fromB64(record.secret));
      return { publicKey: secret.publicKey, secretKey: secret.secretKey };
    },
    loadOneTimePrekey: (keyId) => {
      const record = store.prekeys.get('one-time', keyId);
      if (record === undefined) return undefined;
      const secret = decodeOneTimePrekeySecret(suite, fromB64(record.secret));
      return { publicKey: secret.publicKey, secretKey: secret.secretKey };
    },
    loadKemPrekey: (keyId) => {
      const record = store.prekeys.get('kem', keyId);
      if (record === undefined) return undefined;
      const secret = decodeKemPrekeySecret(suite, fromB64(record.secret));
      return { secretKey: secret.secretKey, lastResort: secret.lastResort };
    },
    hasAcceptedLastResortMessage: (keyId, digest) => store.replays.has(keyId, digest),
    recordLastResortMessage: (keyId, digest) => store.replays.record(keyId, digest),
  };
}
