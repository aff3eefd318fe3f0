/**
 * Randomness source. The protocol never calls a global RNG directly: every function that needs
 * randomness takes a {@link RandomSource}, so tests and golden transcripts can inject a seeded one.
 * The default draws from the platform CSPRNG (WebCrypto `getRandomValues`, through noble's
 * `randomBytes`) without importing any I/O module.
 */
import { randomBytes } from '@noble/hashes/utils.js';

export type RandomSource = (length: number) => Uint8Array;

/** The platform CSPRNG. */
export const systemRandom: RandomSource = (length) => randomBytes(length);
