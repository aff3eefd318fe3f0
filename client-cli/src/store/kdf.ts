/**
 * Argon2id parameters for the passphrase-derived store key (RFC 9106).
 *
 * Production: 3 passes over 64 MiB, one lane — RFC 9106 §4's second recommended option uses
 * these t and m, and libsodium's crypto_pwhash runs one lane. About a quarter of a second on a
 * small machine, paid once per command. The parameters and salt are written in the store's
 * plaintext meta table when it is created, so later opens use the store's own parameters and the
 * defaults can rise without breaking old stores.
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

export const PRODUCTION_KDF: KdfParams = { algorithm: 'argon2id13', opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 };

/** Test-only: the smallest parameters libsodium accepts. */
export const TEST_KDF: KdfParams = { algorithm: 'argon2id13', opsLimit: 1, memLimitBytes: 8 * 1024 };

export const KDF_ENV = 'SEALPOST_KDF';
export const KDF_ENV_TEST_VALUE = 'interactive-test';

/** Bounds accepted when reading a store's parameters; anything outside means the meta is damaged. */
export const KDF_LIMITS = { minOps: 1, maxOps: 64, minMem: 8 * 1024, maxMem: 1024 * 1024 * 1024 } as const;

/** The parameters for a new store, from the environment. */
export function kdfParamsForNewStore(env: Readonly<Record<string, string | undefined>>): KdfParams {
  const value = env[KDF_ENV];
  if (value === undefined || value === '') return PRODUCTION_KDF;
  if (value === KDF_ENV_TEST_VALUE) return TEST_KDF;
  throw new CliError('CLI_ERR_KDF_SETTING', `got "${value}"`);
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
