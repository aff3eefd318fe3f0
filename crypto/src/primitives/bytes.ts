/**
 * Small byte helpers shared by the crypto package: constant-time comparison, concatenation,
 * big-endian integers. Nothing here touches secrets beyond comparing them in constant time.
 */
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** True when every byte is zero; runs over the whole array regardless of content. */
export function isAllZero(bytes: Uint8Array): boolean {
  let acc = 0;
  for (const b of bytes) acc |= b;
  return acc === 0;
}

/** Constant-time equality for equal-length arrays; false for different lengths. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** UTF-8 encoding of a string (labels, info strings). */
export function utf8(text: string): Uint8Array {
  return utf8ToBytes(text);
}

/**
 * Strict UTF-8 decoding without TextDecoder (not in the pure ES2022 lib): decode, then require
 * that re-encoding gives the same bytes, which refuses overlong forms, surrogates and bad bytes.
 * Returns undefined for anything that is not well-formed UTF-8.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  const points: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i] as number;
    const extra = lead < 0x80 ? 0 : lead >= 0xc2 && lead < 0xe0 ? 1 : lead >= 0xe0 && lead < 0xf0 ? 2 : lead >= 0xf0 && lead < 0xf5 ? 3 : -1;
    if (extra < 0) return undefined;
    let point = extra === 0 ? lead : lead & (0x3f >> extra);
    for (let k = 1; k <= extra; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return undefined;
      point = (point << 6) | (next & 0x3f);
    }
    if (point > 0x10ffff) return undefined;
    points.push(point);
    i += extra + 1;
  }
  const text = String.fromCodePoint(...points);
  const again = utf8(text);
  if (again.length !== bytes.length) return undefined;
  for (let i = 0; i < again.length; i++) if (again[i] !== bytes[i]) return undefined;
  return text;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new TypeError('invalid hex string');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}
