/**
 * Argon2id parameters for the passphrase-derived store key (RFC 9106).
 *
 * Every command that opens the store pays the derivation once, so the default is a trade-off
 * with start-up time (`send` should finish within 0.4 s above `node -e 0`):
 *
 * - `standard` (default): 2 passes over 19 MiB, one lane — OWASP's Password Storage Cheat Sheet
 *   minimum for Argon2id (m = 19 MiB, t = 2, p = 1); about 35 ms on the 2-core build machine.
 * - `moderate`: 3 passes over 64 MiB — RFC 9106 §4's second recommended option (libsodium runs
 *   one lane); about a quarter of a second.
 * - `sensitive`: 4 passes over 256 MiB; about 1.5 s and 256 MiB of memory per command.
 *
 * `sealpost init --kdf NAME` (and `link accept --kdf NAME`) picks one. The parameters and salt are
 * written in the store's plaintext meta table when it is created, so later opens use the store's
 * own parameters and the defaults can change without breaking old stores.
 *
 * `SEALPOST_KDF=interactive-test` selects tiny parameters FOR TESTS ONLY: end-to-end tests run
 * dozens of commands and cannot pay the production cost each time. A store created that way is
 * cheap to brute-force; never use it for real data. It affects only stores created while it is
 * set.
 */
import { CliError } from '../errors.js';

export interface KdfParams {
  /** Argon2id version 0x13 (the only one). */
  readonly algorithm: 'argon2id13';
  /** Passes t. */
  readonly opsLimit: number;
  /** Memory m in bytes (a multiple of 1024). */
  readonly memLimitBytes: number;
}

const MIB = 1024 * 1024;

/** The named strengths `--kdf` accepts, weakest first. */
export const KDF_PRESETS = {
  standard: { algorithm: 'argon2id13', opsLimit: 2, memLimitBytes: 19 * MIB },
  moderate: { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 64 * MIB },
  sensitive: { algorithm: 'argon2id13', opsLimit: 4, memLimitBytes: 256 * MIB },
} as const satisfies Record<string, KdfParams>;

export type KdfPreset = keyof typeof KDF_PRESETS;
export const KDF_PRESET_NAMES = Object.keys(KDF_PRESETS) as KdfPreset[];

/** What a new store gets without `--kdf`. */
export const PRODUCTION_KDF: KdfParams = KDF_PRESETS.standard;

/** Test-only: the smallest parameters libsodium accepts. */
export const TEST_KDF: KdfParams = { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8 * 1024 };

export const KDF_ENV = 'SEALPOST_KDF';
export const KDF_ENV_TEST_VALUE = 'interactive-test';

/** Bounds accepted when reading a store's parameters; anything outside means the meta is damaged. */
export const KDF_LIMITS = { minOps: 1, maxOps: 64, minMem: 8 * 1024, maxMem: 1024 * 1024 * 1024 } as const;

/**
 * The parameters for a new store: an explicit `--kdf` choice wins; otherwise the test-only
 * environment switch; otherwise the default. A bad SEALPOST_KDF is refused even when `--kdf` is
 * given, so a typo in a test environment never goes unnoticed.
 */
export function kdfParamsForNewStore(env: Readonly<Record<string, string | undefined>>, preset?: KdfPreset): KdfParams {
  const value = env[KDF_ENV];
  if (value !== undefined && value !== '' && value !== KDF_ENV_TEST_VALUE) throw new CliError('CLI_ERR_KDF_SETTING', `got "${value}"`);
  if (preset !== undefined) return KDF_PRESETS[preset];
  return value === KDF_ENV_TEST_VALUE ? TEST_KDF : PRODUCTION_KDF;
}

export function kdfParamsValid(params: KdfParams): boolean {
  return (
    params.algorithm === 'argon2id13' &&
    Number.isSafeInteger(params.opsLimit) &&
    params.opsLimit >= KDF_LIMITS.minOps &&
    params.opsLimit <= KDF_LIMITS.maxOps &&
    Number.isSafeInteger(params.memLimitBytes) &&
    params.memLimitBytes >= KDF_LIMITS.minMem &&
    params.memLimitBytes <= KDF_LIMITS.maxMem &&
    params.memLimitBytes % 1024 === 0
  );
}
