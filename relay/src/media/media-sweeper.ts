/**
 * The media sweeper: removes from the backend every object whose record is deleted, expired, or
 * a pending upload past its deadline, then forgets the record. The object goes first, so a crash
 * in between leaves a record that the next sweep retries rather than an orphaned object. A
 * failing object is skipped (and counted) so one bad key cannot stall the rest; its record stays
 * for the next sweep.
 */
import type { MediaStore } from '../storage/media-store.js';
import type { MediaBackend } from './media-backend.js';

export interface MediaSweepResult {
  /** Objects removed from the backend and forgotten. */
  readonly removed: number;
  /** Objects the backend failed to delete (retried next time). */
  readonly failed: number;
  /** Leftover partial uploads removed by the backend (local disk only). */
  readonly partials: number;
}

export interface MediaSweepOptions {
  readonly store: MediaStore;
  readonly backend: MediaBackend;
  readonly now: number;
  /** Records read per step. */
  readonly batch: number;
  /** Partial uploads older than this (ms) are removed. */
  readonly incompleteBefore?: number;
  /** Upper bound on steps per call, so one sweep cannot run unbounded. */
  readonly maxSteps?: number;
  readonly onError?: (mediaId: string, error: unknown) => void;
}

export async function sweepMedia(options: MediaSweepOptions): Promise<MediaSweepResult> {
  const { store, backend, now, batch } = options;
  const failedIds = new Set<string>();
  let removed = 0;
  for (let step = 0; step < (options.maxSteps ?? 100); step++) {
    // Failed ids stay sweepable; read past them so they cannot fill every batch.
    const records = (await store.listSweepable(now, batch + failedIds.size)).filter((r) => !failedIds.has(r.mediaId));
    if (records.length === 0) break;
    for (const record of records) {
      try {
        await backend.delete(record.mediaId);
        if (await store.remove(record.mediaId, now)) removed++;
      } catch (error) {
        failedIds.add(record.mediaId);
        options.onError?.(record.mediaId, error);
      }
    }
  }
  const partials = options.incompleteBefore === undefined || backend.purgeIncomplete === undefined ? 0 : await backend.purgeIncomplete(options.incompleteBefore);
  return { removed, failed: failedIds.size, partials };
}
