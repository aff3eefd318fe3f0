import { describe, expect, it } from 'vitest';
import { KDF_PRESETS, kdfParamsForNewStore, kdfParamsValid, PRODUCTION_KDF, TEST_KDF } from '../../src/store/kdf.js';

describe('kdfParamsForNewStore', () => {
  it('uses production parameters unless the test-only switch is set', () => {
    expect(kdfParamsForNewStore({})).toEqual(PRODUCTION_KDF);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: '' })).toEqual(PRODUCTION_KDF);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: 'interactive-test' })).toEqual(TEST_KDF);
    expect(() => kdfParamsForNewStore({ SEALPOST_KDF: 'fast' })).toThrow(expect.objectContaining({ code: 'CLI_ERR_KDF_SETTING' }));
  });

  it('an explicit --kdf strength wins over the test switch, but a bad switch is still refused', () => {
    expect(kdfParamsForNewStore({}, 'moderate')).toEqual(KDF_PRESETS.moderate);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: 'interactive-test' }, 'sensitive')).toEqual(KDF_PRESETS.sensitive);
    expect(kdfParamsForNewStore({ SEALPOST_KDF: 'interactive-test' }, 'standard')).toEqual(PRODUCTION_KDF);
    expect(() => kdfParamsForNewStore({ SEALPOST_KDF: 'fast' }, 'moderate')).toThrow(expect.objectContaining({ code: 'CLI_ERR_KDF_SETTING' }));
  });

  it('the default is at least OWASP\'s Argon2id minimum (t = 2, m = 19 MiB); the named strengths rise', () => {
    expect(PRODUCTION_KDF).toEqual(KDF_PRESETS.standard);
    expect(PRODUCTION_KDF.opsLimit).toBeGreaterThanOrEqual(2);
    expect(PRODUCTION_KDF.memLimitBytes).toBeGreaterThanOrEqual(19 * 1024 * 1024);
    // moderate: RFC 9106 §4's second recommended option (t = 3, 64 MiB).
    expect(KDF_PRESETS.moderate).toMatchObject({ opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 });
    expect(KDF_PRESETS.sensitive).toMatchObject({ opsLimit: 4, memLimitBytes: 256 * 1024 * 1024 });
    for (const params of [...Object.values(KDF_PRESETS), TEST_KDF]) expect(kdfParamsValid(params)).toBe(true);
  });

  it('rejects out-of-range stored parameters', () => {
    expect(kdfParamsValid({ ...TEST_KDF, opsLimit: 0 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, memLimitBytes: 1024 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, memLimitBytes: 8 * 1024 + 1 })).toBe(false);
    expect(kdfParamsValid({ ...TEST_KDF, opsLimit: Number.NaN })).toBe(false);
  });
});
