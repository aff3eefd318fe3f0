/**
 * MediaStore: the relay's records of media objects (never their contents). A record is created
 * `pending` when an upload is granted, becomes `stored` once the backend holds an object of the
 * declared size, and `deleted` when its uploader deletes it; the sweeper then removes the object
 * and the record. Every call is async so a networked store can implement it. Implementations:
 * ./sqlite/sqlite-media-store.ts (the relay's, sharing its group commit) and
 * ./memory/in-memory-media-store.ts. Contract: relay/test/support/media-store-contract.ts.
 */

export type MediaState = 'pending' | 'stored' | 'deleted';

export interface MediaRecord {
  /** 32 random bytes, unpadded base64url: unguessable, so holding it is the right to download. */
  readonly mediaId: string;
  /** Account id of the uploader. */
  readonly owner: string;
  /** Ciphertext bytes the uploader declared (what the quota counts). */
  readonly declaredSize: number;
  readonly state: MediaState;
  readonly createdAt: number;
  /** A pending record not completed by then is swept. */
  readonly pendingUntil: number;
  /** The media expires (and is swept) at this time. */
  readonly expiresAt: number;
  readonly storedAt: number | null;
}

/** What counts against an account at time `now`: live pending and stored records. */
export interface MediaUsage {
  readonly bytes: number;
  readonly objects: number;
  readonly pending: number;
}

export interface MediaLimits {
  readonly maxBytes: number;
  readonly maxObjects: number;
  readonly maxPending: number;
}

export type InsertOutcome = 'inserted' | 'quota-bytes' | 'quota-objects' | 'too-many-pending';

/** A record is live (counts and can be used) while not deleted and not past its deadline. */
export function isLive(record: MediaRecord, now: number): boolean {
  if (record.state === 'pending') return record.pendingUntil > now;
  if (record.state === 'stored') return record.expiresAt > now;
  return false;
}

/** When the sweeper may remove a record: at once when deleted, else at its deadline. */
export function sweepAt(record: Pick<MediaRecord, 'state' | 'pendingUntil' | 'expiresAt'>): number {
  if (record.state === 'pending') return record.pendingUntil;
  if (record.state === 'stored') return record.expiresAt;
  return 0;
}

export interface MediaStore {
  /**
   * Inserts a pending record unless the owner's live usage plus this record would exceed a
   * limit — checked and inserted atomically, so concurrent uploads cannot overrun the quota.
   */
  insertWithinLimits(record: MediaRecord, limits: MediaLimits, now: number): Promise<InsertOutcome>;
  get(mediaId: string): Promise<MediaRecord | undefined>;
  usage(owner: string, now: number): Promise<MediaUsage>;
  /** pending → stored; false when the record is not pending (or missing). */
  markStored(mediaId: string, storedAt: number): Promise<boolean>;
  /** pending or stored → deleted; false when already deleted or missing. */
  markDeleted(mediaId: string): Promise<boolean>;
  /** Every pending or stored record of `owner` → deleted (account deletion); resolves to how many. */
  markOwnerDeleted(owner: string): Promise<number>;
  /** Up to `limit` records the sweeper may remove at `now` (deleted, or past their deadline), oldest first. */
  listSweepable(now: number, limit: number): Promise<MediaRecord[]>;
  /** Forgets a record, but only if it is still sweepable at `now` (a record revived meanwhile stays). */
  remove(mediaId: string, now: number): Promise<boolean>;
}
