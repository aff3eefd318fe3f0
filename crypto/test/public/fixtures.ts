/**
 * Test helpers for the public-structure tests: a deterministic RNG (so failures reproduce), a
 * signer for hand-built bodies (to make validly signed but malformed structures), byte tampering
 * and an assertion on CryptoError codes.
 */
import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../../src/errors.js';
import type { CryptoSuite, RandomSource } from '../../src/primitives/index.js';
import { signedMessage, type SignatureContext } from '../../src/public/signature.js';
import { withSignature } from '../../src/public/structure.js';

/** SHA-256 in counter mode over a label: a reproducible stand-in for the CSPRNG. */
export function seededRandom(label: string): RandomSource {
  let counter = 0;
  return (length) => {
    const out = new Uint8Array(length);
    for (let o = 0; o < length; o += 32) {
      const block = createHash('sha256').update(label).update(String(counter++)).digest();
      out.set(block.subarray(0, Math.min(32, length - o)), o);
    }
    return out;
  };
}

/** Signs an arbitrary body the way the identity module does, and appends the signature. */
export function signBody(suite: CryptoSuite, seed: Uint8Array, context: SignatureContext, body: Uint8Array): Uint8Array {
  return withSignature(body, suite.ed25519Sign(seed, signedMessage(context, body)));
}

/** A copy of `bytes` with `mask` XORed into byte `index`. */
export function flip(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const out = bytes.slice();
  out[index] = (out[index] as number) ^ mask;
  return out;
}

/** A copy of `bytes` with byte `index` set to `value`. */
export function setByte(bytes: Uint8Array, index: number, value: number): Uint8Array {
  const out = bytes.slice();
  out[index] = value;
  return out;
}

/** Asserts that `fn` throws a CryptoError with exactly this code. */
export function expectCode(fn: () => unknown, code: CryptoErrorCode): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(CryptoError);
  expect((caught as CryptoError).code).toBe(code);
}

/** Asserts that `fn` throws a CryptoError (of any code) — for exhaustive tampering sweeps. */
export function expectCryptoError(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(CryptoError);
}
