/** Contract suite for PresenceTracker. */
import { beforeEach, describe, expect, it } from 'vitest';
import type { PresenceTracker } from '../../src/presence/presence-tracker.js';

export function runPresenceTrackerContract(name: string, makeTracker: () => Promise<PresenceTracker>): void {
  describe(`PresenceTracker contract: ${name}`, () => {
    let tracker: PresenceTracker;
    const d1 = { accountId: 'a', deviceId: 1 };
    const d2 = { accountId: 'a', deviceId: 2 };

    beforeEach(async () => {
      tracker = await makeTracker();
    });

    it('knows nothing about an account never seen', async () => {
      expect(await tracker.get('a')).toEqual({ online: false, lastSeenAt: null });
    });

    it('is online while any device has a connection, with the latest time seen', async () => {
      await tracker.connected(d1, 'c1', 100);
      await tracker.connected(d2, 'c2', 150);
      await tracker.seen(d1, 'c1', 200);
      expect(await tracker.get('a')).toEqual({ online: true, lastSeenAt: 200 });
      expect(await tracker.connectionCount()).toBe(2);
      await tracker.disconnected(d1, 'c1', 300);
      expect(await tracker.get('a')).toEqual({ online: true, lastSeenAt: 300 });
      await tracker.disconnected(d2, 'c2', 250);
      expect(await tracker.get('a')).toEqual({ online: false, lastSeenAt: 300 });
      expect(await tracker.connectionCount()).toBe(0);
    });

    it('reports exactly the transitions: first connection online, last one offline', async () => {
      expect(await tracker.connected(d1, 'c1', 100)).toBe(true);
      expect(await tracker.connected(d2, 'c2', 110)).toBe(false);
      expect(await tracker.connected(d1, 'c3', 120)).toBe(false);
      expect(await tracker.disconnected(d1, 'c1', 130)).toBe(false);
      expect(await tracker.disconnected(d2, 'c2', 140)).toBe(false);
      // A connection it never saw (or already closed) cannot end the online state.
      expect(await tracker.disconnected(d1, 'c1', 145)).toBe(false);
      expect(await tracker.disconnected(d1, 'ghost', 145)).toBe(false);
      expect(await tracker.disconnected(d1, 'c3', 150)).toBe(true);
      expect(await tracker.disconnected(d1, 'c3', 160)).toBe(false);
      expect(await tracker.connected({ accountId: 'b', deviceId: 1 }, 'c4', 170)).toBe(true);
      expect(await tracker.connected(d2, 'c5', 180)).toBe(true);
    });

    it('knows when each device was last seen', async () => {
      expect(await tracker.lastSeen(d1)).toBeNull();
      await tracker.connected(d1, 'c1', 100);
      expect(await tracker.lastSeen(d1)).toBe(100);
      expect(await tracker.lastSeen(d2)).toBeNull();
      await tracker.seen(d1, 'c1', 200);
      expect(await tracker.lastSeen(d1)).toBe(200);
      await tracker.disconnected(d1, 'c1', 300);
      expect(await tracker.lastSeen(d1)).toBe(300);
      // A late heartbeat of the closed connection does not count.
      await tracker.seen(d1, 'c1', 400);
      expect(await tracker.lastSeen(d1)).toBe(300);
    });

    it('ignores heartbeats from connections it does not know and keeps overlapping connections apart', async () => {
      await tracker.seen(d1, 'ghost', 500);
      expect(await tracker.get('a')).toEqual({ online: false, lastSeenAt: null });
      expect(await tracker.lastSeen(d1)).toBeNull();
      await tracker.connected(d1, 'old', 10);
      await tracker.connected(d1, 'new', 20);
      await tracker.disconnected(d1, 'old', 30);
      expect((await tracker.get('a')).online).toBe(true);
    });
  });
}
