/**
 * The primitives facade: one {@link CryptoSuite} that the protocol modules take as a parameter.
 *
 * `loadCrypto()` picks a backend per operation (`auto`: libsodium where it is faster, noble for
 * ML-KEM, which libsodium lacks) or forces one backend (`noble`, `libsodium`) for cross-checks.
 * Randomness comes from the injected {@link RandomSource}.
 */
import type { PrimitiveBackend } from './backend.js';
import { nobleBackend } from './noble.js';
import { systemRandom, type RandomSource } from './random.js';

export type BackendChoice = 'auto' | 'noble' | 'libsodium';

export interface CryptoSuite extends Omit<PrimitiveBackend, 'name'> {
  /** Which backend serves each operation (for diagnostics and benchmarks). */
  readonly backendName: string;
  readonly randomBytes: RandomSource;
}

export interface LoadCryptoOptions {
  backend?: BackendChoice;
  random?: RandomSource;
}

function suiteFrom(backend: PrimitiveBackend, backendName: string, random: RandomSource): CryptoSuite {
  const { name: _name, ...operations } = backend;
  return { ...operations, backendName, randomBytes: random };
}

/** Loads the chosen backend (libsodium needs an async WebAssembly start) and returns the suite. */
export async function loadCrypto(options: LoadCryptoOptions = {}): Promise<CryptoSuite> {
  const random = options.random ?? systemRandom;
  const choice = options.backend ?? 'auto';
  // TODO(primitives): libsodium backend and the per-operation 'auto' mix.
  return suiteFrom(nobleBackend, choice === 'auto' ? 'noble' : choice, random);
}

export type { PrimitiveBackend, MlKemKeyPair, MlKemEncapsulation, BackendName } from './backend.js';
export type { RandomSource } from './random.js';
export { systemRandom } from './random.js';
