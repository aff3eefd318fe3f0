/**
 * The MediaStore contract, run against every implementation: state changes, limits checked
 * atomically against live usage, account deletion, and which records the sweeper sees.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MediaLimits, MediaRecord, MediaStore } from '../../src/storage/media-store.js';

export interface MediaStoreHarness {
  readonly store: MediaStore;
  close(): Promise<void> | void;
}

/** A fresh id in the service's format (43 base64url characters). */
const mediaIdForTest = () => randomBytes(32).toString('base64url');

const NOW = 1_700_000_000_000;
const LIMITS: MediaLimits = { maxBytes: 1000, maxObjects: 5, maxPending: 3 };

export function pending(owner: string, size: number, overrides: Partial<MediaRecord> = {}): MediaRecord {
  return { mediaId: mediaIdForTest(), owner, declaredSize: size, state: 'pending', createdAt: NOW, pendingUntil: NOW + 3_600_000, expiresAt: NOW + 86_400_000, storedAt: null, ...overrides };
}

export function runMediaStoreContract(name: string, open: () => MediaStoreHarness | Promise<MediaStoreHarness>): void {
  describe(`MediaStore contract: ${name}`, () => {
    let h: MediaStoreHarness;
    beforeEach(async () => {
      h = await open();
    });
    afterEach(async () => {
      await h.close();
    });

    it('inserts, reads back and moves pending -> stored -> deleted once each', async () => {
      const r = pending('alice', 100);
      expect(await h.store.insertWithinLimits(r, LIMITS, NOW)).toBe('inserted');
      expect(await h.store.get(r.mediaId)).toEqual(r);
      expect(await h.store.get(mediaIdForTest())).toBeUndefined();
      expect(await h.store.markStored(r.mediaId, NOW + 5)).toBe(true);
      expect(await h.store.markStored(r.mediaId, NOW + 6)).toBe(false);
      expect(await h.store.get(r.mediaId)).toEqual({ ...r, state: 'stored', storedAt: NOW + 5 });
      expect(await h.store.markDeleted(r.mediaId)).toBe(true);
      expect(await h.store.markDeleted(r.mediaId)).toBe(false);
      expect(await h.store.markStored(r.mediaId, NOW + 7)).toBe(false);
      expect((await h.store.get(r.mediaId))?.state).toBe('deleted');
      expect(await h.store.markDeleted(mediaIdForTest())).toBe(false);
    });

    it('refuses an insert over the byte quota, the object count or the pending count, per owner', async () => {
      expect(await h.store.insertWithinLimits(pending('alice', 600), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('alice', 401), LIMITS, NOW)).toBe('quota-bytes');
      expect(await h.store.insertWithinLimits(pending('alice', 400), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('bob', 1000), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.usage('alice', NOW)).toEqual({ bytes: 1000, objects: 2, pending: 2 });
      expect(await h.store.insertWithinLimits(pending('carol', 1), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('carol', 1), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('carol', 1), LIMITS, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('carol', 1), LIMITS, NOW)).toBe('too-many-pending');
      const many: MediaLimits = { maxBytes: 1000, maxObjects: 2, maxPending: 10 };
      expect(await h.store.insertWithinLimits(pending('dave', 1), many, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('dave', 1), many, NOW)).toBe('inserted');
      expect(await h.store.insertWithinLimits(pending('dave', 1), many, NOW)).toBe('quota-objects');
    });

    it('counts only live records: deleted, expired and abandoned ones give their quota back', async () => {
      const stored = pending('alice', 300);
      const deleted = pending('alice', 300);
      const abandoned = pending('alice', 300, { pendingUntil: NOW + 10 });
      for (const r of [stored, deleted, abandoned]) expect(await h.store.insertWithinLimits(r, LIMITS, NOW)).toBe('inserted');
      await h.store.markStored(stored.mediaId, NOW);
      await h.store.markDeleted(deleted.mediaId);
      expect(await h.store.usage('alice', NOW)).toEqual({ bytes: 600, objects: 2, pending: 1 });
      expect(await h.store.usage('alice', NOW + 10)).toEqual({ bytes: 300, objects: 1, pending: 0 });
      expect(await h.store.usage('alice', NOW + 86_400_000)).toEqual({ bytes: 0, objects: 0, pending: 0 });
      expect(await h.store.insertWithinLimits(pending('alice', 700), LIMITS, NOW + 10)).toBe('inserted');
    });

    it('marks every live record of one owner deleted, and no other', async () => {
      const stored = pending('alice', 10);
      const open = pending('alice', 10);
      const gone = pending('alice', 10);
      const bobs = pending('bob', 10);
      for (const r of [stored, open, gone, bobs]) expect(await h.store.insertWithinLimits(r, LIMITS, NOW)).toBe('inserted');
      await h.store.markStored(stored.mediaId, NOW);
      await h.store.markDeleted(gone.mediaId);
      expect(await h.store.markOwnerDeleted('alice')).toBe(2);
      expect(await h.store.markOwnerDeleted('alice')).toBe(0);
      expect((await h.store.get(stored.mediaId))?.state).toBe('deleted');
      expect((await h.store.get(open.mediaId))?.state).toBe('deleted');
      expect((await h.store.get(bobs.mediaId))?.state).toBe('pending');
      expect(await h.store.usage('alice', NOW)).toEqual({ bytes: 0, objects: 0, pending: 0 });
      // Deleted records are sweepable at once.
      expect((await h.store.listSweepable(NOW, 10)).map((r) => r.mediaId).sort()).toEqual([stored.mediaId, open.mediaId, gone.mediaId].sort());
    });

    it('is atomic under concurrent inserts: the quota is never overrun', async () => {
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => h.store.insertWithinLimits(pending('eve', 100), { maxBytes: 1000, maxObjects: 100, maxPending: 100 }, NOW)));
      expect(outcomes.filter((o) => o === 'inserted').length).toBe(10);
      expect((await h.store.usage('eve', NOW)).bytes).toBe(1000);
    });

    it('lists sweepable records (deleted at once, others at their deadline) and removes only those', async () => {
      const live = pending('alice', 1);
      const deleted = pending('alice', 1);
      const abandoned = pending('alice', 1, { pendingUntil: NOW + 100 });
      const expiring = pending('alice', 1, { expiresAt: NOW + 200 });
      for (const r of [live, deleted, abandoned, expiring]) await h.store.insertWithinLimits(r, { maxBytes: 100, maxObjects: 100, maxPending: 100 }, NOW);
      await h.store.markStored(expiring.mediaId, NOW);
      await h.store.markStored(live.mediaId, NOW);
      await h.store.markDeleted(deleted.mediaId);
      const ids = async (now: number, limit = 10) => (await h.store.listSweepable(now, limit)).map((r) => r.mediaId);
      expect(await ids(NOW)).toEqual([deleted.mediaId]);
      expect(await ids(NOW + 100)).toEqual([deleted.mediaId, abandoned.mediaId]);
      expect(await ids(NOW + 200)).toEqual([deleted.mediaId, abandoned.mediaId, expiring.mediaId]);
      expect(await ids(NOW + 200, 2)).toEqual([deleted.mediaId, abandoned.mediaId]);
      expect(await h.store.remove(live.mediaId, NOW + 200)).toBe(false);
      expect(await h.store.remove(abandoned.mediaId, NOW + 99)).toBe(false);
      expect(await h.store.remove(abandoned.mediaId, NOW + 100)).toBe(true);
      expect(await h.store.remove(abandoned.mediaId, NOW + 100)).toBe(false);
      expect(await h.store.get(abandoned.mediaId)).toBeUndefined();
      expect(await ids(NOW + 200)).toEqual([deleted.mediaId, expiring.mediaId]);
    });
  });
}
