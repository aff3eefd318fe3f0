/** InMemoryMediaStore: MediaStore in a Map, for tests and single-process experiments. */
import type { InsertOutcome, MediaLimits, MediaRecord, MediaStore, MediaUsage } from '../media-store.js';
import { isLive, sweepAt } from '../media-store.js';

export class InMemoryMediaStore implements MediaStore {
  private readonly records = new Map<string, MediaRecord>();

  async insertWithinLimits(record: MediaRecord, limits: MediaLimits, now: number): Promise<InsertOutcome> {
    if (this.records.has(record.mediaId)) throw new Error('duplicate media id');
    // Synchronous from here to the insert: nothing can interleave, which makes it atomic.
    const usage = this.usageNow(record.owner, now);
    if (usage.pending + 1 > limits.maxPending) return 'too-many-pending';
    if (usage.objects + 1 > limits.maxObjects) return 'quota-objects';
    if (usage.bytes + record.declaredSize > limits.maxBytes) return 'quota-bytes';
    this.records.set(record.mediaId, { ...record });
    return 'inserted';
  }

  async get(mediaId: string): Promise<MediaRecord | undefined> {
    const record = this.records.get(mediaId);
    return record === undefined ? undefined : { ...record };
  }

  private usageNow(owner: string, now: number): MediaUsage {
    let bytes = 0;
    let objects = 0;
    let pending = 0;
    for (const r of this.records.values()) {
      if (r.owner !== owner || !isLive(r, now)) continue;
      bytes += r.declaredSize;
      objects++;
      if (r.state === 'pending') pending++;
    }
    return { bytes, objects, pending };
  }

  async usage(owner: string, now: number): Promise<MediaUsage> {
    return this.usageNow(owner, now);
  }

  async markStored(mediaId: string, storedAt: number): Promise<boolean> {
    const r = this.records.get(mediaId);
    if (r?.state !== 'pending') return false;
    this.records.set(mediaId, { ...r, state: 'stored', storedAt });
    return true;
  }

  async markDeleted(mediaId: string): Promise<boolean> {
    const r = this.records.get(mediaId);
    if (r === undefined || r.state === 'deleted') return false;
    this.records.set(mediaId, { ...r, state: 'deleted' });
    return true;
  }

  async markOwnerDeleted(owner: string): Promise<number> {
    let marked = 0;
    for (const r of this.records.values()) {
      if (r.owner !== owner || r.state === 'deleted') continue;
      this.records.set(r.mediaId, { ...r, state: 'deleted' });
      marked++;
    }
    return marked;
  }

  async listSweepable(now: number, limit: number): Promise<MediaRecord[]> {
    return [...this.records.values()]
      .filter((r) => sweepAt(r) <= now)
      .sort((a, b) => sweepAt(a) - sweepAt(b) || (a.mediaId < b.mediaId ? -1 : 1))
      .slice(0, limit)
      .map((r) => ({ ...r }));
  }

  async remove(mediaId: string, now: number): Promise<boolean> {
    const r = this.records.get(mediaId);
    if (r === undefined || sweepAt(r) > now) return false;
    return this.records.delete(mediaId);
  }
}
