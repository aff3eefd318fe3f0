/**
 * PrekeyStore: per-device prekey pools (DESIGN.md §2). A bundle fetch removes one one-time key of
 * each kind atomically, so two fetchers never receive the same one-time key; when the one-time
 * ML-KEM pool is empty the last-resort ML-KEM key is handed out instead (PQXDH §4.2).
 * Contract: relay/test/support/prekey-store-contract.ts.
 */
import type { DeviceAddress, DeviceBundle, PrekeyCounts, PrekeyUpload } from './records.js';

export interface PrekeyStore {
  /**
   * Applies an upload atomically. Refused with RELAY_ERR_TOO_MANY_PREKEYS (and nothing stored)
   * when a one-time pool would hold more than `maxPool` keys; RELAY_ERR_DEVICE_NOT_FOUND when the
   * device does not exist.
   */
  upload(address: DeviceAddress, upload: PrekeyUpload, maxPool: number): Promise<PrekeyCounts>;
  counts(address: DeviceAddress): Promise<PrekeyCounts>;
  /**
   * Takes bundles for the listed devices of one account (every device of it, in id order, when
   * `deviceIds` is left out) in one transaction; unknown ids are skipped. Each bundle's
   * `remaining` is the pool left after the take, read without counting the pool.
   */
  takeBundles(accountId: string, deviceIds?: readonly number[]): Promise<DeviceBundle[]>;
}
