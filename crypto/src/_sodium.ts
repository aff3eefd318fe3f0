/**
 * The one door to libsodium (libsodium-wrappers-sumo, the build that includes crypto_pwhash /
 * Argon2id). Internal: no other module imports libsodium (a lint rule enforces it), and this
 * module stays out of the package `exports` map.
 *
 * libsodium is WebAssembly and must finish instantiating (`sodium.ready`) before any call; the
 * getter awaits that once and hands every caller the same initialised instance.
 */
import sodium from 'libsodium-wrappers-sumo';

/** The initialised libsodium API (the wrapper's default export). */
export type Sodium = typeof sodium;

let ready: Promise<Sodium> | undefined;

/** Resolves to the initialised libsodium instance; the WebAssembly start happens only once. */
export function getSodium(): Promise<Sodium> {
  // Cache the promise (not the value) so concurrent first callers share one initialisation, and
  // drop it on failure so a later call can retry instead of inheriting a rejected promise.
  ready ??= sodium.ready.then(
    () => sodium,
    (error: unknown) => {
      ready = undefined;
      throw error;
    },
  );
  return ready;
}
