/**
 * Contract suite for ChallengeStore: a nonce answers once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RelayStorage } from '../../src/storage/relay-storage.js';
import type { StorageFactory } from './storage-fixtures.js';

export function runChallengeStoreContract(name: string, makeStorage: StorageFactory): void {
  describe(`ChallengeStore contract: ${name}`, () => {
    let storage: RelayStorage;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ storage, cleanup } = await makeStorage());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns an issued challenge once, then never again', async () => {
      await storage.challenges.issue('n1', { issuedAt: 10, expiresAt: 20 }, 100);
      expect(await storage.challenges.consume('n1')).toEqual({ issuedAt: 10, expiresAt: 20 });
      expect(await storage.challenges.consume('n1')).toBeNull();
      expect(await storage.challenges.consume('never')).toBeNull();
    });

    it('lets exactly one of two concurrent consumers have the nonce', async () => {
      await storage.challenges.issue('n2', { issuedAt: 10, expiresAt: 20 }, 100);
      const results = await Promise.all([storage.challenges.consume('n2'), storage.challenges.consume('n2')]);
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    it('purges expired challenges and keeps at most maxPending', async () => {
      await storage.challenges.issue('old', { issuedAt: 1, expiresAt: 5 }, 100);
      await storage.challenges.issue('new', { issuedAt: 2, expiresAt: 50 }, 100);
      expect(await storage.challenges.purgeExpired(10)).toBe(1);
      expect(await storage.challenges.consume('old')).toBeNull();
      for (let i = 0; i < 5; i++) await storage.challenges.issue(`c${i}`, { issuedAt: 100 + i, expiresAt: 1_000 }, 3);
      expect(await storage.challenges.consume('new')).toBeNull();
      expect(await storage.challenges.consume('c0')).toBeNull();
      expect(await storage.challenges.consume('c4')).not.toBeNull();
    });
  });
}
