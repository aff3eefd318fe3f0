/**
 * Test helper: the crypto suites every primitives test runs against, loaded through the public
 * facade (`loadCrypto`), plus hex and error-code helpers.
 */
import { expect } from 'vitest';
import { loadCrypto, type BackendChoice, type CryptoSuite } from '../../src/primitives/index.js';
import { CryptoError, type CryptoErrorCode } from '../../src/errors.js';
import { fromHex, toHex } from '../../src/primitives/bytes.js';

/** The two real backends; every vector runs on both. */
export const BACKENDS = ['noble', 'libsodium'] as const satisfies readonly BackendChoice[];
/** Both backends and the 'auto' mix. */
export const CHOICES = ['noble', 'libsodium', 'auto'] as const satisfies readonly BackendChoice[];

export const suites: Readonly<Record<BackendChoice, CryptoSuite>> = {
  noble: await loadCrypto({ backend: 'noble' }),
  libsodium: await loadCrypto({ backend: 'libsodium' }),
  auto: await loadCrypto({ backend: 'auto' }),
};

export const hex = fromHex;
export { toHex };

/** Runs `fn` and asserts it throws a CryptoError with `code`. */
export function expectCode(fn: () => unknown, code: CryptoErrorCode, label = ''): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `${label}: expected ${code}`).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code, label).toBe(code);
}

/** ASCII bytes of a string (RFC test messages). */
export function ascii(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** `n` copies of `byte`. */
export function repeat(byte: number, n: number): Uint8Array {
  return new Uint8Array(n).fill(byte);
}

/** Bytes start, start+1, ..., start+n-1 (RFC 5869 and 4231 use such ranges). */
export function range(start: number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (start + i) & 0xff);
}
