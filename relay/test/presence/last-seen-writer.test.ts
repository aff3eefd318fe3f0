/**
 * LastSeenWriter: "last seen" times are kept in memory (the latest per device), written in one
 * call per interval (in chunks), readable before they are committed, kept for a retry when a
 * write fails, and written on close.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LastSeenWriter } from '../../src/presence/last-seen-writer.js';
import type { DeviceSeen } from '../../src/storage/account-store.js';

/** A store whose writes are recorded and settle only when the test says so. */
function heldStore() {
  const calls: DeviceSeen[][] = [];
  const settle: Array<(error?: Error) => void> = [];
  return {
    calls,
    /** Settles the oldest unsettled write (with an error: it fails). */
    settleNext(error?: Error) {
      settle.shift()?.(error);
    },
    store: {
      touchDevices(seen: readonly DeviceSeen[]): Promise<void> {
        calls.push([...seen]);
        return new Promise<void>((resolve, reject) => settle.push((error) => (error === undefined ? resolve() : reject(error))));
      },
    },
  };
}

const a1 = { accountId: 'a', deviceId: 1 };
const a2 = { accountId: 'a', deviceId: 2 };
const b1 = { accountId: 'b', deviceId: 1 };

describe('LastSeenWriter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('writes the latest time per device once per interval, in one call', async () => {
    vi.useFakeTimers();
    const written: DeviceSeen[][] = [];
    const writer = new LastSeenWriter({ touchDevices: async (seen) => void written.push([...seen]) }, { intervalMs: 5_000 });
    writer.note(a1, 100);
    writer.note(a1, 300);
    writer.note(a1, 200);
    writer.note(a2, 150);
    writer.note(b1, 50);
    expect(writer.size).toBe(3);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(written).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(written).toEqual([
      [
        { address: a1, at: 300 },
        { address: a2, at: 150 },
        { address: b1, at: 50 },
      ],
    ]);
    expect(writer.size).toBe(0);
    // Nothing noted: no timer, no write.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(written).toHaveLength(1);
    writer.note(a1, 400);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(written[1]).toEqual([{ address: a1, at: 400 }]);
  });

  it('splits a large write into chunks', async () => {
    const written: number[] = [];
    const writer = new LastSeenWriter({ touchDevices: async (seen) => void written.push(seen.length) }, { intervalMs: 60_000, chunkSize: 4 });
    for (let i = 1; i <= 10; i++) writer.note({ accountId: `acct${i}`, deviceId: 1 }, i);
    await writer.flush();
    expect(written).toEqual([4, 4, 2]);
    await writer.close();
  });

  it('answers with times not yet committed, also while their write runs', async () => {
    const held = heldStore();
    const writer = new LastSeenWriter(held.store, { intervalMs: 60_000 });
    expect(writer.pending(a1)).toBeNull();
    expect(writer.pendingForAccount('a')).toBeNull();
    writer.note(a1, 100);
    writer.note(a2, 250);
    expect(writer.pending(a1)).toBe(100);
    expect(writer.pendingForAccount('a')).toBe(250);
    const flushed = writer.flush();
    await vi.waitFor(() => expect(held.calls).toHaveLength(1));
    // In flight: still visible; a newer note meanwhile wins.
    writer.note(a1, 120);
    expect(writer.pending(a1)).toBe(120);
    expect(writer.pending(a2)).toBe(250);
    expect(writer.pendingForAccount('a')).toBe(250);
    held.settleNext();
    await flushed;
    expect(writer.pending(a2)).toBeNull();
    expect(writer.pending(a1)).toBe(120);
    const closing = writer.close();
    await vi.waitFor(() => expect(held.calls).toHaveLength(2));
    expect(held.calls[1]).toEqual([{ address: a1, at: 120 }]);
    held.settleNext();
    await closing;
    expect(writer.pendingForAccount('a')).toBeNull();
  });

  it('keeps the times of a failed write and writes them at the next interval', async () => {
    vi.useFakeTimers();
    const held = heldStore();
    const errors: unknown[] = [];
    const writer = new LastSeenWriter(held.store, { intervalMs: 1_000, onError: (error) => errors.push(error) });
    writer.note(a1, 100);
    writer.note(a2, 200);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.calls).toHaveLength(1);
    writer.note(a2, 150); // older than the one in flight
    held.settleNext(new Error('disk full'));
    await vi.advanceTimersByTimeAsync(0);
    expect(errors).toHaveLength(1);
    expect(writer.pending(a1)).toBe(100);
    expect(writer.pending(a2)).toBe(200);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(held.calls[1]).toHaveLength(2);
    expect(held.calls[1]).toEqual(
      expect.arrayContaining([
        { address: a1, at: 100 },
        { address: a2, at: 200 },
      ]),
    );
    held.settleNext();
    await vi.advanceTimersByTimeAsync(0);
    expect(writer.size).toBe(0);
  });

  it('writes everything on close and schedules nothing after it', async () => {
    vi.useFakeTimers();
    const written: DeviceSeen[][] = [];
    const writer = new LastSeenWriter({ touchDevices: async (seen) => void written.push([...seen]) }, { intervalMs: 5_000 });
    writer.note(a1, 100);
    await writer.close();
    expect(written).toEqual([[{ address: a1, at: 100 }]]);
    writer.note(a1, 200);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(written).toHaveLength(1);
    // An explicit flush still writes a late note.
    await writer.flush();
    expect(written[1]).toEqual([{ address: a1, at: 200 }]);
  });
});
