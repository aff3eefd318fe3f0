/**
 * Test helpers for media: deterministic suites (fixed salt), byte patterns, chunk splitting, an
 * independent re-implementation of the stream format straight from docs/media.md on noble (no
 * code shared with src/media), and an error-code assertion for sync and async code.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { expect } from 'vitest';
import { CryptoError, type CryptoErrorCode } from '../../src/errors.js';
import { loadCrypto, type BackendChoice, type CryptoSuite } from '../../src/primitives/index.js';

export const C = 65_536;
export const CT = C + 16;

/** A suite on `backend` whose random source returns `fill` bytes (so the header salt is fixed). */
export function fixedSuite(backend: BackendChoice, fill = 0x5a): Promise<CryptoSuite> {
  return loadCrypto({ backend, random: (n) => new Uint8Array(n).fill(fill) });
}

/** `n` bytes of a cheap, position-dependent pattern (never all zero, differs per seed). */
export function pattern(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 >>> 0;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

/** Splits `bytes` at the given cut points (sorted, deduplicated, clamped). */
export function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.max(0, Math.min(bytes.length, c))))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  out.push(bytes.subarray(start));
  return out;
}

/** The Padmé rule written out independently (PURBs paper, Algorithm 1), with the 4 KiB floor. */
export function referencePadme(length: number): number {
  const l = BigInt(Math.max(length, 4096));
  const e = BigInt(l.toString(2).length - 1);
  const s = BigInt(e.toString(2).length);
  const mask = (1n << (e - s)) - 1n;
  return Number((l + mask) & ~mask);
}

/**
 * docs/media.md "Stream format", implemented from the text with noble directly: header, HKDF
 * payload key, nonce = 15 zero bytes ‖ u64be(i) ‖ last flag, 64 KiB chunks, Padmé padding.
 */
export function referenceEncrypt(key: Uint8Array, salt: Uint8Array, plaintext: Uint8Array, padded: boolean): { object: Uint8Array; digest: Uint8Array } {
  const flags = padded ? 1 : 0;
  const header = Uint8Array.of(1, flags, ...salt);
  const info = Uint8Array.of(...new TextEncoder().encode('Sealpost_Media_Stream_v1'), 1, flags);
  const payloadKey = hkdf(sha256, key, salt, info, 32);
  const total = padded ? referencePadme(plaintext.length) : plaintext.length;
  const stream = new Uint8Array(total);
  stream.set(plaintext);
  const parts: Uint8Array[] = [header];
  const chunks = Math.max(1, Math.ceil(total / C));
  for (let i = 0; i < chunks; i++) {
    const nonce = new Uint8Array(24);
    new DataView(nonce.buffer).setBigUint64(15, BigInt(i));
    nonce[23] = i === chunks - 1 ? 1 : 0;
    parts.push(xchacha20poly1305(payloadKey, nonce).encrypt(stream.subarray(i * C, Math.min(total, (i + 1) * C))));
  }
  const object = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    object.set(p, offset);
    offset += p.length;
  }
  return { object, digest: sha256(object) };
}

function checkError(thrown: unknown, code: CryptoErrorCode, label: string): void {
  expect(thrown, `${label}: expected ${code}`).toBeInstanceOf(CryptoError);
  expect((thrown as CryptoError).code, `${label}: ${(thrown as Error).message}`).toBe(code);
}

export function expectCode(fn: () => unknown, code: CryptoErrorCode, label = ''): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  checkError(thrown, code, label);
}

export async function expectCodeAsync(fn: () => Promise<unknown>, code: CryptoErrorCode, label = ''): Promise<void> {
  let thrown: unknown;
  try {
    await fn();
  } catch (error) {
    thrown = error;
  }
  checkError(thrown, code, label);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
