/**
 * @sealpost/crypto — the Sealpost protocol: primitives facade, identities, prekeys, PQXDH, the
 * double ratchet and per-device sessions. Pure: no I/O, no clock, randomness injected.
 */
export { loadCrypto, systemRandom } from './primitives/index.js';
export type { CryptoSuite, LoadCryptoOptions, BackendChoice, RandomSource } from './primitives/index.js';
export { CRYPTO_ERRORS, CryptoError } from './errors.js';
export type { CryptoErrorCode } from './errors.js';
