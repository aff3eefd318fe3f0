/**
 * Bounds-checked binary reader and writer for Sealpost's encodings (big-endian integers,
 * length-prefixed byte strings). Every read names the field it was reading when input runs out,
 * so a malformed structure fails with CRYPTO_ERR_INVALID_ENCODING and a useful detail.
 */
import { CryptoError } from '../errors.js';
import { concatBytes } from '../primitives/bytes.js';

export class ByteWriter {
  private readonly parts: Uint8Array[] = [];

  u8(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new RangeError(`u8 out of range: ${value}`);
    this.parts.push(Uint8Array.of(value));
    return this;
  }

  u16(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new RangeError(`u16 out of range: ${value}`);
    this.parts.push(Uint8Array.of(value >>> 8, value & 0xff));
    return this;
  }

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`u32 out of range: ${value}`);
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, value);
    this.parts.push(out);
    return this;
  }

  /** Unsigned 64-bit integer from a safe JavaScript integer (timestamps in ms, counters). */
  u64(value: number): this {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`u64 out of range: ${value}`);
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, BigInt(value));
    this.parts.push(out);
    return this;
  }

  /** Raw bytes with no length prefix (fixed-size fields). */
  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }

  /** Bytes with a u16 length prefix. */
  bytes16(bytes: Uint8Array): this {
    return this.u16(bytes.length).raw(bytes);
  }

  /** Bytes with a u32 length prefix. */
  bytes32(bytes: Uint8Array): this {
    return this.u32(bytes.length).raw(bytes);
  }

  finish(): Uint8Array {
    return concatBytes(...this.parts);
  }
}

export class ByteReader {
  private offset = 0;

  constructor(private readonly input: Uint8Array, private readonly what: string) {}

  private take(length: number, field: string): Uint8Array {
    if (this.offset + length > this.input.length) {
      throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${this.what}: truncated at ${field}`);
    }
    const out = this.input.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  u8(field: string): number {
    return this.take(1, field)[0] as number;
  }

  u16(field: string): number {
    const b = this.take(2, field);
    return ((b[0] as number) << 8) | (b[1] as number);
  }

  u32(field: string): number {
    const b = this.take(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0);
  }

  u64(field: string): number {
    const b = this.take(8, field);
    const value = new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${this.what}: ${field} exceeds 2^53-1`);
    }
    return Number(value);
  }

  /** A fixed-size field; returns a copy so callers may keep it. */
  raw(length: number, field: string): Uint8Array {
    return this.take(length, field).slice();
  }

  bytes16(field: string, maxLength = 0xffff): Uint8Array {
    const length = this.u16(`${field} length`);
    if (length > maxLength) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${this.what}: ${field} longer than ${maxLength}`);
    return this.raw(length, field);
  }

  bytes32(field: string, maxLength: number): Uint8Array {
    const length = this.u32(`${field} length`);
    if (length > maxLength) throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${this.what}: ${field} longer than ${maxLength}`);
    return this.raw(length, field);
  }

  get remaining(): number {
    return this.input.length - this.offset;
  }

  /** The bytes consumed so far (e.g. the signed part before a trailing signature). */
  consumed(): Uint8Array {
    return this.input.subarray(0, this.offset);
  }

  /** Refuses trailing bytes: every encoding is exact, so two byte strings never decode alike. */
  end(): void {
    if (this.offset !== this.input.length) {
      throw new CryptoError('CRYPTO_ERR_INVALID_ENCODING', `${this.what}: ${this.input.length - this.offset} trailing bytes`);
    }
  }
}
