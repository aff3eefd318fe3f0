import { describe, expect, it } from 'vitest';
import { kdfParamsForNewStore, kdfParamsValid, PRODUCTION_KDF, TEST_KDF } from '../../src/store/kdf.js';

describe('kdfParamsForNewStore', () => {
  it('uses production parameters unless the test-only switch is set', () => {
    expect(kdfParamsForNewStore({})).toEqual(PRODUCTION_KDF);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: '' })).toEqual(PRODUCTION_KDF);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: 'interactive-test' })).toEqual(TEST_KDF);
    expect(() => kdfParamsForNewStore({ SEALPOST_KDF: 'fast' })).toThrow(expect.objectContaining({ code: 'CLI_ERR_KDF_SETTING' }));
  });

  it('production parameters are at least RFC 9106 second-option strength', () => {
    expect(PRODUCTION_KDF.opsLimit).toBeGreaterThanOrEqual(3);
    expect(PRODUCTION_KDF.memLimitBytes).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(kdfParamsValid(PRODUCTION_KDF)).toBe(true);
    expect(kdfParamsValid(TEST_KDF)).toBe(true);
  });

  it('rejects out-of-range stored parameters', () => {
    expect(kdfParamsValid({ ...TEST_KDF, opsLimit: 0 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, memLimitBytes: 1024 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, memLimitBytes: 8 * 1024 + 1 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, opsLimit: Number.NaN })).toBe(false);
  });
});
