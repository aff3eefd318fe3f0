/**
 * The primitives facade: one {@link CryptoSuite} that the protocol modules take as a parameter.
 *
 * `loadCrypto()` picks a backend per operation (`auto`: the measured choice in ./routes.ts —
 * libsodium wherever it implements the operation, noble for ML-KEM-1024) or forces one backend
 * (`noble`, `libsodium`) for cross-checks; operations only one backend implements (ML-KEM in
 * noble, Argon2id in libsodium) come from that one whatever the choice. `backendOf` says which
 * backend serves each operation, and the suite's functions are that backend's own functions.
 * Randomness comes from the injected {@link RandomSource}; backends never draw any.
 */
import { getSodium } from '../_sodium.js';
import { createArgon2id, type Argon2idFunction } from './argon2id.js';
import type { BackendName, PrimitiveBackend, PrimitiveOperation } from './backend.js';
import { createLibsodiumBackend } from './libsodium.js';
import { nobleBackend } from './noble.js';
import { systemRandom, type RandomSource } from './random.js';
import { AUTO_ROUTES, describeRoutes, routesFor, SUITE_OPERATIONS, type SuiteOperation } from './routes.js';

export type BackendChoice = 'auto' | 'noble' | 'libsodium';

export interface CryptoSuite extends Omit<PrimitiveBackend, 'name'> {
  /**
   * Which backend serves what, e.g. 'auto(libsodium: x25519, ed25519, ...; noble: mlkem1024)'
   * (for diagnostics and benchmarks).
   */
  readonly backendName: string;
  /** The backend serving each operation. */
  readonly backendOf: Readonly<Record<SuiteOperation, BackendName>>;
  readonly randomBytes: RandomSource;
  /**
   * Argon2id (RFC 9106, p = 1) from libsodium's crypto_pwhash, for passphrase-derived at-rest
   * keys: 16-byte salt, `opsLimit` passes, `memLimitBytes` of memory (a multiple of 1024,
   * 8 KiB..1 GiB), 16..1024 output bytes. See ./argon2id.ts and docs/primitives.md.
   */
  readonly argon2id: Argon2idFunction;
}

export interface LoadCryptoOptions {
  backend?: BackendChoice;
  random?: RandomSource;
}

let libsodiumBackend: Promise<PrimitiveBackend> | undefined;

/**
 * One backend on its own (the same instance every time): for tests that cross-check the two and
 * for benchmarks. Protocol code takes a {@link CryptoSuite} from {@link loadCrypto} instead.
 */
export async function loadBackend(name: BackendName): Promise<PrimitiveBackend> {
  if (name === 'noble') return nobleBackend;
  // getSodium() already forgets a failed start, so a later call can retry; do the same here.
  libsodiumBackend ??= getSodium().then(createLibsodiumBackend, (error: unknown) => {
    libsodiumBackend = undefined;
    throw error;
  });
  return libsodiumBackend;
}

/** Loads the chosen backends (libsodium needs an async WebAssembly start) and returns the suite. */
export async function loadCrypto(options: LoadCryptoOptions = {}): Promise<CryptoSuite> {
  const random = options.random ?? systemRandom;
  const choice = options.backend ?? 'auto';
  if (choice !== 'auto' && choice !== 'noble' && choice !== 'libsodium') {
    throw new TypeError(`unknown crypto backend choice: ${String(choice)}`);
  }
  const routes = choice === 'auto' ? AUTO_ROUTES : routesFor(choice);
  const backends: Readonly<Record<BackendName, PrimitiveBackend>> = {
    noble: await loadBackend('noble'),
    libsodium: await loadBackend('libsodium'),
  };
  // Argon2id always needs libsodium (./argon2id.ts), so libsodium is loaded for every choice.
  const argon2id = createArgon2id(await getSodium());

  const operations = {} as Record<PrimitiveOperation, unknown>;
  for (const op of SUITE_OPERATIONS) {
    if (op === 'argon2id') continue;
    // The backend's own function, not a wrapper: what `backendOf` claims is what runs.
    operations[op] = backends[routes[op]][op];
  }
  const suite: CryptoSuite = {
    ...(operations as Omit<PrimitiveBackend, 'name'>),
    argon2id,
    backendName: describeRoutes(choice, routes),
    backendOf: Object.freeze({ ...routes }),
    randomBytes: random,
  };
  // Frozen so no caller can swap a primitive out from under the protocol.
  return Object.freeze(suite);
}

export type { PrimitiveBackend, PrimitiveOperation, MlKemKeyPair, MlKemEncapsulation, BackendName, Sha256Hasher } from './backend.js';
export type { RandomSource } from './random.js';
export type { Argon2idFunction } from './argon2id.js';
export type { SuiteOperation } from './routes.js';
export { systemRandom } from './random.js';
export { AUTO_ROUTES } from './routes.js';
export {
  ARGON2ID_SALT_BYTES,
  ARGON2ID_MIN_OUTPUT_BYTES,
  ARGON2ID_MAX_OUTPUT_BYTES,
  ARGON2ID_MIN_OPS_LIMIT,
  ARGON2ID_MAX_OPS_LIMIT,
  ARGON2ID_MIN_MEM_LIMIT_BYTES,
  ARGON2ID_MAX_MEM_LIMIT_BYTES,
} from './argon2id.js';
