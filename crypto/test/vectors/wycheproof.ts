/**
 * Test helper: reads Wycheproof vector files (C2SP/wycheproof, testvectors_v1) from
 * `../shared/vectors/wycheproof/` beside the repository checkout. The files are never copied into
 * the repository; when the folder is missing, {@link describeWycheproof} registers a skipped suite
 * whose title says so, and warns once per test file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';

/** The repository root (this file is crypto/test/vectors/wycheproof.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** `../shared/vectors` resolved from the repository root. */
export const VECTORS_DIR = resolve(REPO_ROOT, '../shared/vectors');
export const WYCHEPROOF_DIR = join(VECTORS_DIR, 'wycheproof');
export const WYCHEPROOF_SKIP_TITLE = 'Wycheproof vectors not found at ../shared/vectors — skipped';

export type WycheproofResult = 'valid' | 'invalid' | 'acceptable';

export interface WycheproofCase {
  readonly tcId: number;
  readonly comment?: string;
  readonly flags?: readonly string[];
  readonly result: WycheproofResult;
}

export interface WycheproofFile<G> {
  readonly algorithm: string;
  readonly numberOfTests: number;
  readonly testGroups: readonly G[];
}

/** xdh_comp_schema_v1 (x25519_test.json). */
export interface XdhGroup {
  readonly curve: string;
  readonly tests: readonly (WycheproofCase & { readonly public: string; readonly private: string; readonly shared: string })[];
}

/** eddsa_verify_schema_v1 (ed25519_test.json). */
export interface EddsaGroup {
  readonly publicKey: { readonly curve: string; readonly pk: string };
  readonly tests: readonly (WycheproofCase & { readonly msg: string; readonly sig: string })[];
}

/** aead_test_schema_v1 ((x)chacha20_poly1305_test.json); sizes in bits. */
export interface AeadGroup {
  readonly ivSize: number;
  readonly keySize: number;
  readonly tagSize: number;
  readonly tests: readonly (WycheproofCase & {
    readonly key: string;
    readonly iv: string;
    readonly aad: string;
    readonly msg: string;
    readonly ct: string;
    readonly tag: string;
  })[];
}

/** hkdf_test_schema_v1 (hkdf_sha256_test.json); `size` in bytes. */
export interface HkdfGroup {
  readonly tests: readonly (WycheproofCase & {
    readonly ikm: string;
    readonly salt: string;
    readonly info: string;
    readonly size: number;
    readonly okm: string;
  })[];
}

/** mac_test_schema_v1 (hmac_sha256_test.json); `tagSize` in bits (some groups truncate). */
export interface MacGroup {
  readonly keySize: number;
  readonly tagSize: number;
  readonly tests: readonly (WycheproofCase & { readonly key: string; readonly msg: string; readonly tag: string })[];
}

/**
 * mlkem_test_schema (mlkem_1024_test.json): `seed` is the 64-byte d || z key-generation seed
 * (FIPS 203 §7.1; the malformed-key cases give it the wrong length), `ek` the expected
 * encapsulation key when present, `c` the ciphertext to decapsulate and `K` the shared secret.
 */
export interface MlKemGroup {
  readonly parameterSet: string;
  readonly tests: readonly (WycheproofCase & { readonly seed: string; readonly ek?: string; readonly c: string; readonly K: string })[];
}

/** True when the Wycheproof folder exists at `dir`. */
export function wycheproofAvailable(dir: string = WYCHEPROOF_DIR): boolean {
  return existsSync(dir);
}

/** Parses one Wycheproof file; throws (failing the suite) if the folder exists but the file does not. */
export function loadWycheproof<G>(file: string, dir: string = WYCHEPROOF_DIR): WycheproofFile<G> {
  const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as WycheproofFile<G>;
  if (!Array.isArray(parsed.testGroups) || typeof parsed.numberOfTests !== 'number') {
    throw new Error(`${file}: not a Wycheproof test-vector file`);
  }
  return parsed;
}

/** How {@link describeWycheproof} registers suites; replaceable so the skip path can be tested. */
export interface SuiteRegistrar {
  describe(title: string, body: () => void): void;
  skip(title: string, body: () => void): void;
  warn(message: string): void;
}

const vitestRegistrar: SuiteRegistrar = {
  describe: (title, body) => describe(title, body),
  skip: (title, body) => describe.skip(title, body),
  warn: (message) => console.warn(message),
};

const warnedFor = new Set<SuiteRegistrar>();

/**
 * Registers `body` as a describe block when the vectors are present; otherwise a skipped suite
 * titled {@link WYCHEPROOF_SKIP_TITLE}, with one console warning per test file.
 */
export function describeWycheproof(title: string, body: () => void, dir: string = WYCHEPROOF_DIR, registrar: SuiteRegistrar = vitestRegistrar): void {
  if (wycheproofAvailable(dir)) {
    registrar.describe(title, body);
    return;
  }
  if (!warnedFor.has(registrar)) {
    warnedFor.add(registrar);
    registrar.warn(`${WYCHEPROOF_SKIP_TITLE} (looked in ${dir})`);
  }
  registrar.skip(WYCHEPROOF_SKIP_TITLE, () => {
    it(title, () => undefined);
  });
}
